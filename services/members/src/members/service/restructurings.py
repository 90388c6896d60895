"""Members follow their cell (issue 14, item 3): when a restructuring completes, the members
and candidates of a merged cell move to the cell it merged into, in bulk and without transfer
letters; a cell handed over to another committee, or under a committee merged or split, keeps
its people. Each member's history, and each candidate's moves, keep the change with its
decision either way, and their member.updated / candidate.updated says so."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
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

READS_AT_ONCE = 8  # cells whose people are read side by side
Read = TypeVar("Read")


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

        async def ids_in(cell: str) -> tuple[list[str], list[str]]:
            return (
                await self.members.ids_in_organisation(cell),
                await self.candidates.ids_in_organisation(cell),
            )

        people = await _each_cell(cells, ids_in)
        member_ids = tuple(i for members, _ in people for i in members)
        candidate_ids = tuple(i for _, candidates in people for i in candidates)
        await self.hand_overs.keep(
            replace(record, member_ids=member_ids, candidate_ids=candidate_ids)
        )

    async def follow(self, restructuring: CompletedRestructuring) -> None:
        """Move everyone of each merged cell to its successor, and note the change in the
        history of every member concerned — once per member and case (a redelivered event
        changes nobody twice). The merged cells first, then the cells under moved committees
        (those moved in meet the change too); each round's people read cell by cell a few at
        once and saved in one bulk write per collection, their events in full outbox batches
        (a ward's hundred cells: a few batches of 500, not a hundred small ones)."""
        applying = f"restructuring:{restructuring.case_id}"
        merged = [
            Following(m.cell_id, restructuring.change_for_cell_merge(m), m.successor_id)
            for m in restructuring.cell_merges
        ]
        below: list[Following] = []
        for moved in restructuring.parent_changes:
            change = restructuring.change_for_parent_change(moved)
            cells = sorted(await self.organisations.within({moved.organisation_id}))
            below += [Following(cell_id, change) for cell_id in cells]
        placed = await self._ancestries_after(restructuring, [*merged, *below])
        for cell, (members, candidates) in zip(
            merged, await self._follow(merged, applying, placed), strict=True
        ):
            log.info(
                "merged cell's people moved",
                extra={
                    "case_id": restructuring.case_id,
                    "cell_id": cell.cell_id,
                    "members": members,
                    "candidates": candidates,
                },
            )
        for round_ in _rounds(below):
            await self._follow(round_, applying, placed)

    async def _ancestries_after(
        self, restructuring: CompletedRestructuring, cells: Sequence["Following"]
    ) -> dict[str, frozenset[str]]:
        """Where the cells the people belong to from now on stand once the case is in the
        tree. The organisations service tells its moves after the completion: the members are
        written with their new ancestors at once, not once now and again when told."""
        belonging = sorted({c.to or c.cell_id for c in cells})
        known = await self.organisations.ancestries(
            [*belonging, *restructuring.organisations_placed()]
        )
        return restructuring.ancestries_after(known, belonging)

    async def _follow(
        self, cells: Sequence["Following"], applying: str, placed: Mapping[str, frozenset[str]]
    ) -> list[tuple[int, int]]:
        """The members and candidates of these cells (each once) note its change (`to`: the
        cell they belong to from then on, when theirs merged), written with where their cells
        stand (`placed`); how many of each had each."""

        async def people_of(cell_id: str) -> tuple[list[PartyMember], list[AdmissionCandidate]]:
            members = await self.members.in_organisation(cell_id)
            return members, await self.candidates.in_organisation(cell_id)

        people = await _each_cell([c.cell_id for c in cells], people_of)
        await self.members.save_many(
            [
                saving
                for c, (members, _) in zip(cells, people, strict=True)
                for saving in _followings(members, c.change, applying, c.to, events.member_updated)
            ],
            placed,
        )
        await self.candidates.save_many(
            [
                saving
                for c, (_, candidates) in zip(cells, people, strict=True)
                for saving in _followings(
                    candidates, c.change, applying, c.to, events.candidate_updated
                )
            ]
        )
        return [(len(members), len(candidates)) for members, candidates in people]


async def _each_cell(cells: Sequence[str], read: Callable[[str], Awaitable[Read]]) -> list[Read]:
    """What `read` gives of each cell, in the cells' order, READS_AT_ONCE cells side by side."""
    turns = asyncio.Semaphore(READS_AT_ONCE)

    async def each(cell: str) -> Read:
        async with turns:
            return await read(cell)

    return await asyncio.gather(*map(each, cells))


@dataclass(frozen=True)
class Following:
    """A cell whose people note a change: `to`, the cell they move to (theirs merged)."""

    cell_id: str
    change: OrganisationChange
    to: str | None = None


def _rounds(cells: Sequence[Following]) -> list[list[Following]]:
    """The cells in rounds, each cell once a round (a cell under two moved committees notes
    each change, one after the other), in the order given."""
    rounds: list[list[Following]] = []
    for cell in cells:
        free = next((r for r in rounds if all(c.cell_id != cell.cell_id for c in r)), None)
        if free is None:
            rounds.append(free := [])
        free.append(cell)
    return rounds


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
