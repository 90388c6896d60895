# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The members subgraph's types, entity stubs of other subgraphs included (id + our fields)."""

from datetime import date
from typing import Annotated

import strawberry
from kit.connections import Connection, PageInfo
from kit.pages import Page
from kit.paper_files import PaperFile

from members import domain
from members.authorisation import Cell, Operation
from members.domain.admission import AdmissionDates
from members.domain.relocation import Placement
from members.schema.context import (
    Context,
)
from members.service.ports import EVERYWHERE, MemberFilter, Scope

Standing = strawberry.enum(
    domain.Standing, description="OFFICIAL [đảng viên chính thức] | PROBATIONARY [dự bị]"
)
Gender = strawberry.enum(domain.Gender)
WorkplaceRole = strawberry.enum(
    domain.WorkplaceRole,
    description="CADRE [cán bộ], CIVIL_SERVANT [công chức], "
    "NON_SPECIALISED [người hoạt động không chuyên trách], PUBLIC_EMPLOYEE [viên chức], OTHER",
)
TransferKind = strawberry.enum(
    domain.TransferKind,
    description="OFFICIAL [chính thức] | TEMPORARY [tạm thời] | INTERNAL [nội bộ: same ward "
    "Party Committee]",
)
TransferReason = strawberry.enum(
    domain.TransferReason,
    description="CELL_DISSOLVED | RELOCATION | WORKPLACE_CHANGE | STUDY [đi học: a TEMPORARY "
    "stay of up to 2 years] | OTHER",
)
TransferState = strawberry.enum(
    domain.TransferState,
    description="NEEDS_DESTINATION → AWAITING_INTRODUCTION → INTRODUCED [đã có giấy giới thiệu] "
    "→ RECEIVED [chi bộ mới đã tiếp nhận] | CANCELLED",
)
PersonKind = strawberry.enum(
    domain.PersonKind, description="MEMBER [đảng viên] | CANDIDATE [đối tượng kết nạp]"
)
CandidateStage = strawberry.enum(
    domain.CandidateStage,
    description="SOURCE [quần chúng trong nguồn] → AWARENESS_TRAINED [đã học lớp nhận thức về "
    "Đảng] → SPONSORED → ADMITTED | WITHDRAWN",
)

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


@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID

    @strawberry.field(description="The members whose party activity is in this organisation")
    async def members(
        self,
        info: Context,
        standing: Standing | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        away: Annotated[bool | None, strawberry.argument(description=AWAY)] = None,
    ) -> list["PartyMember"] | None:
        page = await member_page(info, self.id, standing, search, None, None, away)
        return [PartyMember.of(member) for member in page.items]

    @strawberry.field(description="The same members a page at a time, with their total count")
    async def member_connection(
        self,
        info: Context,
        standing: Standing | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        away: Annotated[bool | None, strawberry.argument(description=AWAY)] = None,
    ) -> "PartyMemberConnection | None":
        return PartyMemberConnection.of(
            await member_page(info, self.id, standing, search, first, after, away),
            PartyMember.of,
        )

    @strawberry.field(description="How many members are on this organisation's list")
    async def member_count(self, info: Context) -> int | None:
        await info.context.access.require(Operation.READ_PERSON, Cell(self.id))
        return await info.context.use_cases.members.member_count(self.id)

    @strawberry.field(description="Admission candidates in progress [đối tượng kết nạp]")
    async def candidates(self, info: Context) -> list["AdmissionCandidate"] | None:
        await info.context.access.require(Operation.READ_PERSON, Cell(self.id))
        return [
            AdmissionCandidate.of(c)
            for c in await info.context.use_cases.candidates.candidates_of(self.id)
        ]

    @strawberry.field(description="Transfers of party activity coming to this organisation")
    async def incoming_transfers(
        self,
        info: Context,
        state: TransferState | None = None,  # type: ignore[valid-type]
    ) -> list["Transfer"] | None:
        await info.context.access.require(Operation.READ_TRANSFER, Cell(self.id))
        found = await info.context.use_cases.transfers.find_transfers(
            to_organisation_id=self.id, state=state
        )
        return [Transfer.of(t) for t in found]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Organisation":
        return cls(id=id)


def organisation(organisation_id: str | None) -> Organisation | None:
    return Organisation(id=strawberry.ID(organisation_id)) if organisation_id else None


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
    def organisation(self) -> Organisation | None:
        return organisation(self.organisation_id)

    @strawberry.field(description="The member's transfers of party activity")
    async def transfers(self, info: Context) -> list["Transfer"]:
        scope = await info.context.access.scope(Operation.READ_TRANSFER)
        found = await info.context.use_cases.transfers.find_transfers(
            person_id=self.id, scope=scope
        )
        return [Transfer.of(t) for t in found]

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

    @strawberry.field
    def nodes(self) -> list[PartyMember]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="A stage a candidate reached, and when")
