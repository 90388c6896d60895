"""Periods, the roster of who is evaluated where, the records a ranking rests on, the
evaluation aggregate and the ranking rules. Standard library only."""

from evaluations.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    PolicyViolation,
    required_text,
)
from evaluations.domain.evaluation import (
    Evaluation,
    EvaluationState,
    Override,
    Reopening,
    Step,
    evaluation_id,
)
from evaluations.domain.facts import FinalisedRatings, facts_of
from evaluations.domain.member_keys import KeyField, MemberKey, member_key
from evaluations.domain.periods import Period
from evaluations.domain.policy import (
    Policy,
    PolicyOptions,
    RuleSet,
    rating_for_score,
)
from evaluations.domain.ratings import Rating, check_score
from evaluations.domain.records import (
    AssessorRole,
    Assignment,
    AssignmentResult,
    HostCellFeedback,
    SupervisionFeedback,
    WorkplaceAssessment,
    workplace_assessment_id,
)
from evaluations.domain.roster import (
    ROLES_WITH_WORKPLACE_RESULTS,
    KnownOrganisation,
    Placement,
    RosterEntry,
    Stay,
    grassroots_of,
)
from evaluations.domain.rules import Basis, ExcellentQuota, Finding, PolicyFacts

__all__ = [
    "ROLES_WITH_WORKPLACE_RESULTS",
    "AssessorRole",
    "Assignment",
    "AssignmentResult",
    "Basis",
    "Conflict",
    "DomainError",
    "Evaluation",
    "EvaluationState",
    "ExcellentQuota",
    "FinalisedRatings",
    "Finding",
    "Forbidden",
    "HostCellFeedback",
    "InvalidTransition",
    "KeyField",
    "KnownOrganisation",
    "MemberKey",
    "NotFound",
    "Override",
    "Period",
    "Placement",
    "Policy",
    "PolicyFacts",
    "PolicyOptions",
    "PolicyViolation",
    "Rating",
    "Reopening",
    "RosterEntry",
    "RuleSet",
    "Stay",
    "Step",
    "SupervisionFeedback",
    "WorkplaceAssessment",
    "check_score",
    "evaluation_id",
    "facts_of",
    "grassroots_of",
    "member_key",
    "rating_for_score",
    "required_text",
    "workplace_assessment_id",
]
