"""Who may do what with evaluations: this service's rows of the table in PRODUCT.md
("Security"). Every query, mutation, entity reference and nested field asks `allows` about one
operation family, the organisation its object lives in and the member it concerns; nothing
else decides.

An organisation is given by its ancestry (its own id and every ancestor's); an object whose
organisation cannot be established (an unknown member or id) has the empty ancestry, which
only a grant over the whole tree, or the member's own record, covers: only they may learn
that something does not exist.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from kit.identity import Principal, Role

READERS = frozenset(
    {Role.DISTRICT_STANDING, Role.WARD_COMMITTEE, Role.CELL_SECRETARY, Role.AUDITOR}
)


class Operation(Enum):
    READ_EVALUATION = "evaluation reads"
    READ_SUMMARY = "evaluationSummary"
    ASSIGN_TASK = "assignTask"
    RECORD_ASSIGNMENT_RESULT = "recordAssignmentResult"
    PROPOSE_RATING = "proposeRating"
    ADD_SUPERVISION_FEEDBACK = "addSupervisionFeedback"
    FINALISE_RATING = "finaliseRating, finaliseRatings"
    SELF_ASSESS = "selfAssess"
    SUBMIT_WORKPLACE_ASSESSMENTS = "submitWorkplaceAssessments"
    READ_ACCESS_LOG = "evaluationDataAccessLog"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: str  # the organisation a grant must cover
    own_record: bool = False  # the member concerned may, on their own record (MEMBER)
    changes: bool = False


def _rule(*roles: Role, scope: str, own_record: bool = False, changes: bool = False) -> Rule:
    return Rule(frozenset(roles), scope, own_record, changes)


CELL, SECRETARY = "the evaluating cell", Role.CELL_SECRETARY

RULES: dict[Operation, Rule] = {
    # evaluation, evaluations, evaluationConnection, _entities Evaluation, PartyMember.evaluations
    # / assignments / workplaceAssessments / evaluatedBy, and what an evaluation holds
    Operation.READ_EVALUATION: _rule(*READERS, scope=CELL, own_record=True),
    Operation.READ_SUMMARY: _rule(*READERS, scope="the organisation summarised"),
    Operation.ASSIGN_TASK: _rule(SECRETARY, scope=CELL, changes=True),
    Operation.RECORD_ASSIGNMENT_RESULT: _rule(
        SECRETARY, scope="the cell that gave the task", changes=True
    ),
    Operation.PROPOSE_RATING: _rule(SECRETARY, scope=CELL, changes=True),
    Operation.ADD_SUPERVISION_FEEDBACK: _rule(
        SECRETARY, scope="the residential cell (the evaluating cell)", changes=True
    ),
    Operation.FINALISE_RATING: _rule(Role.WARD_COMMITTEE, scope=CELL, changes=True),
    Operation.SELF_ASSESS: _rule(
        scope="none: the member's own evaluation", own_record=True, changes=True
    ),
    Operation.SUBMIT_WORKPLACE_ASSESSMENTS: _rule(
        Role.WORKPLACE_ASSESSOR,
        Role.INTEGRATION,
        scope="each item's member's evaluating cell for the item's period",
        changes=True,
    ),
    Operation.READ_ACCESS_LOG: _rule(
        Role.AUDITOR, scope="the organisation recorded with each entry (the evaluating cell)"
    ),
}


def allows(
    principal: Principal,
    operation: Operation,
    ancestry: Collection[str],
    member_id: str | None = None,
) -> bool:
    """May the caller perform `operation` on an object in the organisation of this ancestry
    (empty: not established) that concerns `member_id`?"""
    rule = RULES[operation]
    if rule.own_record and member_id is not None and principal.is_member(member_id):
        return True
    return principal.may(rule.roles, ancestry)


def holds(principal: Principal, operation: Operation) -> bool:
    """Holds a role of the operation somewhere (or is a member, for their own records)."""
    return principal.holds(RULES[operation].roles) or own_member(principal, operation) is not None


def own_member(principal: Principal, operation: Operation) -> str | None:
    """The member whose own records the caller may reach by `operation`, if any."""
    member = principal.member_id
    if not RULES[operation].own_record or member is None or not principal.is_member(member):
        return None
    return member