class CandidateStageChange:
    stage: CandidateStage  # type: ignore[valid-type]
    on: date
    note: str | None


@strawberry.federation.type(
    keys=["id"], description="An admission candidate [đối tượng kết nạp / quần chúng trong nguồn]"
)
class AdmissionCandidate:
    id: strawberry.ID
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    stage: CandidateStage  # type: ignore[valid-type]
    residence: Residence | None
    workplace: Workplace | None
    history: list[CandidateStageChange]
    organisation_id: strawberry.Private[str]
    mentor_ids: strawberry.Private[list[str]]
    member_id: strawberry.Private[str | None]

    @strawberry.field(description="The cell the candidate is followed by")
    def organisation(self) -> Organisation:
        return Organisation(id=strawberry.ID(self.organisation_id))

    @strawberry.field(description="OFFICIAL members who follow and help [theo dõi, giúp đỡ]")
    async def mentors(self, info: Context) -> list[PartyMember]:
        mentors = await info.context.member_loader.load_many(self.mentor_ids)
        visible = await info.context.access.keep(Operation.READ_PERSON, mentors)
        return [PartyMember.of(mentor) for mentor in visible]

    @strawberry.field(description="The PROBATIONARY member the candidate became when admitted")
    async def member(self, info: Context) -> PartyMember | None:
        member_id = self.member_id
        if member_id is None:
            return None
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.member_loader.load(member_id)
        )
        return PartyMember.of(member)

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "AdmissionCandidate":
        candidate = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.candidate_loader.load(id)
        )
        return cls.of(candidate)

    @classmethod
    def of(cls, candidate: domain.AdmissionCandidate) -> "AdmissionCandidate":
        return cls(
            id=strawberry.ID(candidate.id),
            full_name=candidate.full_name,
            date_of_birth=candidate.date_of_birth,
            gender=candidate.gender,
            stage=candidate.stage,
            residence=Residence.of(candidate.residence),
            workplace=Workplace.of(candidate.workplace),
            history=[
                CandidateStageChange(stage=h.stage, on=h.on, note=h.note) for h in candidate.history
            ],
            organisation_id=candidate.organisation_id,
            mentor_ids=list(candidate.mentor_ids),
            member_id=candidate.member_id,
        )


@strawberry.type(description="What travels with the member [hồ sơ chuyển sinh hoạt đảng]")
class TransferChecklist:
    introduction_letter: bool = strawberry.field(description="Giấy giới thiệu")
    member_record_sheet: bool = strawberry.field(description="Phiếu đảng viên")
    sealed_member_file: bool = strawberry.field(description="Hồ sơ đảng viên, sealed")
    party_card_or_admission_file: bool = strawberry.field(
        description="Party card, or the admission file for a probationary member"
    )
    last_self_review: bool = strawberry.field(
        description="The last self-review with the committee's comments"
    )
    dues_paid_through: str | None = strawberry.field(
        description="Party dues paid through month YYYY-MM [đã đóng đảng phí đến tháng]"
    )
    missing: list[str]
    complete: bool

    @classmethod
    def of(cls, checklist: domain.Checklist) -> "TransferChecklist":
        missing = checklist.missing()
        return cls(**vars(checklist), missing=missing, complete=not missing)


