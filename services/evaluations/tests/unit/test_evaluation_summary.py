from datetime import date

from evaluations.domain import EvaluationState, Placement, Rating, RosterEntry
from evaluations.service import UseCases
from evaluations.service.commands import FinaliseRating, ProposeRating
from evaluations.service.workplace import AssessmentSubmission


async def enrol(service: UseCases, member_id: str, cell: str, role: str) -> None:
    entry = RosterEntry(member_id, member_id, role, [Placement(cell, None)])
    await service.roster.enrol(entry, 1, f"registered-{member_id}")


async def given_a_ward(service: UseCases) -> None:
    await enrol(service, "an", "gv-tdp-1", "CADRE")
    await enrol(service, "binh", "gv-tdp-1", "CADRE")
    await enrol(service, "chi", "gv-tdp-2", "OTHER")
    await enrol(service, "kim", "km-tdp-1", "CADRE")
    await service.workplace.submit(
        "ubnd",
        [AssessmentSubmission("1", "an", "2019-10", "PEOPLES_COMMITTEE_CHAIR", "Bình", "GOOD")],
    )
    await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.GOOD, None, None), "bí thư"
    )
    await service.finalisations.finalise_rating(
        FinaliseRating("an:2019-10", Rating.GOOD, None, {}), "Đảng ủy"
    )
    await service.evaluations.propose_rating(
        ProposeRating("binh", "2019-10", Rating.EXCELLENT, None, None), "bí thư"
    )


async def test_a_ward_summary_counts_ratings_waiting_proposals_and_missing_job_results(
    service: UseCases,
) -> None:
    await given_a_ward(service)
    summary = await service.reports.evaluation_summary("giang-vo", "2019-10")
    assert summary.evaluated == 3
    assert summary.by_state[EvaluationState.FINALISED] == 1
    assert summary.by_state[EvaluationState.PROPOSED] == 1
    assert summary.by_state[EvaluationState.DRAFT] == 1
    assert summary.by_rating[Rating.GOOD] == 1
    assert summary.share(Rating.GOOD) == 1.0
    assert summary.missing_workplace_assessment == ["binh"]
    assert {f.finding.rule for f in summary.findings} == {
        "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT",
        "WORKPLACE_RESULTS_EXPECTED",
    }


async def test_a_cell_summary_covers_that_cell_only(service: UseCases) -> None:
    await given_a_ward(service)
    summary = await service.reports.evaluation_summary("gv-tdp-2", "2019-10")
    assert summary.evaluated == 1
    assert summary.by_state[EvaluationState.DRAFT] == 1
    assert summary.missing_workplace_assessment == []


async def test_the_district_summary_covers_every_ward(service: UseCases) -> None:
    await given_a_ward(service)
    summary = await service.reports.evaluation_summary("ba-dinh", "2019-10")
    assert summary.evaluated == 4
    assert sorted(summary.missing_workplace_assessment) == ["binh", "kim"]


async def test_the_summary_counts_read_from_kept_counts_equal_those_counted_from_the_members(
    service: UseCases,
) -> None:
    await given_a_ward(service)
    await service.roster.record_transfer(
        "binh", Placement("km-tdp-1", date(2019, 10, 10), "t-binh"), "e-binh"
    )

    for organisation in ("giang-vo", "kim-ma", "ba-dinh", "gv-tdp-1", "km-tdp-1"):
        for period in ("2019-09", "2019-10", "2019"):
            counts = await service.reports.summary_counts(organisation, period)
            summary = await service.reports.evaluation_summary(organisation, period)
            assert counts.evaluated == summary.evaluated
            assert +counts.by_state == +summary.by_state
            assert +counts.by_rating == +summary.by_rating
            missing = len(summary.missing_workplace_assessment)
            assert counts.missing_workplace_assessment == missing
