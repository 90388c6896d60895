from datetime import UTC, datetime

import pytest
from evaluations.domain import (
    DomainError,
    Evaluation,
    EvaluationState,
    InvalidTransition,
    Period,
    PolicyViolation,
    Rating,
)
from evaluations.service import UseCases
from evaluations.service.commands import FinaliseRating, FinaliseRatings

from services.evaluations.tests.unit.test_finalisations import proposed

AT = datetime(2020, 1, 10, tzinfo=UTC)
REASON = "Đảng viên bị kỷ luật trong năm, phát hiện sau khi xếp loại"


def finalised() -> Evaluation:
    evaluation = Evaluation.start("an", "gv-tdp-1", Period.parse("2019"))
    evaluation.propose(Rating.GOOD, None, None, "Bí thư chi bộ", AT)
    evaluation.finalise(Rating.EXCELLENT, None, [], {}, "Đảng ủy phường", AT)
    return evaluation


def test_a_reopened_rating_is_proposed_again_and_keeps_the_old_rating_who_and_why() -> None:
    evaluation = finalised()
    evaluation.reopen(f" {REASON} ", "Đảng ủy phường", AT, "u-gv")
    assert evaluation.state is EvaluationState.PROPOSED
    assert (evaluation.final_rating, evaluation.finalised_at) == (None, None)
    assert evaluation.proposed_rating is Rating.GOOD
    [reopening] = evaluation.reopenings
    assert (reopening.rating, reopening.reason, reopening.by, reopening.subject) == (
        Rating.EXCELLENT,
        REASON,
        "Đảng ủy phường",
        "u-gv",
    )
    assert evaluation.history[-1].note == f"reopened (was EXCELLENT): {REASON}"
    evaluation.finalise(Rating.GOOD, None, [], {}, "Đảng ủy phường", AT)
    assert evaluation.state is EvaluationState.FINALISED and evaluation.final_rating is Rating.GOOD


def test_only_a_finalised_rating_is_reopened_and_only_with_a_reason() -> None:
    evaluation = finalised()
    with pytest.raises(DomainError, match="reason"):
        evaluation.reopen("  ", "Đảng ủy phường", AT)
    assert evaluation.state is EvaluationState.FINALISED and evaluation.reopenings == []
    evaluation.reopen(REASON, "Đảng ủy phường", AT)
    with pytest.raises(InvalidTransition, match="Only a FINALISED"):
        evaluation.reopen(REASON, "Đảng ủy phường", AT)


async def test_a_reopened_excellent_frees_its_place_in_the_quota_and_finalised_again_counts(
    service: UseCases,
) -> None:
    for n in range(3):
        await proposed(service, f"excellent-{n}", "gv-tdp-1", Rating.EXCELLENT)
    for n in range(10):
        await proposed(service, f"good-{n}", "gv-tdp-2", Rating.GOOD)
    await service.finalisations.finalise(
        FinaliseRatings("giang-vo", "2019", None), "ward committee"
    )

    reopened = await service.finalisations.reopen_rating(
        "excellent-0:2019", REASON, "ward committee", "u-gv"
    )
    third = await service.finalisations.finalise_rating(
        FinaliseRating("excellent-2:2019", Rating.EXCELLENT, None, {}), "ward committee"
    )
    with pytest.raises(PolicyViolation, match="EXCELLENT may not exceed"):
        await service.finalisations.finalise_rating(
            FinaliseRating("excellent-0:2019", Rating.EXCELLENT, None, {}), "ward committee"
        )
    again = await service.finalisations.finalise_rating(
        FinaliseRating("excellent-0:2019", Rating.GOOD, None, {}), "ward committee"
    )

    assert reopened.reopenings[0].rating is Rating.EXCELLENT
    assert third.final_rating is Rating.EXCELLENT and again.final_rating is Rating.GOOD
    finalised_ratings = await service.findings.finalised_ratings(
        ["gv-agency", "gv-tdp-1", "gv-tdp-2"], Period.parse("2019")
    )
    assert finalised_ratings.counts == {Rating.GOOD: 11, Rating.EXCELLENT: 2}
