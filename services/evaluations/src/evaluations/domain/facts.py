"""What the rules look at for one rating: the member's, and the ward's other finalised ones."""

from collections import Counter
from collections.abc import Mapping

from evaluations.domain.evaluation import Evaluation
from evaluations.domain.ratings import Rating
from evaluations.domain.roster import RosterEntry
from evaluations.domain.rules import PolicyFacts


class FinalisedRatings:
    """The final rating of each FINALISED evaluation of a ward's cells for a period, by id."""

    def __init__(self, by_evaluation: Mapping[str, Rating]) -> None:
        self.by_evaluation = by_evaluation
        self.counts = Counter(by_evaluation.values())

    def besides(self, evaluation_id: str) -> dict[Rating, int]:
        """The counts per rating of the others: the evaluation's own rating subtracted when it
        is one of them."""
        counts = dict(self.counts)
        if (own := self.by_evaluation.get(evaluation_id)) is not None:
            counts[own] -= 1
        return counts


def facts_of(
    evaluation: Evaluation,
    entry: RosterEntry,
    rating: Rating | None,
    score: int | None,
    workplace_rating: Rating | None,
    others_finalised: dict[Rating, int],
) -> PolicyFacts:
    return PolicyFacts(
        period=evaluation.period,
        rating=rating,
        score=score,
        workplace_results_required=entry.workplace_results_required,
        workplace_rating=workplace_rating,
        ward_excellent=others_finalised.get(Rating.EXCELLENT, 0),
        ward_good=others_finalised.get(Rating.GOOD, 0),
        workplace_role=entry.workplace_role,
    )
