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
            members = await self.members.in_organisation(merge.cell_id)
            await self._note(members, change, applying, cell_id=merge.successor_id)
            candidates = await self.candidates.in_organisation(merge.cell_id)
            await self._note_candidates(candidates, change, applying, merge.successor_id)
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
                candidates = await self.candidates.in_organisation(cell_id)
                await self._note_candidates(candidates, change, applying)

    async def _note(
        self,
        members: Sequence[PartyMember],
        change: OrganisationChange,
        applying: str,
        cell_id: str | None = None,
    ) -> None:
        savings = _followings(members, change, applying, cell_id, events.member_updated)
        await self.members.save_many(savings)  # alike: a few updates, events in outbox batches

    async def _note_candidates(
        self,
        candidates: Sequence[AdmissionCandidate],
        change: OrganisationChange,
        applying: str,
        cell_id: str | None = None,
    ) -> None:
        savings = _followings(candidates, change, applying, cell_id, events.candidate_updated)
        await self.candidates.save_many(savings)


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
