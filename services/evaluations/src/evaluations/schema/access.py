"""The caller's rights for one request: the rules of `authorisation.py` applied to what this
service stores, with every lookup they need batched per request (DataLoaders, no N+1)."""

import asyncio
from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

import kit.authorisation
from kit.errors import Forbidden
from kit.identity import Principal, ancestry_of
from strawberry.dataloader import DataLoader

from evaluations.authorisation import RULES, Operation
from evaluations.domain import Evaluation, NotFound, Period, RosterEntry
from evaluations.service import EvaluationService, RosterService

T = TypeVar("T")
NOWHERE: frozenset[str] = frozenset()


class Access(kit.authorisation.Access[Operation]):
    """One request's caller against the rules."""

    def __init__(
        self, principal: Principal, roster: RosterService, evaluations: EvaluationService
    ) -> None:
        super().__init__(principal, RULES)
        self.roster = roster
        self._ancestries: DataLoader[str, frozenset[str]] = DataLoader(self._load_ancestries)
        self._entries: DataLoader[str, RosterEntry | None] = DataLoader(roster.entries)
        self._evaluations: DataLoader[str, Evaluation | None] = DataLoader(
            evaluations.evaluations_by_id
        )

    async def _load_ancestries(self, ids: Sequence[str]) -> list[frozenset[str]]:
        known = await self.roster.organisations_by_id(ids)
        return [
            ancestry_of(i, o.ancestor_ids if o else ()) for i, o in zip(ids, known, strict=True)
        ]

    async def allows(
        self, operation: Operation, organisation_id: str | None, member_id: str | None = None
    ) -> bool:
        """`organisation_id` None: not established, which only a whole-tree grant (or the
        member's own record) covers."""
        ancestry = await self._ancestries.load(organisation_id) if organisation_id else NOWHERE
        return RULES.allows(self.principal, operation, ancestry, member_id)

    async def require(
        self, operation: Operation, organisation_id: str | None, member_id: str | None = None
    ) -> None:
        if not await self.allows(operation, organisation_id, member_id):
            raise Forbidden

    async def keep(
        self,
        operation: Operation,
        items: Sequence[T],
        place: Callable[[T], tuple[str | None, str | None]],
    ) -> list[T]:
        """The items the caller may see (organisation, member of each by `place`): lists
        never refuse, they leave out."""
        allowed = await asyncio.gather(*(self.allows(operation, *place(item)) for item in items))
        return [item for item, ok in zip(items, allowed, strict=True) if ok]

    async def covered(self, operation: Operation, cells: Collection[str | None]) -> set[str | None]:
        wanted = list(cells)
        allowed = await asyncio.gather(*(self.allows(operation, cell) for cell in wanted))
        return {cell for cell, ok in zip(wanted, allowed, strict=True) if ok}

    async def evaluation(self, operation: Operation, evaluation_id: str) -> Evaluation:
        """The evaluation, if the caller may perform `operation` on it; an id that names none
        is NOT_FOUND only to whole-tree holders (and to the member it names)."""
        found = await self._evaluations.load(evaluation_id)
        member = found.member_id if found else evaluation_id.rpartition(":")[0]
        await self.require(operation, found.cell_id if found else None, member)
        if found is None:
            raise NotFound(f"No evaluation {evaluation_id}.", id=evaluation_id)
        return found

    async def entry(self, member_id: str) -> RosterEntry | None:
        return await self._entries.load(member_id)

    async def evaluating_cell(self, member_id: str, period: Period) -> str | None:
        entry = await self.entry(member_id)
        return entry.cell_for(period) if entry else None
