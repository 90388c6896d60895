"""The counts an organisation's evaluation summary reads are kept per cell by the writes that
change the roster or an evaluation: after a mix of writes, some of them at once, they equal a
recount from every member's roster entry and evaluation."""

import asyncio
import uuid
from collections import Counter
from datetime import date
from typing import Any

from evaluations.domain import Placement, Policy, Rating
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
from evaluations.repository.roster_documents import placement_document
from evaluations.repository.summary_counts import MongoSummaryCounts
from evaluations.service import UseCases
from evaluations.service.commands import FinaliseRating, ProposeRating
from evaluations.service.roster_ports import Profile
from evaluations.service.workplace import AssessmentSubmission
from kit.testing import ServiceUnderTest

PERIODS = ("2019-09", "2019-10", "2019-11", "2019")


async def kept(service: UseCases, organisation: str, period: str) -> tuple[Any, ...]:
    counts = await service.reports.summary_counts(organisation, period)
    missing = counts.missing_workplace_assessment
    return counts.evaluated, +counts.by_state, +counts.by_rating, missing


async def recounted(service: UseCases, organisation: str, period: str) -> tuple[Any, ...]:
    summary = await service.reports.evaluation_summary(organisation, period)
    missing = len(summary.missing_workplace_assessment)
    return summary.evaluated, +summary.by_state, +Counter(summary.by_rating), missing


async def proposed(service: UseCases, member: str, period: str, rating: Rating) -> Any:
    return await service.evaluations.propose_rating(ProposeRating(member, period, rating), "bí thư")


async def finalised(service: UseCases, member: str, period: str) -> None:
    evaluation = await proposed(service, member, period, Rating.GOOD)
    await service.finalisations.finalise_rating(
        FinaliseRating(evaluation.id, Rating.GOOD), "Đảng ủy"
    )


