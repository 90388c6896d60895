"""Who may do what in the organisations service, and where: its rows of the authorisation table.

A rule names the roles that may take an operation and where their grant must be: over the
organisation the operation concerns (a grant on it or on any organisation above it covers it)
or anywhere in the tree. The tree, directives, campaigns (their counts) and today hold no
personal data: every authenticated caller reads them. What "the organisation concerned" is:

    createOrganisation        the parent (no parent, a root: only a whole-tree grant)
    updateOrganisation        the organisation; on a move, its old parent and its new one
    importOrganisations       each row as createOrganisation (new) or updateOrganisation
    launchCampaign            the campaign's district committee
    a dissolution case        its cell: reads, steps, `_entities`; lists keep what is covered
    placementDataAccessLog    the person's cell: a scoped auditor sees entries of its subtree

The use cases look the organisation up and ask `require`; an id that does not exist has no
ancestry, so only a whole-tree grant passes (and then hears NOT_FOUND): a refusal never tells
what exists.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from kit.identity import Forbidden, Principal, Role

from organisations.domain import Step


class Operation(Enum):
    READ_TREE = "organisations, directives, campaigns and their counts, today"
    CHANGE_TREE = "createOrganisation, updateOrganisation, importOrganisations (each row)"
    ISSUE_DIRECTIVE = "issueDirective"
    LAUNCH_CAMPAIGN = "launchCampaign"
    READ_CASES = "dissolutionCase(s), Campaign.cases, _entities DissolutionCase"
    RUN_CASE = "recordDissemination, submitPlan, issueDissolutionDecision, recordAnnouncement"
    REVIEW_PLAN = "approvePlan, returnPlan"
    SET_TODAY = "setToday (development only)"
    READ_ACCESS_LOG = "placementDataAccessLog"


class Where(Enum):
    ANYWHERE = "a grant anywhere in the tree"
    COVERING = "a grant covering the organisation concerned"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] | None  # None: any authenticated caller, whatever their grants
    where: Where


DISTRICT_STANDING = frozenset({Role.DISTRICT_STANDING})
WARD_COMMITTEE = frozenset({Role.WARD_COMMITTEE})
READERS = frozenset(
    {Role.DISTRICT_STANDING, Role.WARD_COMMITTEE, Role.CELL_SECRETARY, Role.AUDITOR}
)

RULES: dict[Operation, Rule] = {
    Operation.READ_TREE: Rule(None, Where.ANYWHERE),
    Operation.CHANGE_TREE: Rule(DISTRICT_STANDING, Where.COVERING),
    Operation.ISSUE_DIRECTIVE: Rule(DISTRICT_STANDING, Where.ANYWHERE),
    Operation.LAUNCH_CAMPAIGN: Rule(DISTRICT_STANDING, Where.COVERING),
    Operation.READ_CASES: Rule(READERS, Where.COVERING),
    Operation.RUN_CASE: Rule(WARD_COMMITTEE, Where.COVERING),
    Operation.REVIEW_PLAN: Rule(DISTRICT_STANDING, Where.COVERING),
    Operation.SET_TODAY: Rule(DISTRICT_STANDING, Where.ANYWHERE),
    Operation.READ_ACCESS_LOG: Rule(frozenset({Role.AUDITOR}), Where.COVERING),
}

# The steps a person takes on a case; CLOSE is the members service's report, taken as the system.
STEPS: dict[Step, Operation] = {
    Step.RECORD_DISSEMINATION: Operation.RUN_CASE,
    Step.SUBMIT_PLAN: Operation.RUN_CASE,
    Step.RECORD_ANNOUNCEMENT: Operation.RUN_CASE,
    Step.APPROVE_PLAN: Operation.REVIEW_PLAN,
    Step.RETURN_PLAN: Operation.REVIEW_PLAN,
    Step.ISSUE_DECISION: Operation.RUN_CASE,
}


def may(principal: Principal, operation: Operation, ancestry: Collection[str] = ()) -> bool:
    """Whether `principal` may take `operation` on the organisation whose ancestry (itself and
    every id above it) is given; empty for none, or one that does not exist."""
    rule = RULES[operation]
    if rule.roles is None:
        return True
    if rule.where is Where.ANYWHERE:
        return principal.holds(rule.roles)
    return principal.may(rule.roles, ancestry)


def require(principal: Principal, operation: Operation, ancestry: Collection[str] = ()) -> None:
    if not may(principal, operation, ancestry):
        raise Forbidden


def subtrees(principal: Principal, operation: Operation) -> frozenset[str] | None:
    """Roots of the subtrees where `principal` may take `operation`: None for the whole tree,
    empty for nowhere."""
    rule = RULES[operation]
    return None if rule.roles is None else principal.subtrees(rule.roles)
