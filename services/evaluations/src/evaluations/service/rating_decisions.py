"""What the ward committee decides of a rating, and what each decision of a batch came to."""

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from enum import Enum

from kit.errors import Forbidden

from evaluations.domain import DomainError, Evaluation, EvaluationState, NotFound, Rating


class FinalisationOutcome(Enum):
    FINALISED = "FINALISED"
    ALREADY_FINALISED = "ALREADY_FINALISED"
    REFUSED = "REFUSED"


@dataclass(frozen=True)
class RatingDecision:
    """The ward committee's rating for one member (None: the cell's proposal stands)."""

    member_id: str
    rating: Rating | None = None
    score: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)


@dataclass
class Decided:
    """A decision of a batch with the evaluation it rates, and the ward whose quota counts it."""

    decision: RatingDecision
    evaluation: Evaluation
    ward: str = ""
    cells: tuple[str, ...] = ()

    @property
    def rating(self) -> Rating | None:
        return self.decision.rating or self.evaluation.proposed_rating

    @property
    def score(self) -> int | None:
        if self.decision.rating is None:
            return self.evaluation.proposed_score
        return self.decision.score


@dataclass(frozen=True)
class FinalisationResult:
    evaluation_id: str
    member_id: str
    outcome: FinalisationOutcome
    evaluation: Evaluation | None = None
    refusal: DomainError | Forbidden | None = None


# Of these evaluating cells, those the caller may finalise in; the others' items are FORBIDDEN
MayFinalise = Callable[[Collection[str]], Awaitable[set[str]]]


async def anywhere(cells: Collection[str]) -> set[str]:
    return set(cells)


def finalised_as(evaluation: Evaluation, decision: RatingDecision) -> bool:
    """Finalised already with the rating (and score) decided: a re-run changes nothing."""
    if evaluation.state is not EvaluationState.FINALISED:
        return False
    if decision.rating is None:
        return True
    return (evaluation.final_rating, evaluation.final_score) == (decision.rating, decision.score)


def refused(i: str, member_id: str, refusal: DomainError | Forbidden) -> FinalisationResult:
    return FinalisationResult(i, member_id, FinalisationOutcome.REFUSED, None, refusal)


def refusal_of(
    i: str, evaluation: Evaluation | None, cells: set[str], allowed: set[str]
) -> DomainError | Forbidden | None:
    """Why an evaluation of a batch is not finalised before its rules are asked, if it is not:
    none, a cell the caller may not finalise in, a cell outside the organisation named."""
    if evaluation is None:
        return NotFound(f"No evaluation {i}: the member is on no cell's roster.", id=i)
    if evaluation.cell_id not in allowed:
        return Forbidden()
    if evaluation.cell_id not in cells:
        return DomainError(
            f"The evaluation {i} is made by a cell outside the organisation named.",
            field="organisationId",
            evaluatedBy=evaluation.cell_id,
        )
    return None
