"""Use cases of a cell's dissolution: the case as this service knows it, where its people
would go, their transfers created once on the decision (latecomers' too), and the news that
everyone is accounted for."""

from collections.abc import Sequence
from datetime import date

from members import events
from members.consumed_events import Decision
from members.domain import DissolutionCase, NotFound, PersonKind
from members.domain.relocation import (
    Joining,
    Placement,
    proposed_placements,
    relocation_transfers,
)
from members.service.ports import (
    CandidateRepository,
    CaseBook,
    Clock,
    MemberRepository,
    OrganisationDirectory,
    TransferProgress,
    TransferRepository,
)


class Relocation:
    def __init__(
        self,
        transfers: TransferRepository,
        members: MemberRepository,
        candidates: CandidateRepository,
        organisations: OrganisationDirectory,
        cases: CaseBook,
        clock: Clock,
    ) -> None:
        self.transfers = transfers
        self.members = members
        self.candidates = candidates
        self.organisations = organisations
        self.cases = cases
        self.clock = clock

    def today(self) -> date:
        return self.clock.today()

    async def case(self, case_id: str) -> DissolutionCase:
        found = await self.cases.get(case_id)
        if found is None:
            raise NotFound(f"No dissolution case {case_id} is known to the members service.")
        return found

    async def progress(self, case_id: str) -> TransferProgress:
        return await self.transfers.progress(case_id, self.today())

    async def proposed_placements(self, case_id: str) -> list[Placement]:
        """For each member and candidate of the dissolving cell, the residential cell of the
        same ward covering their residential group, or none."""
        case = await self.case(case_id)
        return proposed_placements(
            await self.members.in_organisation(case.cell_id),
            await self.candidates.in_organisation(case.cell_id),
            await self.organisations.residential_cells_of(case.ward_committee_id),
        )

    async def learn_case(self, case: DissolutionCase) -> None:
        await self.cases.remember(case)

    async def relocate_on_decision(self, decision: Decision) -> int:
        """Create, once, the transfer of each member and the re-homing of each candidate of a
        dissolved cell, in one bulk write; returns how many were new."""
        case = decision.case
        await self.cases.remember(case)
        cells = await self.organisations.residential_cells_of(case.ward_committee_id)
        cells_by_id = {cell.id: cell for cell in cells}
        unknown = [i for i in set(decision.overrides.values()) if i not in cells_by_id]
        if unknown:
            cells_by_id |= {c.id: c for c in await self.organisations.get_many(unknown)}
        placements = proposed_placements(
            await self.members.in_organisation(case.cell_id),
            await self.candidates.in_organisation(case.cell_id),
            cells,
        )
        # someone already moving elsewhere (an ordinary transfer under way) goes on with it
        busy = await self.transfers.moving_elsewhere([p.person_id for p in placements], case.id)
        placements = [p for p in placements if p.person_id not in busy]
        transfers = relocation_transfers(
            case, placements, decision.overrides, cells_by_id, decision.decided_on
        )
        added = await self.transfers.add_many_once(transfers, events.transfer_created)
        if not placements:  # a cell with nobody to move closes with the decision
            await self.complete_relocation_if_done(case.id)
        return added

    async def relocate_latecomers(self, joined: Sequence[Joining]) -> int:
        """Give those registered (or entering the admission source) in a cell after its
        dissolution was decided their transfer of the case too: to the residential cell
        covering their group, else needing a destination (the plan did not name them). The
        case is not relocated while they are in the cell. Returns how many were new."""
        cases = await self.cases.decided_for_cells({j.cell_id for j in joined})
        if not cases:  # the usual registration: no read of anyone
            return 0
        dissolving = {case.cell_id for case in cases}
        wanted = [j for j in joined if j.cell_id in dissolving]
        members = await self.members.get_many(
            [j.person_id for j in wanted if j.person_kind is PersonKind.MEMBER]
        )
        candidates = await self.candidates.get_many(
            [j.person_id for j in wanted if j.person_kind is PersonKind.CANDIDATE]
        )
        added = 0
        for case in cases:
            placements = proposed_placements(
                [m for m in members if m.organisation_id == case.cell_id],
                [c for c in candidates if c.organisation_id == case.cell_id],
                await self.organisations.residential_cells_of(case.ward_committee_id),
            )
            busy = await self.transfers.moving_elsewhere([p.person_id for p in placements], case.id)
            transfers = relocation_transfers(
                case, [p for p in placements if p.person_id not in busy], {}, {}, self.today()
            )
            added += await self.transfers.add_many_once(transfers, events.transfer_created)
        return added

    async def complete_relocation_if_done(self, case_id: str) -> bool:
        """Tell, once, that every member and candidate of a dissolved cell is accounted for:
        no transfer of the case open (a cancelled one is replaced by one needing a
        destination) and nobody left in the cell (received elsewhere, or moved out by an
        ordinary transfer)."""
        case = await self.cases.get(case_id)
        if case is None or case.relocated or not case.decided:
            return False
        progress = await self.transfers.progress(case_id, self.today())
        if progress.open > 0:
            return False
        left = await self.members.count([case.cell_id])  # the kept count: no member is read
        if left or await self.candidates.in_organisation(case.cell_id):
            return False  # someone is still in the cell: nobody is left in a dissolved one
        event = events.members_relocated(
            case,
            members=progress.received_members,
            candidates=progress.received_candidates,
            completed_on=progress.last_received_on or self.today(),
        )
        return await self.cases.mark_relocated(case, event)
