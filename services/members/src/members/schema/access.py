"""One request's caller against the rules of authorisation.py: the organisations one of
which a grant must cover for each thing asked about, their ancestries looked up in batches
(once per organisation per request), and the scope a list is filtered to in the database.

Each operation of the subgraph names its rule; a rule's roles must cover the organisation the
subject belongs to — a grant covers an organisation when it is the organisation or one of its
ancestors, or when the grant has no organisation (the whole tree):

    a member, a candidate     their cell
    a transfer (read)         its source cell or its destination cell
    a transfer (run)          its source cell
    a transfer (receive)      its destination cell (the source cell when it leaves the district)
    a dissolution case        its cell
    an imported row           its cell, named by code (each row on its own)
    a list of an organisation (organisationId, Organisation.members, …)   that organisation
"""

import asyncio
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import kit.authorisation
from kit.errors import Forbidden
from kit.identity import Principal, ancestry_of
from strawberry.dataloader import DataLoader

from members.authorisation import RULES, Operation
from members.domain import (
    AdmissionCandidate,
    DissolutionCase,
    KnownOrganisation,
    PartyMember,
    PersonKind,
    Transfer,
)
from members.service.ports import Scope


@dataclass(frozen=True)
class Cell:
    """An organisation named by id: a list's organisationId, a new member's cell."""

    id: str


Subject = PartyMember | AdmissionCandidate | Transfer | DissolutionCase | Cell
S = TypeVar("S", bound=Subject)


def cells_of(operation: Operation, subject: Subject) -> tuple[str | None, ...]:
    """The organisations one of which the caller's grant must cover."""
    match subject:
        case Transfer() if operation is Operation.READ_TRANSFER:
            return (subject.from_organisation_id, subject.to_organisation_id)
        case Transfer() if operation is Operation.RECEIVE_TRANSFER:
            return (subject.to_organisation_id or subject.from_organisation_id,)
        case Transfer():
            return (subject.from_organisation_id,)
        case DissolutionCase():
            return (subject.cell_id,)
        case Cell():
            return (subject.id,)
        case _:
            return (subject.organisation_id,)


def person_of(subject: Subject) -> str | None:
    """The member whose own record this is, for the MEMBER role."""
    match subject:
        case PartyMember():
            return subject.id
        case Transfer() if subject.person_kind is PersonKind.MEMBER:
            return subject.person_id
        case _:
            return None


class OrganisationTree(Protocol):
    async def ancestries(self, organisation_ids: list[str]) -> list[frozenset[str]]: ...

    async def within(self, roots: Collection[str]) -> frozenset[str]: ...


class Access(kit.authorisation.Access[Operation]):
    """One request's caller against the rules."""

    def __init__(self, principal: Principal, tree: OrganisationTree) -> None:
        super().__init__(principal, RULES)
        self.tree = tree
        self.ancestry: DataLoader[str, frozenset[str]] = DataLoader(load_fn=tree.ancestries)
        self._scopes: dict[Operation, Scope] = {}

    async def allows(self, operation: Operation, subject: Subject) -> bool:
        if RULES.allows(self.principal, operation, member_id=person_of(subject)):
            return True  # their own record, or a grant over the whole tree
        if not RULES.subtrees(self.principal, operation):
            return False
        cells = [cell for cell in cells_of(operation, subject) if cell is not None]
        ancestries = await self.ancestry.load_many(cells)
        return RULES.allows_any(self.principal, operation, ancestries)

    async def require(self, operation: Operation, subject: Subject) -> None:
        if not await self.allows(operation, subject):
            raise Forbidden

    def covers(self, operation: Operation, cell: KnownOrganisation | None) -> bool:
        """Whether the rule's roles cover this organisation, known with its ancestors (an
        unknown one: only a whole-tree grant, which then hears it is unknown)."""
        if self.everywhere(operation):
            return True
        if cell is None:
            return False
        ancestors = [*([cell.parent_id] if cell.parent_id else []), *cell.ancestor_ids]
        return RULES.allows(self.principal, operation, ancestry_of(cell.id, ancestors))

    async def fetch(self, operation: Operation, lookup: Callable[[], Awaitable[S]]) -> S:
        """A read or a change of one thing by id: what was found, if the caller may; an
        unknown id is NOT_FOUND to a whole-tree holder, FORBIDDEN to everyone else."""
        found = await self.look_up(operation, lookup)
        await self.require(operation, found)
        return found

    async def keep(self, operation: Operation, subjects: Iterable[S]) -> list[S]:
        """Those the caller may see, in order (their ancestries looked up together)."""
        listed = list(subjects)
        if self.everywhere(operation):
            return listed
        allowed = await asyncio.gather(*(self.allows(operation, s) for s in listed))
        return [subject for subject, yes in zip(listed, allowed, strict=True) if yes]

    async def scope(self, operation: Operation) -> Scope:
        """The organisations (and own records) a list is filtered to, in the database."""
        if operation not in self._scopes:
            roots = RULES.subtrees(self.principal, operation)
            if roots is None:
                self._scopes[operation] = Scope()
            else:
                organisations = await self.tree.within(roots) if roots else frozenset()
                own = RULES.own_member(self.principal, operation)
                self._scopes[operation] = Scope(organisations, own, frozenset(roots))
        return self._scopes[operation]
