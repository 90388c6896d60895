"""Members follow their cell (issue 14, item 3): when a restructuring completes, the members
and candidates of a merged cell move to the cell it merged into, in bulk and without transfer
letters; a cell handed over to another committee, or under a committee merged or split, keeps
its people. Each member's history keeps the change with its decision either way."""

import logging
from collections.abc import Sequence
from dataclasses import replace

from members import events
from members.domain import PartyMember
from members.domain.restructuring import (
    CompletedRestructuring,
    HandOverSigned,
    OrganisationChange,
)
from members.service.ports import (
    CandidateRepository,
    HandOverBook,
    MemberRepository,
    OrganisationDirectory,
    Saving,
)

log = logging.getLogger(__name__)


class Restructurings:
    def __init__(
        self,
        members: MemberRepository,
        candidates: CandidateRepository,
        organisations: OrganisationDirectory,
        hand_overs: HandOverBook,
    ) -> None:
        self.members = members
        self.candidates = candidates
        self.organisations = organisations
        self.hand_overs = hand_overs

    async def keep_hand_over(self, record: HandOverSigned) -> None:
        """A hand-over record signed: keep it with the people on the organisation's book as
        they are now (the members and candidates of its cells), to set it on paper."""
        cells = sorted(await self.organisations.within({record.organisation_id}))
        members = [m for cell in cells for m in await self.members.in_organisation(cell)]
        candidates = [c for cell in cells for c in await self.candidates.in_organisation(cell)]
        await self.hand_overs.keep(
            replace(
                record,
                member_ids=tuple(m.id for m in members),
                candidate_ids=tuple(c.id for c in candidates),
            )
        )

    async def follow(self, restructuring: CompletedRestructuring) -> None:
        """Move everyone of each merged cell to its successor, and note the change in the
        history of every member concerned — once per member and case (a redelivered event
        changes nobody twice): one bulk write per collection and organisation."""
        applying = f"restructuring:{restructuring.case_id}"
        for merge in restructuring.cell_merges:
            change = restructuring.change_for_cell_merge(merge)
            members = await self.members.in_organisation(merge.cell_id)
            await self._note(members, change, applying, cell_id=merge.successor_id)
            candidates = await self.candidates.in_organisation(merge.cell_id)
            await self.candidates.save_many(
                [Saving(c.rehomed(merge.successor_id), (), applying=applying) for c in candidates]
            )
            log.info(
                "merged cell's people moved",
                extra={
                    "case_id": restructuring.case_id,
                    "cell_id": merge.cell_id,
                    "members": len(members),
                    "candidates": len(candidates),
                },
            )
        for moved in restructuring.parent_changes:
            change = restructuring.change_for_parent_change(moved)
            for cell_id in sorted(await self.organisations.within({moved.organisation_id})):
                await self._note(await self.members.in_organisation(cell_id), change, applying)

    async def _note(
        self,
        members: Sequence[PartyMember],
        change: OrganisationChange,
        applying: str,
        cell_id: str | None = None,
    ) -> None:
        savings = []
        for member in members:
            if not member.has_followed(change.case_id):
                followed = member.followed(change, cell_id)
                event = events.member_updated(followed, change)
                savings.append(Saving(followed, [event], applying=applying, read=member))
        await self.members.save_many(savings)  # alike: a few updates, events in outbox batches
