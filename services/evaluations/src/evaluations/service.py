"""Use cases of the evaluations service."""

from typing import Protocol

from evaluations.domain import Evaluation, Period, RosterEntry, evaluation_id


class Roster(Protocol):
    async def get(self, member_id: str) -> RosterEntry | None: ...

    async def enrol(self, entry: RosterEntry, event_id: str) -> None:
        """Add a member to the roster, once per event."""


class EvaluationRepository(Protocol):
    async def get(self, evaluation_id: str) -> Evaluation | None: ...


class EvaluationService:
    def __init__(self, roster: Roster, evaluations: EvaluationRepository) -> None:
        self.roster = roster
        self.evaluations = evaluations

    async def evaluations_of(self, member_id: str, period_text: str) -> list[Evaluation]:
        """The member's evaluation for a period, a DRAFT until the cell starts it."""
        period = Period.parse(period_text)
        entry = await self.roster.get(member_id)
        cell_id = entry.cell_for(period) if entry else None
        if cell_id is None:
            return []
        stored = await self.evaluations.get(evaluation_id(member_id, period))
        return [stored or Evaluation(evaluation_id(member_id, period), member_id, cell_id, period)]

    async def enrol(self, entry: RosterEntry, event_id: str) -> None:
        await self.roster.enrol(entry, event_id)
