"""The ranking rules, as rule sets with effective dates. Standard library only.

The set in force for a period is the latest one in effect on the period's last day (a review
is made when its period ends). Adding a regulation is adding one entry to `rule_sets`.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from evaluations.domain.errors import DomainError
from evaluations.domain.periods import Period
from evaluations.domain.ratings import Rating
from evaluations.domain.rules import (
    Basis,
    CadreExcellentNeedsWorkplaceExcellent,
    ExcellentQuota,
    Finding,
    NotAboveWorkplaceRank,
    PolicyFacts,
    Rule,
    WorkplaceResultsExpected,
)

SCORE_BANDS: tuple[tuple[int, Rating], ...] = (
    (90, Rating.EXCELLENT),
    (70, Rating.GOOD),
    (50, Rating.COMPLETED),
    (0, Rating.NOT_COMPLETED),
)


def rating_for_score(score: int) -> Rating:
    return next(rating for floor, rating in SCORE_BANDS if score >= floor)


@dataclass(frozen=True)
class ScoreThresholds:
    """366-QĐ/TW: EXCELLENT ≥ 90, GOOD 70–<90, COMPLETED 50–<70, NOT_COMPLETED < 50."""

    source: str = "366-QĐ/TW"
    basis: Basis = Basis.CONFIRMED
    id: str = "SCORE_THRESHOLDS"
    blocking: bool = True

    def check(self, facts: PolicyFacts) -> Finding | None:
        if facts.rating is None:
            return None
        if facts.score is None:
            return Finding(
                self.id,
                self.source,
                f"Ratings for {facts.period} are given on the 100-point scale: a score is needed.",
                self.blocking,
                self.basis,
            )
        expected = rating_for_score(facts.score)
        if expected is facts.rating:
            return None
        return Finding(
            self.id,
            self.source,
            f"A score of {facts.score} ranks {expected.value}, not {facts.rating.value} "
            "(EXCELLENT ≥ 90, GOOD 70–<90, COMPLETED 50–<70, NOT_COMPLETED < 50).",
            self.blocking,
            self.basis,
        )


@dataclass(frozen=True)
class PolicyOptions:
    """What a deployment may switch: the derived and the unconfirmed rules default to on."""

    not_above_workplace_rank: bool = True
    excellent_quota_2025: bool = True
    excellent_share: Fraction = Fraction(1, 5)


@dataclass(frozen=True)
class RuleSet:
    name: str
    effective_from: date
    sources: str
    rules: tuple[Rule, ...]
    uses_score: bool = False

    def findings(self, facts: PolicyFacts) -> list[Finding]:
        return [finding for rule in self.rules if (finding := rule.check(facts)) is not None]

    def excellent_quota(self, period: Period) -> ExcellentQuota | None:
        """The quota on EXCELLENT, when this set has one and the period is a year."""
        if not period.is_year:
            return None
        return next((rule for rule in self.rules if isinstance(rule, ExcellentQuota)), None)


def rule_sets(options: PolicyOptions) -> list[RuleSet]:
    """Every rule set, oldest first."""
    derived: tuple[Rule, ...] = (
        (NotAboveWorkplaceRank(),) if options.not_above_workplace_rank else ()
    )
    quota_2025: tuple[Rule, ...] = (
        (
            ExcellentQuota(
                "21-HD/BTCTW (kept under 366-QĐ/TW: unconfirmed)",
                options.excellent_share,
                Basis.UNCONFIRMED,
            ),
        )
        if options.excellent_quota_2025
        else ()
    )
    carried = "124-QĐ/TW (as under 21-HD/BTCTW: unconfirmed)"
    derived_2023: tuple[Rule, ...] = (
        (NotAboveWorkplaceRank(f"{carried}, derived"),) if options.not_above_workplace_rank else ()
    )
    return [
        RuleSet(
            name="132-QĐ/TW, 21-HD/BTCTW (2019)",
            effective_from=date(2018, 1, 1),
            sources="Quy định 132-QĐ/TW (2018); Hướng dẫn 21-HD/BTCTW (2019)",
            rules=(
                ExcellentQuota("21-HD/BTCTW", options.excellent_share),
                CadreExcellentNeedsWorkplaceExcellent(),
                *derived,
                WorkplaceResultsExpected(),
            ),
        ),
        RuleSet(
            name="124-QĐ/TW (2023)",
            effective_from=date(2023, 10, 4),
            sources="Quy định 124-QĐ/TW (04/10/2023)",
            rules=(
                ExcellentQuota(carried, options.excellent_share, Basis.UNCONFIRMED),
                CadreExcellentNeedsWorkplaceExcellent(carried, Basis.UNCONFIRMED),
                *derived_2023,
                WorkplaceResultsExpected(),
            ),
        ),
        RuleSet(
            name="366-QĐ/TW, 43-HD/BTCTW (2025)",
            effective_from=date(2025, 8, 30),  # the instrument's date
            sources="Quy định 366-QĐ/TW (30/8/2025); Hướng dẫn 43-HD/BTCTW (31/10/2025)",
            rules=(ScoreThresholds(), *quota_2025, WorkplaceResultsExpected()),
            uses_score=True,
        ),
    ]


@dataclass
class Policy:
    options: PolicyOptions = field(default_factory=PolicyOptions)

    def rule_set_for(self, period: Period) -> RuleSet:
        """The set in force when the period ends (when it is reviewed): a month or a year
        that ends on or after an instrument's date is ranked by it."""
        in_force = [s for s in rule_sets(self.options) if s.effective_from <= period.ends_on]
        if not in_force:
            raise DomainError(f"No ranking rule set covers {period}.", field="period")
        return in_force[-1]

    def findings(self, facts: PolicyFacts) -> list[Finding]:
        return self.rule_set_for(facts.period).findings(facts)

    def excellent_quota(self, period: Period) -> ExcellentQuota | None:
        return self.rule_set_for(period).excellent_quota(period)
