# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The entities of other subgraphs this one extends: an organisation's members, candidates
and incoming transfers; a dissolution case's transfers, progress and proposed placements."""

from typing import Annotated

import strawberry
from kit.paper_files import PaperFile

from members.authorisation import Operation
from members.domain.relocation import Placement
from members.schema.access import Cell
from members.schema.candidates import AdmissionCandidate
from members.schema.context import (
    Context,
)
from members.schema.enums import PersonKind, Standing, TransferState
from members.schema.members import (
    AWAY,
    DEFAULT_PAGE,
    PartyMember,
    PartyMemberConnection,
    member_page,
)
from members.schema.transfers import Transfer


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

    @strawberry.field(
        description="The hand-over record of this organisation's member-list book in a "
        "restructuring [biên bản bàn giao sổ danh sách đảng viên, 09-HD/BTCTW] as a PDF, once "
        "both sides signed it (null before): the decision, the giving and receiving sides, "
        "and the members and candidates on the book then. Read by those who may read the "
        "organisation's people; each person listed is logged as a personal read"
    )
    async def restructuring_hand_over_record(
        self, info: Context, case_id: strawberry.ID
    ) -> PaperFile | None:
        await info.context.access.require(Operation.READ_PERSON, Cell(self.id))
        found = await info.context.use_cases.papers.restructuring_hand_over_record(case_id, self.id)
        if found is None:
            return None
        paper, listed = found
        for person_id in listed:
            info.context.personal_reads.add(
                "HandOverRecord", person_id, self.id, "restructuringHandOverRecord"
            )
        return PaperFile.of(paper.filename, paper.content_type, paper.content)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Organisation":
        return cls(id=id)


def organisation(organisation_id: str | None) -> Organisation | None:
    return Organisation(id=strawberry.ID(organisation_id)) if organisation_id else None


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
                Operation.READ_TRANSFER, lambda: info.context.use_cases.relocation.case(self.id)
            )
        progress = await info.context.use_cases.relocation.progress(self.id)
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
            Operation.READ_PERSON, lambda: info.context.use_cases.relocation.case(self.id)
        )
        placements = await info.context.use_cases.relocation.proposed_placements(case.id)
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
            Operation.READ_PERSON, lambda: use_cases.relocation.case(self.id)
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
