"""Two replicas of the evaluations service finalising at once on one database: the EXCELLENT
quota holds, as the ward's places are taken in the store, not behind a lock in one process."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from evaluations.domain import Period, Policy, PolicyViolation, Rating
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
from evaluations.service import UseCases
from evaluations.service.commands import FinaliseRating, FinaliseRatings
from kit.testing import ServiceUnderTest

from services.evaluations.tests.integration.test_ranking import finalise, propose


class ReadThenWait(MongoRepositories):
    """A replica's repositories whose first read of a ward's finalised ratings (a finalisation
    deciding) then waits for `until`: the other replica's step."""

    def __init__(self, service: ServiceUnderTest, until: Callable[[], Awaitable[object]]) -> None:
        super().__init__(service.app.state.runtime.db)
        evaluations, waited = self.evaluations, False
        read = evaluations.finalised_ratings

        async def finalised_ratings(cell_ids: Sequence[str], period: Period) -> dict[str, Rating]:
            nonlocal waited
            found = await read(cell_ids, period)
            if not waited:
                waited = True
                await until()
            return found

        evaluations.finalised_ratings = finalised_ratings  # type: ignore[method-assign]


def replicas(service: ServiceUnderTest) -> tuple[UseCases, UseCases]:
    """Two replicas that both read the ward before either goes on."""
    together = asyncio.Barrier(2)
    first, second = (use_cases(ReadThenWait(service, together.wait), Policy()) for _ in range(2))
    return first, second


async def a_ward_with_one_excellent_place_left(
    scenario: Any, service: ServiceUnderTest, good: list[str] | None = None
) -> list[str]:
    """10 GOOD and 1 EXCELLENT finalised for 2019 (room for 2), and two proposed EXCELLENT;
    the GOOD evaluations' ids added to `good`."""
    _, _, (_, first, second) = await scenario.ward()
    cells = [(first, second)[n % 2] for n in range(13)]
    members = [await scenario.member(cell, "OTHER") for cell in cells]
    for member, cell in zip(members, cells, strict=True):
        await scenario.until_evaluated_by(member, "2019", cell)
    for member in members[:10]:
        evaluation_id = await propose(service, member, "2019", "GOOD")
        assert "errors" not in await finalise(service, evaluation_id, "GOOD")
        (good if good is not None else []).append(evaluation_id)
    assert "errors" not in await finalise(
        service, await propose(service, members[10], "2019", "EXCELLENT"), "EXCELLENT"
    )
    return [await propose(service, member, "2019", "EXCELLENT") for member in members[11:]]


async def test_two_replicas_finalising_the_last_excellent_place_at_once_one_is_refused(
    scenario: Any, service: ServiceUnderTest
) -> None:
    proposed = await a_ward_with_one_excellent_place_left(scenario, service)

    answers = await asyncio.gather(
        *(
            replica.finalisations.finalise_rating(
                FinaliseRating(evaluation_id, Rating.EXCELLENT, None, {}), "Đảng ủy phường"
            )
            for replica, evaluation_id in zip(replicas(service), proposed, strict=True)
        ),
        return_exceptions=True,
    )

    [refusal] = [a for a in answers if isinstance(a, BaseException)]
    assert isinstance(refusal, PolicyViolation), refusal
    assert [f["rule"] for f in refusal.details["findings"]] == ["EXCELLENT_QUOTA"]
    stored = await service.app.state.runtime.db["evaluations"].count_documents(
        {"_id": {"$in": proposed}, "state": "FINALISED", "final_rating": "EXCELLENT"}
    )
    assert stored == 1


async def test_two_replicas_finalising_two_cells_of_a_ward_at_once_keep_the_quota(
    scenario: Any, service: ServiceUnderTest
) -> None:
    proposed = await a_ward_with_one_excellent_place_left(scenario, service)
    first, second = replicas(service)
    evaluations = await first.evaluations.evaluations_by_id(proposed)
    cells = [evaluation.cell_id for evaluation in evaluations if evaluation is not None]
    assert len(set(cells)) == 2  # each replica finalises its cell's proposal

    answers = await asyncio.gather(
        *(
            replica.finalisations.finalise(FinaliseRatings(cell, "2019", None), "Đảng ủy phường")
            for replica, cell in zip((first, second), cells, strict=True)
        )
    )

    [finalised, refused] = sorted(
        (result for results in answers for result in results), key=lambda r: r.outcome.value
    )
    assert finalised.outcome.value == "FINALISED"
    assert isinstance(refused.refusal, PolicyViolation), refused
    assert [f["rule"] for f in refused.refusal.details["findings"]] == ["EXCELLENT_QUOTA"]  # type: ignore[index, union-attr]


async def test_a_good_reopened_while_another_replica_finalises_the_last_excellent_refuses_it(
    scenario: Any, service: ServiceUnderTest
) -> None:
    good: list[str] = []
    proposed = await a_ward_with_one_excellent_place_left(scenario, service, good)
    reopened = asyncio.Event()
    finalising = use_cases(ReadThenWait(service, reopened.wait), Policy())
    reopening = use_cases(MongoRepositories(service.app.state.runtime.db), Policy())

    async def reopen_one_good() -> None:
        await asyncio.sleep(0.2)  # the other replica has read 10 GOOD: room for 2 EXCELLENT
        await reopening.finalisations.reopen_rating(good[0], "a late finding", "Đảng ủy phường")
        reopened.set()  # 9 GOOD now: room for 1, taken

    answer, _ = await asyncio.gather(
        finalising.finalisations.finalise_rating(
            FinaliseRating(proposed[0], Rating.EXCELLENT, None, {}), "Đảng ủy phường"
        ),
        reopen_one_good(),
        return_exceptions=True,
    )

    assert isinstance(answer, PolicyViolation), answer
    assert [f["rule"] for f in answer.details["findings"]] == ["EXCELLENT_QUOTA"]  # type: ignore[index, union-attr]
