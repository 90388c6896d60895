# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""A party member as the subgraph shows them, their page of a list, and who may list whom."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from kit.connections import Connection, PageInfo
from kit.pages import Page

from members import domain
from members.authorisation import Operation
from members.domain.admission import AdmissionDates
from members.schema.access import Cell
from members.schema.context import (
    Context,
)
from members.schema.enums import Gender, Standing, WorkplaceRole
from members.service.ports import EVERYWHERE, MemberFilter, Scope

if TYPE_CHECKING:
    from members.schema.entities import Organisation
    from members.schema.history import MemberHistoryEntry
    from members.schema.transfers import Transfer

OrganisationRef = Annotated["Organisation", strawberry.lazy("members.schema.entities")]
TransferRef = Annotated["Transfer", strawberry.lazy("members.schema.transfers")]
HistoryRef = Annotated["MemberHistoryEntry", strawberry.lazy("members.schema.history")]

DEFAULT_PAGE = 50


@strawberry.type(description="Where a member lives")
class Residence:
    address: str
    residential_group: str = strawberry.field(description="Residential group [tổ dân phố]")

    @classmethod
    def of(cls, residence: domain.Residence | None) -> "Residence | None":
        if residence is None:
            return None
        return cls(address=residence.address, residential_group=residence.residential_group)


@strawberry.type
class Workplace:
    name: str
    role: WorkplaceRole  # type: ignore[valid-type]

    @classmethod
    def of(cls, workplace: domain.Workplace | None) -> "Workplace | None":
        return cls(name=workplace.name, role=workplace.role) if workplace else None


async def scope_of_list(info: Context, operation: Operation, organisation_id: str | None) -> Scope:
    """A list of one organisation is refused unless the caller covers it (then all of it is in
    scope); any other list is filtered to the caller's scope."""
    access = info.context.access
    if organisation_id is None:
        return await access.scope(operation)
    await access.require(operation, Cell(organisation_id))
    return EVERYWHERE


AWAY = (
    "true: only the members away today on a TEMPORARY stay in another cell [sinh hoạt tạm "
    "thời] (still on this list, ranked here); false: only those not away. A stay ends by its "
    "date: after temporaryUntil the member is no longer away"
)


async def member_page(
    info: Context,
    organisation_id: str | None,
    standing: domain.Standing | None,
    search: str | None,
    first: int | None,
    after: str | None,
    away: bool | None = None,
) -> Page[domain.PartyMember]:
    scope = await scope_of_list(info, Operation.READ_PERSON, organisation_id)
    use_cases = info.context.use_cases
    away_ids = (
        frozenset()
        if away is None
        else await use_cases.transfers.members_away(organisation_id, scope)
    )
    return await use_cases.members.find_members(
        MemberFilter(
            organisation_id=organisation_id,
            standing=standing,
            search=search,
            scope=scope,
            away=away,
            away_ids=away_ids,
        ),
        first,
        after,
    )


