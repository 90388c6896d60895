"""Members follow their cell (issue 14, item 3): when a restructuring completes, the members
and candidates of a merged cell move to the cell it merged into, in bulk and without transfer
letters; a cell handed over to another committee, or under a committee merged or split, keeps
its people. Each member's history, and each candidate's moves, keep the change with its
decision either way, and their member.updated / candidate.updated says so."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from members import events
from members.domain import AdmissionCandidate, PartyMember
from members.domain.restructuring import (
    CompletedRestructuring,
    HandOverSigned,
    OrganisationChange,
)
from members.service.ports import (
    CandidateRepository,
    Event,
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
            members, candidates = await self._cell_follows(
                merge.cell_id, change, applying, merge.successor_id
            )
            log.info(
                "merged cell's people moved",
                extra={
                    "case_id": restructuring.case_id,
                    "cell_id": merge.cell_id,
                    "members": members,
                    "candidates": candidates,
                },
            )
        for moved in restructuring.parent_changes:
            change = restructuring.change_for_parent_change(moved)
            for cell_id in sorted(await self.organisations.within({moved.organisation_id})):
                await self._cell_follows(cell_id, change, applying)

    async def _cell_follows(
        self, cell_id: str, change: OrganisationChange, applying: str, to: str | None = None
    ) -> tuple[int, int]:
        """The members and candidates of a cell note the change (`to`: the cell they belong to
        from then on, when theirs merged); how many of each the cell had. Members alike go in a
        few updates, their events in outbox batches."""
        members = await self.members.in_organisation(cell_id)
        await self.members.save_many(
            _followings(members, change, applying, to, events.member_updated)
        )
        candidates = await self.candidates.in_organisation(cell_id)
        await self.candidates.save_many(
            _followings(candidates, change, applying, to, events.candidate_updated)
        )
        return len(members), len(candidates)


Person = TypeVar("Person", PartyMember, AdmissionCandidate)


def _followings(
    people: Sequence[Person],
    change: OrganisationChange,
    applying: str,
    cell_id: str | None,
    told: Callable[[Person, OrganisationChange], Event],
) -> list[Saving[Person]]:
    """Each person who has not followed the change yet, after it, with the event that says so
    (once per person and case: a redelivered completion finds them followed)."""
    return [
        Saving(after, [told(after, change)], applying=applying, read=person)
        for person in people
        if not person.has_followed(change.case_id)
        for after in [person.followed(change, cell_id)]
    ]
