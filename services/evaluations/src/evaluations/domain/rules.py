"""What a ranking rule is — it looks at a rating's facts and may give a finding naming its
source — and the rules the rule sets are made of. Standard library only."""

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Protocol

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
