"""The machinery of every service's authorisation table: a service names its operations and
gives each a `Rule`; `Rules` answers whether a caller may take one, and where.

A rule names the roles that may take an operation and where their grant must be: over the
organisation the operation concerns (a grant on it or on any organisation above it covers
it; `ancestry` is that organisation's id and every ancestor's, empty when it cannot be
established — then only a whole-tree grant passes, so a refusal never tells what exists) or
anywhere in the tree. A rule may also let a member reach their own records, and a rule with
no roles admits any authenticated caller.
"""

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from kit.errors import Forbidden, NotFound
from kit.identity import Principal, Role

Operation = TypeVar("Operation", bound=Enum)
Found = TypeVar("Found")


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None  # None: any authenticated caller, whatever their grants
    anywhere: bool = False  # a grant anywhere in the tree; else one covering the organisation
    own_records: bool = False  # a MEMBER also reaches their own records


def rule(*roles: Role, anywhere: bool = False, own_records: bool = False) -> Rule:
    return Rule(frozenset(roles), anywhere, own_records)


EVERYONE = Rule(None, anywhere=True)


class Rules(Generic[Operation]):
    """One service's table, asked about one caller at a time."""

    def __init__(self, table: Mapping[Operation, Rule]) -> None:
        self.table = dict(table)

    def __getitem__(self, operation: Operation) -> Rule:
        return self.table[operation]

    def allows(
        self,
        principal: Principal,
        operation: Operation,
        ancestry: Collection[str] = (),
        member_id: str | None = None,
    ) -> bool:
        """May the caller take `operation` on something of the organisation of this ancestry
        that concerns `member_id` (a member's own record)?"""
        rule = self.table[operation]
        if rule.roles is None:
            return True
        if rule.own_records and member_id is not None and principal.is_member(member_id):
            return True
        if rule.anywhere:
            return principal.holds(rule.roles)
        return principal.may(rule.roles, ancestry)

    def allows_any(
        self, principal: Principal, operation: Operation, ancestries: Iterable[Collection[str]]
    ) -> bool:
        """As `allows`, when a grant over any one of several organisations will do."""
        return any(self.allows(principal, operation, ancestry) for ancestry in ancestries)

    def require(
        self,
        principal: Principal,
        operation: Operation,
        ancestry: Collection[str] = (),
        member_id: str | None = None,
    ) -> None:
        if not self.allows(principal, operation, ancestry, member_id):
            raise Forbidden

    def holds(self, principal: Principal, operation: Operation) -> bool:
        """Could the caller take `operation` anywhere at all: a role of it somewhere, or their
        own records."""
        roles = self.table[operation].roles
        if roles is None:
            return True
        return principal.holds(roles) or self.own_member(principal, operation) is not None

    def require_some_right(self, principal: Principal, operation: Operation) -> None:
        """Refuse at once a caller the rule cannot admit anywhere."""
        if not self.holds(principal, operation):
            raise Forbidden

    def subtrees(self, principal: Principal, operation: Operation) -> frozenset[str] | None:
        """Roots of the subtrees where the caller may take `operation`: None for the whole
        tree, empty for nowhere (their own records aside)."""
        roles = self.table[operation].roles
        return None if roles is None else principal.subtrees(roles)

    def everywhere(self, principal: Principal, operation: Operation) -> bool:
        return self.subtrees(principal, operation) is None

    def own_member(self, principal: Principal, operation: Operation) -> str | None:
        """The member whose own records the caller reaches by `operation`, if any."""
        member = principal.member_id
        if not self.table[operation].own_records or member is None:
            return None
        return member if principal.is_member(member) else None


class Access(Generic[Operation]):
    """One request's caller against one service's table: what the schema asks before a use
    case runs. Each service's `schema/access.py` extends it with where its subjects stand (the
    organisations a grant must cover, looked up in batches for the request)."""

    def __init__(self, principal: Principal, rules: Rules[Operation]) -> None:
        self.principal = principal
        self.rules = rules

    def require_some_right(self, operation: Operation) -> None:
        """Refuse at once a caller the rule cannot admit anywhere."""
        self.rules.require_some_right(self.principal, operation)

    def everywhere(self, operation: Operation) -> bool:
        """Holds a role of the rule over the whole tree."""
        return self.rules.everywhere(self.principal, operation)

    def subtrees(self, operation: Operation) -> frozenset[str] | None:
        """Where the caller holds a role of the operation: these subtrees, or None: the whole
        tree."""
        return self.rules.subtrees(self.principal, operation)

    def own_member(self, operation: Operation) -> str | None:
        """The member whose own records the caller reaches by `operation`, if any."""
        return self.rules.own_member(self.principal, operation)

    async def look_up(self, operation: Operation, lookup: Callable[[], Awaitable[Found]]) -> Found:
        """One thing by id, for a caller the rule may admit: an unknown id is NOT_FOUND to a
        whole-tree holder, FORBIDDEN to everyone else (a refusal tells nothing of what exists).
        Whether the caller may reach what was found is the service's `Access` to say."""
        self.require_some_right(operation)
        try:
            return await lookup()
        except NotFound:
            if self.everywhere(operation):
                raise
            raise Forbidden from None
