"""One request's caller against the rules of authorisation.py, over the organisation tree: the
organisations one of which a grant must cover for each thing asked about, their ancestries
looked up in batches (once per organisation per request).

    an organisation changed       itself; one created, its parent; a move, both parents
    an imported row               as createOrganisation (new) or updateOrganisation
    a dissolution case            its cell
    a campaign launched           its district committee (a restructuring's: its committee)
    a list of one ward's cases    that ward committee
    a restructuring case          reads: any organisation given or received; a decision:
                                  every one; a hand-over record: the one given; acceptance:
                                  every receiving one
"""

from collections.abc import Awaitable, Callable, Collection, Iterable
from typing import TypeVar

import kit.authorisation
from kit.errors import Forbidden
from kit.identity import Principal
from strawberry.dataloader import DataLoader

from organisations.authorisation import RULES, Operation
from organisations.domain import Organisation
from organisations.service import HierarchyService

S = TypeVar("S")
NOWHERE: frozenset[str] = frozenset()
Where = Callable[[S], Collection[str]]
"""The organisations a thing concerns, one of which a grant must cover."""


class Access(kit.authorisation.Access[Operation]):
    """One request's caller against the rules."""

    def __init__(self, principal: Principal, hierarchy: HierarchyService) -> None:
        super().__init__(principal, RULES)
        self.hierarchy = hierarchy
        self.ancestry: DataLoader[str, frozenset[str]] = DataLoader(load_fn=self._ancestries)

    async def _ancestries(self, ids: list[str]) -> list[frozenset[str]]:
        found = await self.hierarchy.ancestries(ids)
        return [found.get(i, NOWHERE) for i in ids]

    async def allows(self, operation: Operation, organisation_ids: Collection[str]) -> bool:
        """A grant covers one of the organisations (an unknown one, or none: only a whole-tree
        grant)."""
        if self.everywhere(operation):
            return True
        if not self.subtrees(operation):
            return False
        ids = list(organisation_ids)
        ancestries = await self.ancestry.load_many(ids) if ids else [NOWHERE]
        return self.rules.allows_any(self.principal, operation, ancestries)

    async def require(self, operation: Operation, organisation_id: str | None) -> None:
        if not await self.allows(operation, [organisation_id] if organisation_id else []):
            raise Forbidden

    async def require_each(self, operation: Operation, organisation_ids: Iterable[str]) -> None:
        """A grant covers every one of the organisations."""
        for organisation_id in organisation_ids:
            await self.require(operation, organisation_id)

    def covers(self, operation: Operation, organisation: Organisation | None) -> bool:
        """A grant covers this organisation, read with its ancestry (None: only a whole-tree
        grant)."""
        ancestry = organisation.ancestry if organisation else NOWHERE
        return self.rules.allows(self.principal, operation, ancestry)

    def require_over(self, operation: Operation, ancestry: Collection[str]) -> None:
        """A grant covers the organisation of this ancestry, known already."""
        self.rules.require(self.principal, operation, ancestry)

    async def organisation_to(self, operation: Operation, organisation_id: str) -> Organisation:
        """The organisation, read once, if the caller may take `operation` on it; an unknown id
        is NOT_FOUND to a whole-tree holder, FORBIDDEN to everyone else."""
        found = await self.look_up(operation, lambda: self.hierarchy.organisation(organisation_id))
        if not self.covers(operation, found):
            raise Forbidden
        return found

    async def fetch(
        self, operation: Operation, lookup: Callable[[], Awaitable[S]], where: Where[S]
    ) -> S:
        """A read or a change of one thing by id: what was found, if the caller may; an
        unknown id is NOT_FOUND to a whole-tree holder, FORBIDDEN to everyone else."""
        found = await self.look_up(operation, lookup)
        if not await self.allows(operation, where(found)):
            raise Forbidden
        return found

    async def keep(self, operation: Operation, items: Iterable[S], where: Where[S]) -> list[S]:
        """Those the caller may see, in order (their ancestries looked up together)."""
        listed = list(items)
        if self.everywhere(operation):
            return listed
        if not self.subtrees(operation):
            return []
        await self.ancestry.load_many(list({i for item in listed for i in where(item)}))
        return [item for item in listed if await self.allows(operation, where(item))]
