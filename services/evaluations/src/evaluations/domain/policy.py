"""The ranking rules, as rule sets with effective dates. Standard library only.

The set in force for a period is the latest one in effect on the period's last day (a review
is made when its period ends). Adding a regulation is adding one entry to `rule_sets`.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Protocol

from evaluations.domain.errors import DomainError
from evaluations.domain.periods import Period
from evaluations.domain.ratings import Rating


class Basis(Enum):
    """How firmly the rule stands on its source."""

    CONFIRMED = "CONFIRMED"
    DERIVED = "DERIVED"
    UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on a rating, naming its source; blocking ones stop finalisation."""

    rule: str
    source: str
    message: str
    blocking: bool
    basis: Basis = Basis.CONFIRMED


@dataclass(frozen=True)
class PolicyFacts:
    """What the rules look at for one member's rating in one period."""

    period: Period
    rating: Rating | None
    score: int | None
    workplace_results_required: bool
    workplace_rating: Rating | None
    ward_excellent: int = 0
    """Other members of the same grassroots organisation finalised EXCELLENT for the period."""
    ward_good: int = 0
    """Other members of the same grassroots organisation finalised GOOD for the period."""
    workplace_role: str | None = None
    """CADRE, CIVIL_SERVANT, NON_SPECIALISED, PUBLIC_EMPLOYEE or OTHER; None: not known."""


# cán bộ, công chức, viên chức: ranked EXCELLENT only if EXCELLENT at work (21-HD/BTCTW)
CADRES_AND_PUBLIC_EMPLOYEES = frozenset(
    {"CADRE", "CIVIL_SERVANT", "NON_SPECIALISED", "PUBLIC_EMPLOYEE"}
)


class Rule(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def basis(self) -> Basis: ...

    @property
    def blocking(self) -> bool: ...

    def check(self, facts: PolicyFacts) -> Finding | None: ...


@dataclass(frozen=True)
class ExcellentQuota:
    """EXCELLENT may not exceed a share of GOOD within the grassroots party organisation."""

    source: str
    share: Fraction = Fraction(1, 5)
    basis: Basis = Basis.CONFIRMED
    id: str = "EXCELLENT_QUOTA"
    blocking: bool = True

    def check(self, facts: PolicyFacts) -> Finding | None:
        if facts.rating is not Rating.EXCELLENT or not facts.period.is_year:
            return None
        excellent = facts.ward_excellent + 1
        allowed = self.places(facts.ward_good)
        if excellent <= allowed:
            return None
        note = "" if self.basis is Basis.CONFIRMED else " (unconfirmed for this rule set)"
        return Finding(
            self.id,
            self.source,
            f"EXCELLENT may not exceed {self.share.numerator}/{self.share.denominator} of GOOD "
            f"within the grassroots party organisation{note}: with {facts.ward_good} GOOD, "
            f"at most {allowed} EXCELLENT for {facts.period}; this would make {excellent}.",
            self.blocking,
            self.basis,
        )

    def places(self, ward_good: int) -> int:
        """The EXCELLENT ratings a grassroots organisation with this many GOOD may hold."""
        return int(self.share * ward_good)


@dataclass(frozen=True)
class CadreExcellentNeedsWorkplaceExcellent:
    source: str = "21-HD/BTCTW"
    basis: Basis = Basis.CONFIRMED
    id: str = "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT"
    blocking: bool = True
    roles: frozenset[str] = CADRES_AND_PUBLIC_EMPLOYEES

    def concerns(self, facts: PolicyFacts) -> bool:
        if facts.workplace_role is None:  # the role not known: as the ward's cadres
            return facts.workplace_results_required
        return facts.workplace_role in self.roles

    def check(self, facts: PolicyFacts) -> Finding | None:
        if facts.rating is not Rating.EXCELLENT or not self.concerns(facts):
            return None
        if facts.workplace_rating is Rating.EXCELLENT:
            return None
        workplace = facts.workplace_rating.value if facts.workplace_rating else "not yet given"
        return Finding(
            self.id,
            self.source,
            "A cadre, civil servant or public employee may be ranked EXCELLENT only when also "
            f"EXCELLENT in the workplace ranking; the workplace rank for {facts.period} is "
            f"{workplace}.",
            self.blocking,
            self.basis,
        )


@dataclass(frozen=True)
class NotAboveWorkplaceRank:
    source: str = "21-HD/BTCTW (derived)"
    basis: Basis = Basis.DERIVED
    id: str = "NOT_ABOVE_WORKPLACE_RANK"
    blocking: bool = True

    def check(self, facts: PolicyFacts) -> Finding | None:
        if facts.rating is None or facts.workplace_rating is None:
            return None
        if facts.rating.rank <= facts.workplace_rating.rank:
            return None
        return Finding(
            self.id,
            self.source,
            f"The party rank {facts.rating.value} is above the workplace rank "
            f"{facts.workplace_rating.value} for {facts.period} (derived rule, configurable).",
            self.blocking,
            self.basis,
        )


@dataclass(frozen=True)
class WorkplaceResultsExpected:
    """The cell ranks ward cadres on their job results too: say when those are missing."""

    source: str = "383-CV/QU point 5"
    basis: Basis = Basis.CONFIRMED
    id: str = "WORKPLACE_RESULTS_EXPECTED"
    blocking: bool = False

    def check(self, facts: PolicyFacts) -> Finding | None:
        if not facts.workplace_results_required or facts.workplace_rating is not None:
            return None
        return Finding(
            self.id,
            self.source,
            f"No workplace assessment for {facts.period} yet: the cell ranks ward cadres on "
            "the tasks it gave them and on their job results.",
            self.blocking,
            self.basis,
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