@strawberry.federation.type(
    keys=["id"], description="The dissolution case [hồ sơ giải thể] of one agency cell"
)
class DissolutionCase:
    id: strawberry.ID

    @strawberry.field(description="The transfers and re-homings of the dissolved cell's people")
    async def transfers(
        self,
        info: Context,
        state: TransferState | None = None,  # type: ignore[valid-type]
    ) -> list["Transfer"]:
        scope = await info.context.access.scope(Operation.READ_TRANSFER)
        found = await info.context.use_cases.transfers.find_transfers(
            case_id=self.id, state=state, scope=scope
        )
        return [Transfer.of(t) for t in found]

    @strawberry.field(description="How far the relocation of the cell's people has come")
    async def transfer_progress(self, info: Context) -> "TransferProgress | None":
        access = info.context.access
        if not access.everywhere(Operation.READ_TRANSFER):  # the whole tree: zeros until heard of
            await access.fetch(
                Operation.READ_TRANSFER, lambda: info.context.use_cases.transfers.case(self.id)
            )
        progress = await info.context.use_cases.transfers.progress(self.id)
        return TransferProgress(
            total=progress.total,
            members=progress.members,
            candidates=progress.candidates,
            needing_destination=progress.needing_destination,
            awaiting_introduction=progress.awaiting_introduction,
            introduced=progress.introduced,
            received=progress.received,
            cancelled=progress.cancelled,
            overdue=progress.overdue,
        )

    @strawberry.field(
        description="For each member and candidate of the dissolving cell, the residential cell "
        "of the same ward covering their residential group, or none"
    )
    async def proposed_placements(self, info: Context) -> list["ProposedPlacement"] | None:
        case = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.use_cases.transfers.case(self.id)
        )
        placements = await info.context.use_cases.transfers.proposed_placements(case.id)
        return [ProposedPlacement.of(p, case.cell_id) for p in placements]

    @strawberry.field(
        description="The hand-over record of the dissolved cell's member list [biên bản bàn "
        "giao sổ danh sách đảng viên] as a PDF, once decided (null before): everyone the "
        "decision moves and the cell receiving them. Read as proposedPlacements is; each "
        "person listed is logged as a personal read"
    )
    async def hand_over_record(self, info: Context) -> PaperFile | None:
        use_cases = info.context.use_cases
        case = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: use_cases.transfers.case(self.id)
        )
        if not case.decided:
            return None
        paper, listed = await use_cases.papers.hand_over_record(case)
        for move in listed:
            info.context.personal_reads.add(
                "HandOverRecord", move.person_id, move.from_organisation_id, "handOverRecord"
            )
        return PaperFile.of(paper.filename, paper.content_type, paper.content)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "DissolutionCase":
        return cls(id=id)


@strawberry.type(description="Counts of a dissolved cell's transfers (members and candidates)")
class TransferProgress:
    total: int
    members: int
    candidates: int
    needing_destination: int
    awaiting_introduction: int
    introduced: int = strawberry.field(
        description="Introduction letters issued (received included)"
    )
    received: int
    cancelled: int
    overdue: int = strawberry.field(description="Introduced, not received by reportBy")


@strawberry.type(description="Where a member or candidate of a dissolving cell would go")
class ProposedPlacement:
    person_kind: PersonKind  # type: ignore[valid-type]
    person_id: strawberry.ID
    full_name: str
    residential_group: str | None
    cell: Organisation | None = strawberry.field(
        description="The residential cell covering the person's residential group, if any"
    )
    organisation_id: strawberry.Private[str]  # the dissolving cell the person is in

    @classmethod
    def of(cls, placement: Placement, organisation_id: str) -> "ProposedPlacement":
        return cls(
            person_kind=placement.person_kind,
            person_id=strawberry.ID(placement.person_id),
            full_name=placement.person_name,
            residential_group=placement.residential_group,
            cell=organisation(placement.cell.id if placement.cell else None),
            organisation_id=organisation_id,
        )


@strawberry.type(description="A reception date corrected by the receiving side")
class ReceptionCorrection:
    old_received_on: date
    new_received_on: date
    reason: str
    by: str = strawberry.field(description="Who corrected it: their display name")
    subject: str | None = strawberry.field(description="Who corrected it: their token subject")
    on: date = strawberry.field(description="The day it was corrected")

    @classmethod
    def of(cls, c: domain.ReceptionCorrection) -> "ReceptionCorrection":
        return cls(
            old_received_on=c.old_received_on,
            new_received_on=c.new_received_on,
            reason=c.reason,
            by=c.by,
            subject=c.subject,
            on=c.on,
        )


