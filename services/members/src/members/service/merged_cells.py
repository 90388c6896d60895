"""Members follow their cell (issue 14, item 3): when cells merge in a restructuring, their
members and candidates move to the cell they merged into, in bulk and without transfer
letters; a cell handed over to another committee keeps its people (they follow it as it is)."""

import logging
from collections.abc import Sequence

from members import events
from members.domain.restructuring import CellMerge
from members.service.ports import CandidateRepository, MemberRepository, Saving

log = logging.getLogger(__name__)


class MergedCells:
    def __init__(self, members: MemberRepository, candidates: CandidateRepository) -> None:
        self.members = members
        self.candidates = candidates

    async def follow(self, merges: Sequence[CellMerge]) -> None:
        """Move everyone of each merged cell to its successor, once per person and case (a
        redelivered event moves nobody twice): one bulk write per collection and cell."""
        for merge in merges:
            applying = f"restructuring:{merge.case_id}"
            members = await self.members.in_organisation(merge.cell_id)
            moved = [m.moved_to(merge.successor_id) for m in members]
            await self.members.save_many(
                [Saving(m, [events.member_updated(m)], applying=applying) for m in moved]
            )
            candidates = await self.candidates.in_organisation(merge.cell_id)
            await self.candidates.save_many(
                [Saving(c.rehomed(merge.successor_id), (), applying=applying) for c in candidates]
            )
            log.info(
                "merged cell's people moved",
                extra={
                    "case_id": merge.case_id,
                    "cell_id": merge.cell_id,
                    "members": len(members),
                    "candidates": len(candidates),
                },
            )
