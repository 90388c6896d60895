"""One request's caller against the rules of authorisation.py, over the organisation tree: the
organisation a grant must cover for each thing asked about, its ancestry looked up in batches
(once per organisation per request).

    a dissolution case           its cell
    a campaign launched          its district committee
    a list of one ward's cases   that ward committee
"""

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

import kit.authorisation
from kit.errors import Forbidden
from kit.identity import Principal
from strawberry.dataloader import DataLoader

from organisations.authorisation import RULES, Operation
from organisations.service import HierarchyService

S = TypeVar("S")
NOWHERE: frozenset[str] = frozenset()


class Access(kit.authorisation.Access[Operation]):
    """One request's caller against the rules."""

    def __init__(self, principal: Principal, hierarchy: HierarchyService) -> None:
        super().__init__(principal, RULES)
        self.hierarchy = hierarchy
        self.ancestry: DataLoader[str, frozenset[str]] = DataLoader(load_fn=self._ancestries)

    async def _ancestries(self, ids: list[str]) -> list[frozenset[str]]:
        found = await self.hierarchy.ancestries(ids)
        return [found.get(i, NOWHERE) for i in ids]

    async def allows(self, operation: Operation, organisation_id: str | None) -> bool:
        """A grant covers the organisation (an unknown one, or none: only a whole-tree
        grant)."""
        if self.everywhere(operation):
            return True
        if not self.subtrees(operation):
            return False
        ancestry = await self.ancestry.load(organisation_id) if organisation_id else NOWHERE
        return self.rules.allows(self.principal, operation, ancestry)

    async def require(self, operation: Operation, organisation_id: str | None) -> None:
        if not await self.allows(operation, organisation_id):
            raise Forbidden

    async def fetch(
        self,
        operation: Operation,
        lookup: Callable[[], Awaitable[S]],
        organisation_of: Callable[[S], str],
    ) -> S:
        """A read or a change of one thing by id: what was found, if the caller may; an
        unknown id is NOT_FOUND to a whole-tree holder, FORBIDDEN to everyone else."""
        found = await self.look_up(operation, lookup)
        await self.require(operation, organisation_of(found))
        return found

    async def keep(
        self, operation: Operation, items: Iterable[S], organisation_of: Callable[[S], str]
    ) -> list[S]:
        """Those the caller may see, in order (their ancestries looked up together)."""
        listed = list(items)
        if self.everywhere(operation):
            return listed
        if not self.subtrees(operation):
            return []
        ancestries = await self.ancestry.load_many([organisation_of(i) for i in listed])
        return [
            item
            for item, ancestry in zip(listed, ancestries, strict=True)
            if self.rules.allows(self.principal, operation, ancestry)
        ]
