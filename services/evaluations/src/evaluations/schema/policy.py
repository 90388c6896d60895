"""The rules in force and what they say of a rating."""

from datetime import date, datetime

import strawberry

from evaluations.domain import policy, rules
from evaluations.schema.enums import (
    EvaluationState,
    Rating,
    RuleBasis,
)


@strawberry.type(description="A rule of a rule set, with its source")
class PolicyRule:
    id: str
    source: str
    basis: RuleBasis  # type: ignore[valid-type]
    blocking: bool


@strawberry.type(description="The ranking rules in force for a period")
class RuleSet:
    name: str
    effective_from: date
    sources: str
    uses_score: bool = strawberry.field(description="Ratings are given on the 100-point scale")
    rules: list[PolicyRule]

    @classmethod
    def of(cls, rule_set: policy.RuleSet) -> "RuleSet":
        return cls(
            name=rule_set.name,
            effective_from=rule_set.effective_from,
            sources=rule_set.sources,
            uses_score=rule_set.uses_score,
            rules=[
                PolicyRule(id=r.id, source=r.source, basis=r.basis, blocking=r.blocking)
                for r in rule_set.rules
            ],
        )


@strawberry.type(description="What a rule says of a rating; blocking ones stop finalisation")
class PolicyFinding:
    rule: str
    source: str
    message: str
    blocking: bool
    basis: RuleBasis  # type: ignore[valid-type]
    overridden_because: str | None = strawberry.field(
        description="The reason recorded when the ward committee finalised past this finding"
    )

    @classmethod
    def of(cls, finding: rules.Finding, overridden_because: str | None) -> "PolicyFinding":
        return cls(
            rule=finding.rule,
            source=finding.source,
            message=finding.message,
            blocking=finding.blocking,
            basis=finding.basis,
            overridden_because=overridden_because,
        )


@strawberry.type
class PolicyOverride:
    rule: str
    reason: str
    by: str
    at: datetime


@strawberry.type(description="A finalised rating the ward committee reopened, with its reason")
class RatingReopening:
    rating: Rating  # type: ignore[valid-type]
    score: int | None
    reason: str
    at: datetime
    by: str = strawberry.field(description="Who reopened it, as written (or the caller's name)")
    subject: str | None = strawberry.field(
        description="Who reopened it, as authenticated: the caller's token subject"
    )


@strawberry.type(description="One step of an evaluation's audit trail")
class EvaluationStep:
    state: EvaluationState  # type: ignore[valid-type]
    at: datetime
    by: str = strawberry.field(description="Who acted, as written (or the caller's name)")
    note: str | None
    subject: str | None = strawberry.field(
        description="Who acted, as authenticated: the caller's token subject"
    )