@strawberry.federation.type(
    keys=["id"], description="A transfer of party activity [chuyển sinh hoạt đảng]"
)
class Transfer:
    id: strawberry.ID
    person_kind: PersonKind  # type: ignore[valid-type]
    person_name: str
    kind: TransferKind  # type: ignore[valid-type]
    reason: TransferReason  # type: ignore[valid-type]
    state: TransferState  # type: ignore[valid-type]
    destination_name: str | None = strawberry.field(
        description="The receiving cell's name, or the organisation outside the district"
    )
    requested_on: date
    temporary_until: date | None
    letter_no: str | None = strawberry.field(description="Introduction letter number")
    issued_on: date | None
    report_by: date | None = strawberry.field(
        description="30 working days after the letter (weekends and public holidays excluded)"
    )
    received_on: date | None
    received_late: bool
    cancelled_on: date | None
    cancel_reason: str | None
    overdue_reason: str | None
    note: str | None
    checklist: TransferChecklist
    domain_transfer: strawberry.Private[domain.Transfer]

    @strawberry.field(description="Corrections of receivedOn, oldest first")
    def reception_corrections(self) -> list[ReceptionCorrection]:
        return [ReceptionCorrection.of(c) for c in self.domain_transfer.reception_corrections]

    @strawberry.field(name="from", description="The cell the person leaves")
    def from_(self) -> Organisation:
        return Organisation(id=strawberry.ID(self.domain_transfer.from_organisation_id))

    @strawberry.field(description="The receiving cell, when it is in the district")
    def to(self) -> Organisation | None:
        return organisation(self.domain_transfer.to_organisation_id)

    @strawberry.field(description="The member transferred (null for a candidate's re-homing)")
    async def member(self, info: Context) -> PartyMember | None:
        person = self.domain_transfer.person_id
        if self.domain_transfer.person_kind is not domain.PersonKind.MEMBER:
            return None
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.member_loader.load(person)
        )
        return PartyMember.of(member)

    @strawberry.field(description="The candidate re-homed (null for a member's transfer)")
    async def candidate(self, info: Context) -> AdmissionCandidate | None:
        person = self.domain_transfer.person_id
        if self.domain_transfer.person_kind is not domain.PersonKind.CANDIDATE:
            return None
        found = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.candidate_loader.load(person)
        )
        return AdmissionCandidate.of(found)

    @strawberry.field(
        description="The introduction letter [giấy giới thiệu sinh hoạt đảng] as a PDF, once "
        "issued (null before): read as the person's record is, and logged as personal data"
    )
    async def introduction_letter(self, info: Context) -> PaperFile | None:
        transfer = self.domain_transfer
        if transfer.letter_no is None:
            return None
        access, person_id = info.context.access, transfer.person_id
        person: domain.PartyMember | domain.AdmissionCandidate
        if transfer.person_kind is domain.PersonKind.MEMBER:
            members = info.context.member_loader
            person = await access.fetch(Operation.READ_PERSON, lambda: members.load(person_id))
        else:
            candidates = info.context.candidate_loader
            person = await access.fetch(Operation.READ_PERSON, lambda: candidates.load(person_id))
        paper = await info.context.use_cases.papers.introduction_letter(transfer, person)
        return PaperFile.of(paper.filename, paper.content_type, paper.content)

    @strawberry.field(description="The dissolution case that caused it, if any")
    def dissolution_case(self) -> DissolutionCase | None:
        case_id = self.domain_transfer.case_id
        return DissolutionCase(id=strawberry.ID(case_id)) if case_id else None

    @strawberry.field(description="Where reportBy comes from: the regulation and its rule")
    def report_by_source(self) -> str | None:
        return self.domain_transfer.report_by_source

    @strawberry.field(
        description="The regulation implementing the Party Charter whose transfer rules it "
        "follows: the one in force on the day it was requested or decided — 29-QĐ/TW from "
        "25/7/2016, 24-QĐ/TW from 30/7/2021, 294-QĐ/TW from 01/7/2025"
    )
    def regulation(self) -> str:
        return self.domain_transfer.regulation

    @strawberry.field(
        description="60 working days after the decision or request: the procedure starts by "
        "then (by the regulation in force); none for a TEMPORARY transfer"
    )
    def introduce_by(self, info: Context) -> date | None:
        return self.domain_transfer.introduce_by(info.context.use_cases.transfers.is_holiday)

    @strawberry.field(
        description="A TEMPORARY stay under way today: received by the host and temporaryUntil "
        "not passed; the member stays on the home cell's list, ranked by it"
    )
    def away(self, info: Context) -> bool:
        return self.domain_transfer.is_away(info.context.use_cases.transfers.today())

    @strawberry.field(description="Introduced and not received by reportBy")
    def overdue(self, info: Context) -> bool:
        return self.domain_transfer.is_overdue(info.context.use_cases.transfers.today())

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "Transfer":
        transfer = await info.context.access.fetch(
            Operation.READ_TRANSFER, lambda: info.context.transfer_loader.load(id)
        )
        return cls.of(transfer)

    @classmethod
    def of(cls, transfer: domain.Transfer) -> "Transfer":
        return cls(
            id=strawberry.ID(transfer.id),
            person_kind=transfer.person_kind,
            person_name=transfer.person_name,
            kind=transfer.kind,
            reason=transfer.reason,
            state=transfer.state,
            destination_name=transfer.destination_name,
            requested_on=transfer.requested_on,
            temporary_until=transfer.temporary_until,
            letter_no=transfer.letter_no,
            issued_on=transfer.issued_on,
            report_by=transfer.report_by,
            received_on=transfer.received_on,
            received_late=transfer.received_late,
            cancelled_on=transfer.cancelled_on,
            cancel_reason=transfer.cancel_reason,
            overdue_reason=transfer.overdue_reason,
            note=transfer.note,
            checklist=TransferChecklist.of(transfer.checklist),
            domain_transfer=transfer,
        )