@strawberry.federation.type(keys=["id"], description="A party member [đảng viên]")
class PartyMember:
    id: strawberry.ID
    card_number: str = strawberry.field(description="Party card number [số thẻ đảng viên]")
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    standing: Standing  # type: ignore[valid-type]
    admitted_on: date = strawberry.field(
        description="The admission decision's date [ngày quyết định kết nạp]: party age counts "
        "from it, and the member is evaluated from its period on"
    )
    official_on: date | None
    residence: Residence | None
    workplace: Workplace | None
    transferred_out_to: str | None = strawberry.field(
        description="Where the member went when transferred out of the district"
    )
    admission_ceremony_on: date | None = strawberry.field(
        description="The admission ceremony [lễ kết nạp], held within 30 working days of the "
        "decision: the probation counts from it"
    )
    probation_ends_on: date = strawberry.field(
        description="12 months after the admission ceremony (after the decision while no "
        "ceremony is recorded): recognition as OFFICIAL from this date"
    )
    awareness_certificate: "AwarenessCertificate | None" = strawberry.field(
        description="The awareness-class certificate recorded on admission [giấy chứng nhận "
        "học lớp bồi dưỡng nhận thức về Đảng]"
    )
    organisation_id: strawberry.Private[str | None]
    domain_member: strawberry.Private[domain.PartyMember]

    def _dates(self, info: Context) -> AdmissionDates:
        return info.context.use_cases.members.admission_dates(self.domain_member)

    @strawberry.field(
        description="30 working days after the admission decision (weekends and Viet Nam's "
        "public holidays excluded): the ceremony is held by then"
    )
    def ceremony_due_by(self, info: Context) -> date:
        return self._dates(info).ceremony_due_by

    @strawberry.field(
        description="The ceremony was held after ceremonyDueBy, or a probationary member's "
        "ceremony is past due and not recorded"
    )
    def ceremony_late(self, info: Context) -> bool:
        return self._dates(info).ceremony_late

    @strawberry.field(
        description="30 working days after the probation ends: the cell considers the "
        "recognition as official by then"
    )
    def recognition_due_by(self, info: Context) -> date:
        return self._dates(info).recognition_due_by

    @strawberry.field(description="Still PROBATIONARY after recognitionDueBy")
    def recognition_overdue(self, info: Context) -> bool:
        return self._dates(info).recognition_overdue

    @strawberry.field(
        description="The official members who introduced the member on admission [người giới "
        "thiệu], those the caller may see"
    )
    async def introducers(self, info: Context) -> list["Introducer"]:
        named = self.domain_member.introducers
        found = await info.context.member_loader.load_many([i.member_id for i in named])
        members = [m for m in found if isinstance(m, domain.PartyMember)]
        visible = {m.id: m for m in await info.context.access.keep(Operation.READ_PERSON, members)}
        return [
            Introducer(
                member=PartyMember.of(visible[i.member_id]),
                worked_together_since=i.worked_together_since,
            )
            for i in named
            if i.member_id in visible
        ]

    citizen_id: str | None = strawberry.field(
        default=None,
        description="Citizen ID [số định danh cá nhân, on the CCCD]: 12 digits; personal, "
        "its reads logged",
    )

    @strawberry.field(description="The cell where the member's party activity is")
    def organisation(self) -> OrganisationRef | None:
        from members.schema.entities import organisation  # it builds on this module's types

        return organisation(self.organisation_id)

    @strawberry.field(description="The member's transfers of party activity")
    async def transfers(self, info: Context) -> list[TransferRef]:
        from members.schema.transfers import Transfer  # it builds on this module's types

        scope = await info.context.access.scope(Operation.READ_TRANSFER)
        found = await info.context.use_cases.transfers.find_transfers(
            person_id=self.id, scope=scope
        )
        return [Transfer.of(t) for t in found]

    @strawberry.field(
        description="Where the member's party activity has been, oldest first: admission, "
        "transfers received, and the hand-overs and mergers their cell followed with their "
        "decision"
    )
    async def history(self, info: Context) -> list[HistoryRef]:
        from members.schema.history import member_history  # it builds on this module's types

        return await member_history(info, self.domain_member)

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "PartyMember":
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.member_loader.load(id)
        )
        return cls.of(member)

    @classmethod
    def of(cls, member: domain.PartyMember) -> "PartyMember":
        return cls(
            id=strawberry.ID(member.id),
            card_number=member.card_number,
            full_name=member.full_name,
            date_of_birth=member.date_of_birth,
            gender=member.gender,
            standing=member.standing,
            admitted_on=member.admitted_on,
            official_on=member.official_on,
            residence=Residence.of(member.residence),
            workplace=Workplace.of(member.workplace),
            transferred_out_to=member.transferred_out_to,
            admission_ceremony_on=member.admission_ceremony_on,
            probation_ends_on=member.probation_ends_on,
            awareness_certificate=AwarenessCertificate.of(member.awareness_certificate),
            organisation_id=member.organisation_id,
            citizen_id=member.citizen_id,
            domain_member=member,
        )


@strawberry.type(description="An introducer [đảng viên giới thiệu] of an admission")
class Introducer:
    member: PartyMember
    worked_together_since: date = strawberry.field(
        description="Since when they have worked with the candidate [cùng công tác]: a year "
        "or more by the admission decision"
    )


@strawberry.type(
    description="The awareness-class certificate [giấy chứng nhận học lớp bồi dưỡng nhận thức "
    "về Đảng]"
)
class AwarenessCertificate:
    number: str
    issued_on: date

    @classmethod
    def of(cls, certificate: domain.AwarenessCertificate | None) -> "AwarenessCertificate | None":
        return (
            cls(number=certificate.number, issued_on=certificate.issued_on) if certificate else None
        )


@strawberry.federation.type(
    name="MemberPageInfo",
    description="Relay page information (to become the shared PageInfo once every subgraph "
    "marks it @shareable)",
)
class MemberPageInfo(PageInfo):
    """The kit's page information under the name members' clients know."""


@strawberry.type(description="A page of party members, in name order")
class PartyMemberConnection(Connection[PartyMember]):
    page_info: MemberPageInfo
    page_info_type = MemberPageInfo
    total_count_capped: bool = strawberry.field(
        default=False,
        description="true: a search across the tree, or a ward or more, found more members "
        "than it counts (100): totalCount is that many, and the list goes on",
    )

    @classmethod
    def of(cls, page: Page[Any], node: Callable[[Any], PartyMember]) -> Self:
        connection = super().of(page, node)
        connection.total_count_capped = page.capped
        return connection

    @strawberry.field
    def nodes(self) -> list[PartyMember]:
        return [edge.node for edge in self.edges]