async def test_the_kept_counts_equal_a_recount_after_a_mix_of_writes_some_at_once(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ward, (agency, first, second) = await scenario.ward()
    _, other_ward, (other_agency, other_cell, _) = await scenario.ward(district=district)
    cells = (agency, first, second, other_agency, other_cell)
    await scenario.until_known(district, ward, other_ward, *cells)
    ours = [await scenario.member(first) for _ in range(6)]
    theirs = [await scenario.member(second, "OTHER") for _ in range(3)]
    others = [await scenario.member(other_cell) for _ in range(3)]
    for member, cell in [*((m, first) for m in ours), *((m, other_cell) for m in others)]:
        await scenario.until_evaluated_by(member, "2019-10", cell)
    for member in theirs:
        await scenario.until_evaluated_by(member, "2019-10", second)
    evaluations = use_cases(MongoRepositories(service.app.state.runtime.db), Policy())

    def propose(member: str, period: str, rating: Rating) -> Any:
        return proposed(evaluations, member, period, rating)

    await finalised(evaluations, ours[0], "2019-10")
    await asyncio.gather(  # proposals, a batch of transfers and one by event, at once
        propose(ours[1], "2019-10", Rating.EXCELLENT),
        propose(ours[2], "2019", Rating.GOOD),
        propose(theirs[0], "2019-11", Rating.GOOD),
        evaluations.roster.record_transfers(
            [
                (ours[0], Placement(other_cell, date(2019, 10, 20), f"t-{ours[0]}"), "e-0"),
                (ours[1], Placement(second, date(2019, 11, 3), f"t-{ours[1]}"), "e-1"),
                (others[0], Placement(agency, date(2019, 9, 1), f"t-{others[0]}"), "e-2"),
            ]
        ),
        scenario.transfer(theirs[1], second, other_agency, "2019-10-15"),
        evaluations.workplace.submit(
            "ubnd",
            [
                AssessmentSubmission(
                    "1", ours[3], "2019-10", "PEOPLES_COMMITTEE_CHAIR", "B", "GOOD"
                ),
                AssessmentSubmission(
                    "2", ours[0], "2019-10", "PEOPLES_COMMITTEE_CHAIR", "B", "GOOD"
                ),
                AssessmentSubmission(
                    "3", others[1], "2019", "PEOPLES_COMMITTEE_CHAIR", "B", "GOOD"
                ),
            ],
        ),
        evaluations.roster.update_profile(theirs[2], "Tên", "CADRE", 5),  # job results count now
        evaluations.roster.update_profiles([Profile(ours[4], "Tên", "OTHER", 5)]),  # no longer
    )
    await scenario.until_evaluated_by(theirs[1], "2019-10", other_agency)
    await evaluations.roster.redate_transfer(ours[1], f"t-{ours[1]}", date(2019, 10, 2), "e-3")

    for organisation in (district, ward, other_ward, *cells):
        for period in PERIODS:
            assert await kept(evaluations, organisation, period) == await recounted(
                evaluations, organisation, period
            ), (organisation, period)
    # nine registered; one left before October ended, one came; the finalised one stays
    assert (await kept(evaluations, ward, "2019-10"))[0] == 9
    assert (await kept(evaluations, ward, "2019-11"))[0] == 8  # the finalised one's left too
    # cadres on the roster then: five in its cells and one who came, one of them assessed
    assert (await kept(evaluations, ward, "2019-10"))[3] == 5


async def test_the_kept_counts_equal_a_recount_after_receptions_in_bulk_from_a_dissolved_cell(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ward, (agency, first, second) = await scenario.ward()
    _, other_ward, (other_agency, other_cell) = await scenario.ward(cells=1, district=district)
    cells = (agency, first, second, other_agency, other_cell)
    await scenario.until_known(district, ward, other_ward, *cells)
    dissolved = [await scenario.member(agency, role) for role in ("CADRE", "OTHER") * 4]
    earlier = await scenario.member(first)  # moved to the agency on 2019-10-02, then on
    for member in dissolved:
        await scenario.until_evaluated_by(member, "2019-10", agency)
    await scenario.until_evaluated_by(earlier, "2019-10", first)
    evaluations = use_cases(MongoRepositories(service.app.state.runtime.db), Policy())

    await finalised(evaluations, dissolved[0], "2019-10")
    await finalised(evaluations, earlier, "2019-10")
    await evaluations.roster.record_transfers(
        [(earlier, Placement(agency, date(2019, 10, 2), f"t-{earlier}-a"), "e-a")]
    )
    await proposed(evaluations, dissolved[1], "2019", Rating.EXCELLENT)
    await proposed(evaluations, dissolved[2], "2019-11", Rating.GOOD)
    await evaluations.workplace.submit(
        "ubnd",
        [
            AssessmentSubmission(str(n), m, period, "PEOPLES_COMMITTEE_CHAIR", "B", "GOOD")
            for n, (m, period) in enumerate(
                [(dissolved[0], "2019-10"), (dissolved[2], "2019"), (earlier, "2019-10")]
            )
        ],
    )
    unknown = f"member-{uuid.uuid4().hex[:8]}"  # its registration not heard of yet
    received = [*dissolved, earlier, unknown]
    moves = [
        (m, Placement((second, other_cell)[n % 2], date(2019, 10, 8), f"t-{m}"), f"e-{m}")
        for n, m in enumerate(received)
    ]

    await evaluations.roster.record_transfers(moves, [agency])
    await evaluations.roster.record_transfers(moves, [agency])  # the batch redelivered

    for organisation in (district, ward, other_ward, *cells):
        for period in PERIODS:
            assert await kept(evaluations, organisation, period) == await recounted(
                evaluations, organisation, period
            ), (organisation, period)
    assert (await kept(evaluations, agency, "2019-10"))[0] == 1  # the finalised one stays
    assert (await kept(evaluations, agency, "2019-09"))[0] == len(dissolved)


async def test_a_write_that_stopped_before_counting_again_is_counted_by_the_next_summary(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, first, second) = await scenario.ward()
    member = await scenario.member(first)
    await scenario.until_evaluated_by(member, "2019-10", first)
    db = service.app.state.runtime.db
    evaluations = use_cases(MongoRepositories(db), Policy())
    before = await kept(evaluations, second, "2019-10")
    counts = MongoSummaryCounts(db)
    stopped = "2019-12-01T00:00:00+00:00 a write that never came back"

    await counts.mark(counts.roster_counts, [first, second], stopped)
    moved = placement_document(Placement(second, date(2019, 10, 5), "t-stopped"))
    await db["roster"].update_one(
        {"_id": member}, {"$push": {"placements": moved}, "$addToSet": {"cell_ids": second}}
    )

    assert before[0] + 1 == (await kept(evaluations, second, "2019-10"))[0]
    recount = await recounted(evaluations, first, "2019-10")
    assert await kept(evaluations, first, "2019-10") == recount
    marks = await db["roster_counts"].find_one({"_id": second})
    assert stopped not in marks["pending"]
