from collections.abc import Sequence

import pytest
from evaluations.domain import Conflict, Evaluation, Period, Placement, Rating, RosterEntry
from evaluations.service import UseCases
from evaluations.service.commands import FinaliseRating, FinaliseRatings, ProposeRating
from evaluations.service.ports import Event
from evaluations.service.rating_decisions import FinalisationOutcome, RatingDecision

from services.evaluations.tests.unit.fakes import Fakes

FINALISED, ALREADY, REFUSED = (
    FinalisationOutcome.FINALISED,
    FinalisationOutcome.ALREADY_FINALISED,
    FinalisationOutcome.REFUSED,
)


async def proposed(service: UseCases, member_id: str, cell: str, rating: Rating) -> None:
    entry = RosterEntry(member_id, f"Member {member_id}", "OTHER", [Placement(cell, None)])
    await service.roster.enrol(entry, 1, f"registered-{member_id}")
    await service.evaluations.propose_rating(
        ProposeRating(member_id, "2019", rating, None, None), "cell secretary"
    )


async def test_a_batchs_excellent_ratings_wait_for_its_good_ones_and_the_quota_holds(
    service: UseCases,
) -> None:
    for n in range(3):
        await proposed(service, f"excellent-{n}", "gv-tdp-1", Rating.EXCELLENT)
    for n in range(10):
        await proposed(service, f"good-{n}", ("gv-tdp-1", "gv-tdp-2")[n % 2], Rating.GOOD)

    results = await service.finalisations.finalise(
        FinaliseRatings("giang-vo", "2019", None), "ward committee"
    )

    outcome = {r.member_id: r.outcome for r in results}
    assert [r.member_id for r in results][:3] == ["excellent-0", "excellent-1", "excellent-2"]
    assert [outcome[f"excellent-{n}"] for n in range(3)] == [FINALISED, FINALISED, REFUSED]
    assert {outcome[f"good-{n}"] for n in range(10)} == {FINALISED}
    [over] = [r for r in results if r.outcome is REFUSED]
    assert over.refusal is not None and over.refusal.code == "POLICY_VIOLATION"
    finalised = await service.findings.finalised_ratings(
        ["gv-agency", "gv-tdp-1", "gv-tdp-2"], Period.parse("2019")
    )
    assert finalised.counts == {Rating.GOOD: 10, Rating.EXCELLENT: 2}


async def test_a_rating_decided_again_alike_is_unchanged_and_otherwise_refused(
    service: UseCases,
) -> None:
    await proposed(service, "an", "gv-tdp-1", Rating.GOOD)
    first = await service.finalisations.finalise(
        FinaliseRatings("gv-tdp-1", "2019", [RatingDecision("an", Rating.GOOD)]), "ward committee"
    )
    alike = await service.finalisations.finalise(
        FinaliseRatings("gv-tdp-1", "2019", [RatingDecision("an", Rating.GOOD)]), "ward committee"
    )
    other = await service.finalisations.finalise(
        FinaliseRatings("gv-tdp-1", "2019", [RatingDecision("an", Rating.COMPLETED)]),
        "ward committee",
    )
    elsewhere = await service.finalisations.finalise(
        FinaliseRatings("km-tdp-1", "2019", [RatingDecision("an", Rating.GOOD)]), "ward committee"
    )

    assert [r.outcome for r in (*first, *alike, *other)] == [FINALISED, ALREADY, REFUSED]
    assert other[0].refusal is not None and other[0].refusal.code == "INVALID_TRANSITION"
    assert elsewhere[0].refusal is not None and elsewhere[0].refusal.code == "BAD_USER_INPUT"


async def test_an_excellent_rating_holds_its_place_until_reopened(
    service: UseCases, fakes: Fakes
) -> None:
    await proposed(service, "an", "gv-tdp-1", Rating.EXCELLENT)
    for n in range(5):
        await proposed(service, f"good-{n}", "gv-tdp-2", Rating.GOOD)
    await service.finalisations.finalise(
        FinaliseRatings("giang-vo", "2019", None), "ward committee"
    )
    [an] = [e for e in fakes.evaluations.evaluations.values() if e.member_id == "an"]
    year = Period.parse("2019")

    held = await fakes.excellent_places.of_ward("giang-vo", year)
    await service.finalisations.reopen_rating(an.id, "a late finding", "ward committee")

    assert held is not None and held.excellent == [an.id] and len(held.good) == 5
    assert await fakes.excellent_places.of_ward("giang-vo", year) == (held.excellent[1:], held.good)


async def test_a_place_taken_for_a_write_that_failed_is_given_back(
    service: UseCases, fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    await proposed(service, "an", "gv-tdp-1", Rating.EXCELLENT)
    for n in range(5):
        await proposed(service, f"good-{n}", "gv-tdp-2", Rating.GOOD)
    await service.finalisations.finalise(
        FinaliseRatings("giang-vo", "2019", [RatingDecision(f"good-{n}") for n in range(5)]),
        "ward committee",
    )
    [an] = [e for e in fakes.evaluations.evaluations.values() if e.member_id == "an"]

    async def changed_meanwhile(evaluation: Evaluation, events: Sequence[Event]) -> None:
        raise Conflict("changed meanwhile")  # as when another replica wrote it first

    monkeypatch.setattr(fakes.evaluations, "save", changed_meanwhile)

    with pytest.raises(Conflict):
        await service.finalisations.finalise_rating(
            FinaliseRating(an.id, Rating.EXCELLENT, None, {}), "ward committee"
        )

    places = await fakes.excellent_places.of_ward("giang-vo", Period.parse("2019"))
    assert places is not None and places.excellent == [] and len(places.good) == 5
