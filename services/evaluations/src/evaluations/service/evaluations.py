"""A member's evaluation for a period: read (a DRAFT until the cell starts it), self-assessed by
the member, proposed by the cell. Finalising is `finalisations.py`'s."""

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime

from kit.pages import Page, checked_first, page_after

from evaluations.domain import (
    DomainError,
    Evaluation,
    EvaluationState,
    NotFound,
    Period,
    RosterEntry,
    evaluation_id,
    required_text,
)
from evaluations.service.commands import ProposeRating, SelfAssess
from evaluations.service.ports import EvaluationRepository
from evaluations.service.roster import RosterService


class EvaluationService:
    def __init__(
        self,
        evaluations: EvaluationRepository,
        roster: RosterService,
        clock: Callable[[], datetime],
    ) -> None:
        self.evaluations = evaluations
        self.roster = roster
        self.clock = clock

    async def evaluation(self, evaluation_id_text: str) -> Evaluation:
        [found] = await self.evaluations_by_id([evaluation_id_text])
        if found is None:
            raise NotFound(f"No evaluation {evaluation_id_text}.", id=evaluation_id_text)
        return found

    async def evaluations_by_id(self, ids: Sequence[str]) -> list[Evaluation | None]:
        """Each evaluation as stored, else the DRAFT of a member the roster places in a cell for
        the period; None for an id that names neither. Two queries for any number of ids."""
        stored = {evaluation.id: evaluation for evaluation in await self.evaluations.many(ids)}
        wanted = {i: _member_and_period(i) for i in ids if i not in stored}
        members = sorted({member for member, _ in filter(None, wanted.values())})
        entries = {e.member_id: e for e in await self.roster.entries(members) if e is not None}
        found: list[Evaluation | None] = []
        for i in ids:
            key = wanted.get(i)
            entry = entries.get(key[0]) if key else None
            cell_id = entry.cell_for(key[1]) if entry and key else None
            if i in stored:
                found.append(stored[i])
            elif key and cell_id:
                found.append(Evaluation.start(key[0], cell_id, key[1]))
            else:
                found.append(None)
        return found

    async def evaluations_of(self, member_id: str, period_text: str | None) -> list[Evaluation]:
        """A member's evaluations; for a given period, a DRAFT until the cell starts it."""
        if period_text is None:
            return await self.evaluations.of_member(member_id)
        period = Period.parse(period_text)
        [entry] = await self.roster.entries([member_id])
        if entry is None or entry.cell_for(period) is None:
            stored = await self.evaluations.get(evaluation_id(member_id, period))
            return [stored] if stored else []
        return [await self._current(member_id, period)]

    async def evaluations_in(
        self,
        organisation_id: str,
        period_text: str,
        state: EvaluationState | None,
        member_id: str | None = None,
    ) -> list[Evaluation]:
        """The evaluations made by the cells of an organisation for a period, drafts included
        (with `member_id`, only that member's)."""
        if member_id is not None:
            ends_on = Period.parse(period_text).ends_on
            cells = await self.roster.cells_within(organisation_id, ends_on)
            own = await self.evaluations_of(member_id, period_text)
            return [e for e in own if e.cell_id in cells and (state is None or e.state is state)]
        everyone, _ = await self.evaluations_and_roster_in(organisation_id, period_text)
        return [e for e in everyone if state is None or e.state is state]

    async def evaluation_page(
        self,
        organisation_id: str,
        period_text: str,
        state: EvaluationState | None,
        member_id: str | None,
        first: int,
        after: str | None,
    ) -> Page[Evaluation]:
        """`evaluations_in` a page at a time, in member order. A state past DRAFT is paged by
        the store; a list with drafts is made whole first (drafts are not stored: the roster
        makes them)."""
        checked_first(first)
        if member_id is None and state is not None and state is not EvaluationState.DRAFT:
            period = Period.parse(period_text)
            cells = await self.roster.cells_within(organisation_id, period.ends_on)
            return await self.evaluations.page_in_cells(cells, period, state, first, after)
        found = await self.evaluations_in(organisation_id, period_text, state, member_id)
        return page_after(found, first, after, lambda e: (e.member_id, e.id))

    async def evaluations_and_roster_in(
        self, organisation_id: str, period_text: str
    ) -> tuple[list[Evaluation], dict[str, RosterEntry]]:
        """Every evaluation the cells of an organisation make for a period (drafts for those
        who have none yet), by member, and the roster entries of everyone ever in those cells
        (the roster read once)."""
        period = Period.parse(period_text)
        cells = await self.roster.cells_within(organisation_id, period.ends_on)
        stored, entries = await asyncio.gather(
            self.evaluations.in_cells(cells, period), self.roster.in_cells(cells)
        )
        started = {evaluation.member_id for evaluation in stored}
        drafts = [
            Evaluation.start(entry.member_id, cell_id, period)
            for entry in entries
            if (cell_id := entry.cell_for(period)) in cells and entry.member_id not in started
        ]
        everyone = sorted([*stored, *drafts], key=lambda e: e.member_id)
        return everyone, {entry.member_id: entry for entry in entries}

    async def _current(self, member_id: str, period: Period) -> Evaluation:
        stored = await self.evaluations.get(evaluation_id(member_id, period))
        _, cell_id = await self.roster.cell_for(member_id, period)
        if stored is None:
            return Evaluation.start(member_id, cell_id, period)
        if stored.state is not EvaluationState.FINALISED:
            stored.cell_id = cell_id
        return stored

    async def self_assess(self, command: SelfAssess, subject: str | None = None) -> Evaluation:
        """The member's own assessment of the period (forms 2A/2B/2C)."""
        c = command
        evaluation = await self._current(c.member_id, Period.parse(c.period))
        evaluation.self_assess(c.rating, c.comment, self.clock(), subject)
        await self.evaluations.save(evaluation, [])
        return evaluation

    async def propose_rating(
        self, command: ProposeRating, by: str, subject: str | None = None
    ) -> Evaluation:
        """The cell proposes the member's rating for the period; `by` is who proposes for the
        cell as written, `subject` the authenticated caller."""
        c = command
        evaluation = await self._current(c.member_id, Period.parse(c.period))
        evaluation.propose(
            c.rating, c.score, c.note, required_text(by, "by"), self.clock(), subject
        )
        await self.evaluations.save(evaluation, [])
        return evaluation


def _member_and_period(evaluation_id_text: str) -> tuple[str, Period] | None:
    member_id, _, period_text = evaluation_id_text.rpartition(":")
    try:
        return (member_id, Period.parse(period_text)) if member_id else None
    except DomainError:
        return None
