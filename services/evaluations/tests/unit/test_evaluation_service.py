import asyncio
from collections.abc import Collection
from datetime import date

import pytest
from evaluations.domain import (
    AssignmentResult,
    Conflict,
    DomainError,
    EvaluationState,
    Forbidden,
    InvalidTransition,
    KeyField,
    MemberKey,
    NotFound,
    Placement,
    PolicyViolation,
    Rating,
    RosterEntry,
    Stay,
    member_key,
    workplace_assessment_id,
)
from evaluations.service import UseCases
from evaluations.service.commands import (
    AddHostFeedback,
    AssignTask,
    FinaliseRating,
    ProposeRating,
    SelfAssess,
)
from evaluations.service.workplace import AssessmentSubmission, Outcome

from services.evaluations.tests.unit.fakes import Fakes

CHAIRMAN = "PEOPLES_COMMITTEE_CHAIR"


async def enrol(service: UseCases, member_id: str, cell: str, role: str | None = "CADRE") -> None:
    entry = RosterEntry(member_id, f"Member {member_id}", role, [Placement(cell, None)])
    await service.roster.enrol(entry, 1, f"registered-{member_id}")


async def transfer(service: UseCases, member_id: str, to: str, on: date) -> None:
    placement = Placement(to, on, f"transfer-{member_id}-{to}")
    await service.roster.record_transfer(member_id, placement, f"received-{member_id}-{to}")


def item(
    external_id: str, member_id: str, period: str = "2019-10", rating: str = "GOOD"
) -> AssessmentSubmission:
    return AssessmentSubmission(external_id, member_id, period, CHAIRMAN, "Trần Văn Bình", rating)


async def assess(service: UseCases, member_id: str, period: str, rating: str) -> None:
    results = await service.workplace.submit(
        "ubnd-giang-vo", [item(f"{member_id}-{period}", member_id, period, rating)]
    )
    assert results[0].outcome is Outcome.RECORDED


async def finalise(service: UseCases, member_id: str, period: str, rating: Rating) -> None:
    await service.evaluations.propose_rating(
        ProposeRating(member_id, period, rating, None, None), "cell secretary"
    )
    await service.finalisations.finalise_rating(
        FinaliseRating(f"{member_id}:{period}", rating, None, {}), "ward committee"
    )


async def test_a_member_moved_to_a_residential_cell_is_evaluated_there_for_the_month(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-agency")
    await transfer(service, "an", "gv-tdp-1", date(2019, 10, 1))
    [october] = await service.evaluations.evaluations_of("an", "2019-10")
    [september] = await service.evaluations.evaluations_of("an", "2019-09")
    assert (october.cell_id, october.state) == ("gv-tdp-1", EvaluationState.DRAFT)
    assert september.cell_id == "gv-agency"


async def test_a_transfer_event_delivered_twice_adds_one_placement(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-agency")
    await transfer(service, "an", "gv-tdp-1", date(2019, 10, 1))
    await transfer(service, "an", "gv-tdp-1", date(2019, 10, 1))
    entry = await service.roster.entry("an")
    assert len(entry.placements) == 2


async def test_a_late_transfer_hands_the_unfinalised_evaluations_to_the_new_cell(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-agency")
    await service.evaluations.self_assess(SelfAssess("an", "2019-10", Rating.GOOD, "done my part"))
    await transfer(service, "an", "gv-tdp-1", date(2019, 10, 20))
    [october] = await service.evaluations.evaluations_of("an", "2019-10")
    assert october.cell_id == "gv-tdp-1"
    assert october.self_rating is Rating.GOOD


async def test_the_cell_assigns_a_task_and_records_its_result(service: UseCases) -> None:
    await enrol(service, "an", "gv-tdp-1")
    assignment = await service.assignments.assign_task(
        AssignTask("an", "2019-10", "Theo dõi, giúp đỡ quần chúng Lê Thị Hoa", date(2019, 10, 2))
    )
    assert assignment.cell_id == "gv-tdp-1"
    await service.assignments.record_assignment_result(
        assignment.id, AssignmentResult.DONE, "Đã hoàn thành"
    )
    [stored] = await service.assignments.assignments_of("an", "2019-10")
    assert (stored.result, stored.note) == (AssignmentResult.DONE, "Đã hoàn thành")


async def test_a_cell_that_does_not_evaluate_the_member_cannot_assign_them_a_task(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    with pytest.raises(Forbidden):
        await service.assignments.assign_task(
            AssignTask("an", "2019-10", "Trực tổ dân phố", cell_id="gv-tdp-2")
        )


async def test_a_task_needs_a_known_member_and_words(service: UseCases) -> None:
    with pytest.raises(NotFound):
        await service.assignments.assign_task(AssignTask("nobody", "2019-10", "Trực tổ dân phố"))
    await enrol(service, "an", "gv-tdp-1")
    with pytest.raises(DomainError):
        await service.assignments.assign_task(AssignTask("an", "2019-10", "   "))


async def test_the_same_bulk_submission_sent_twice_stores_each_assessment_once(
    service: UseCases,
    fakes: Fakes,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await enrol(service, "binh", "gv-tdp-2")
    bulk = [item("hr-1", "an"), item("hr-2", "binh", rating="EXCELLENT")]
    first = await service.workplace.submit("city-hr", bulk)
    again = await service.workplace.submit("city-hr", bulk)
    assert [r.outcome for r in first] == [Outcome.RECORDED, Outcome.RECORDED]
    assert [r.outcome for r in again] == [Outcome.ALREADY_RECORDED, Outcome.ALREADY_RECORDED]
    assert len(fakes.assessments.assessments) == 2
    assert len(fakes.assessments.published) == 2


async def test_each_item_of_a_bulk_is_checked_on_its_own(service: UseCases) -> None:
    await enrol(service, "an", "gv-tdp-1")
    results = await service.workplace.submit(
        "city-hr",
        [
            item("ok", "an"),
            item("unknown-member", "nobody"),
            item("bad-period", "an", period="2019-13"),
            item("bad-rating", "an", rating="SUPERB"),
            AssessmentSubmission("bad-role", "an", "2019-10", "MAYOR", "X", "GOOD"),
        ],
    )
    assert [r.outcome for r in results] == [Outcome.RECORDED] + [Outcome.REJECTED] * 4
    assert [r.error.code for r in results[1:] if r.error] == ["NOT_FOUND"] + ["BAD_USER_INPUT"] * 3
    assert [r.error.details.get("field") for r in results[2:] if r.error] == [
        "period",
        "rating",
        "assessorRole",
    ]


async def test_an_external_id_reused_for_another_assessment_is_a_conflict(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await service.workplace.submit("city-hr", [item("hr-1", "an")])
    [result] = await service.workplace.submit("city-hr", [item("hr-1", "an", rating="EXCELLENT")])
    assert result.outcome is Outcome.REJECTED
    assert isinstance(result.error, Conflict)


async def test_supervision_feedback_comes_from_a_member_of_the_same_residential_cell(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await enrol(service, "chi", "gv-tdp-1", role="OTHER")
    feedback = await service.supervision.add_supervision_feedback(
        "an", "chi", "2019-10", "Gương mẫu"
    )
    assert feedback.cell_id == "gv-tdp-1"
    assert await service.supervision.feedback_of("an", feedback.period) == [feedback]


async def test_a_member_of_another_cell_may_not_give_supervision_feedback(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await enrol(service, "dung", "gv-tdp-2", role="OTHER")
    with pytest.raises(Forbidden):
        await service.supervision.add_supervision_feedback("an", "dung", "2019-10", "Tốt")


async def test_supervision_feedback_is_given_only_within_a_residential_cell(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-agency")
    await enrol(service, "chi", "gv-agency", role="OTHER")
    with pytest.raises(DomainError, match="residential"):
        await service.supervision.add_supervision_feedback("an", "chi", "2019-10", "Tốt")


async def test_members_do_not_supervise_themselves(service: UseCases) -> None:
    await enrol(service, "an", "gv-tdp-1")
    with pytest.raises(Forbidden):
        await service.supervision.add_supervision_feedback("an", "an", "2019-10", "Tốt")


async def test_an_evaluation_goes_from_draft_to_proposed_to_finalised(
    service: UseCases,
    fakes: Fakes,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await assess(service, "an", "2019-10", "GOOD")
    drafted = await service.evaluations.self_assess(
        SelfAssess("an", "2019-10", Rating.GOOD, "Hoàn thành tốt")
    )
    proposed = await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.GOOD, None, None), "bí thư"
    )
    final = await service.finalisations.finalise_rating(
        FinaliseRating("an:2019-10", Rating.GOOD, None, {}), "Đảng ủy"
    )
    assert [drafted.state, proposed.state, final.state] == [
        EvaluationState.DRAFT,
        EvaluationState.PROPOSED,
        EvaluationState.FINALISED,
    ]
    assert [step.state for step in final.history] == [
        EvaluationState.DRAFT,
        EvaluationState.PROPOSED,
        EvaluationState.FINALISED,
    ]
    [event] = fakes.evaluations.published
    assert event["type"] == "partyorg.evaluations.evaluation.finalised.v1"
    assert event["data"]["rating"] == "GOOD"
    assert event["data"]["organisationId"] == "gv-tdp-1"


async def test_a_draft_cannot_be_finalised_nor_a_finalised_one_proposed_again(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1", role="OTHER")
    with pytest.raises(InvalidTransition):
        await service.finalisations.finalise_rating(
            FinaliseRating("an:2019-10", Rating.GOOD, None, {}), "Đảng ủy"
        )
    await finalise(service, "an", "2019-10", Rating.GOOD)
    with pytest.raises(InvalidTransition):
        await service.evaluations.propose_rating(
            ProposeRating("an", "2019-10", Rating.GOOD, None, None), "bí thư"
        )
    with pytest.raises(InvalidTransition):
        await service.evaluations.self_assess(SelfAssess("an", "2019-10", Rating.GOOD, None))


async def test_finalising_excellent_for_a_cadre_whose_workplace_rank_is_good_is_refused(
    service: UseCases,
    fakes: Fakes,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await assess(service, "an", "2019-10", "GOOD")
    await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.EXCELLENT, None, None), "bí thư"
    )
    with pytest.raises(PolicyViolation) as refused:
        await service.finalisations.finalise_rating(
            FinaliseRating("an:2019-10", Rating.EXCELLENT, None, {}), "Đảng ủy"
        )
    sources = {f["source"] for f in refused.value.details["findings"]}  # type: ignore[attr-defined]
    assert "21-HD/BTCTW" in sources
    stored = await service.evaluations.evaluation("an:2019-10")
    assert stored.state is EvaluationState.PROPOSED
    assert fakes.evaluations.published == []


async def test_an_override_with_a_reason_finalises_past_a_blocking_finding_and_is_recorded(
    service: UseCases,
    fakes: Fakes,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await assess(service, "an", "2019-10", "GOOD")
    await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.EXCELLENT, None, None), "bí thư"
    )
    overrides = {
        "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT": "Workplace rank under appeal",
        "NOT_ABOVE_WORKPLACE_RANK": "Same",
    }
    final = await service.finalisations.finalise_rating(
        FinaliseRating("an:2019-10", Rating.EXCELLENT, None, overrides), "Đảng ủy"
    )
    assert final.state is EvaluationState.FINALISED
    assert {o.rule: o.reason for o in final.overrides} == overrides
    [event] = fakes.evaluations.published
    assert len(event["data"]["overrides"]) == 2


async def test_an_override_needs_a_reason_and_a_finding_to_answer(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await assess(service, "an", "2019-10", "GOOD")
    await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.GOOD, None, None), "bí thư"
    )
    with pytest.raises(DomainError, match="No blocking finding"):
        await service.finalisations.finalise_rating(
            FinaliseRating("an:2019-10", Rating.GOOD, None, {"EXCELLENT_QUOTA": "why not"}),
            "Đảng ủy",
        )
    await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.EXCELLENT, None, None), "bí thư"
    )
    with pytest.raises(DomainError, match="reason"):
        await service.finalisations.finalise_rating(
            FinaliseRating(
                "an:2019-10",
                Rating.EXCELLENT,
                None,
                {"CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT": " ", "NOT_ABOVE_WORKPLACE_RANK": "x"},
            ),
            "Đảng ủy",
        )


async def test_in_a_ward_with_10_good_a_third_excellent_for_2019_is_refused(
    service: UseCases,
) -> None:
    cells = ["gv-tdp-1", "gv-tdp-2"]
    for n in range(10):
        await enrol(service, f"good-{n}", cells[n % 2], role="OTHER")
        await finalise(service, f"good-{n}", "2019", Rating.GOOD)
    for n in range(3):
        await enrol(service, f"excellent-{n}", cells[n % 2], role="OTHER")
    await finalise(service, "excellent-0", "2019", Rating.EXCELLENT)
    await finalise(service, "excellent-1", "2019", Rating.EXCELLENT)
    with pytest.raises(PolicyViolation) as refused:
        await finalise(service, "excellent-2", "2019", Rating.EXCELLENT)
    [finding] = refused.value.details["findings"]  # type: ignore[misc]
    assert finding["rule"] == "EXCELLENT_QUOTA"
    assert finding["source"] == "21-HD/BTCTW"


async def test_the_quota_counts_within_the_ward_only(service: UseCases) -> None:
    for n in range(5):
        await enrol(service, f"good-{n}", "gv-tdp-1", role="OTHER")
        await finalise(service, f"good-{n}", "2019", Rating.GOOD)
    await enrol(service, "kim-ma-excellent", "km-tdp-1", role="OTHER")
    with pytest.raises(PolicyViolation):
        await finalise(service, "kim-ma-excellent", "2019", Rating.EXCELLENT)
    await enrol(service, "giang-vo-excellent", "gv-tdp-2", role="OTHER")
    await finalise(service, "giang-vo-excellent", "2019", Rating.EXCELLENT)


async def test_policy_findings_show_what_the_rules_say_of_a_proposal(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await assess(service, "an", "2019-10", "GOOD")
    proposed = await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.EXCELLENT, None, None), "bí thư"
    )
    findings = await service.findings.policy_findings(proposed)
    assert {f.rule for f in findings} == {
        "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT",
        "NOT_ABOVE_WORKPLACE_RANK",
    }


async def test_a_2025_rating_is_checked_against_its_score(service: UseCases) -> None:
    await enrol(service, "an", "gv-tdp-1", role="OTHER")
    await service.evaluations.propose_rating(
        ProposeRating("an", "2025-09", Rating.GOOD, 65, None), "bí thư"
    )
    with pytest.raises(PolicyViolation, match="366-QĐ/TW"):
        await service.finalisations.finalise_rating(
            FinaliseRating("an:2025-09", Rating.GOOD, 65, {}), "Đảng ủy"
        )
    final = await service.finalisations.finalise_rating(
        FinaliseRating("an:2025-09", Rating.COMPLETED, 65, {}), "Đảng ủy"
    )
    assert (final.final_rating, final.score) == (Rating.COMPLETED, 65)


async def test_a_score_outside_0_to_100_is_refused(service: UseCases) -> None:
    await enrol(service, "an", "gv-tdp-1", role="OTHER")
    with pytest.raises(DomainError, match="100-point"):
        await service.evaluations.propose_rating(
            ProposeRating("an", "2025-09", Rating.GOOD, 120, None), "bí thư"
        )


async def test_the_evaluations_of_a_ward_include_drafts_of_everyone_on_its_roster(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await enrol(service, "binh", "gv-tdp-2")
    await enrol(service, "kim", "km-tdp-1")
    await service.evaluations.propose_rating(
        ProposeRating("an", "2019-10", Rating.GOOD, None, None), "bí thư"
    )
    found = await service.evaluations.evaluations_in("giang-vo", "2019-10", None)
    assert [(e.member_id, e.state) for e in found] == [
        ("an", EvaluationState.PROPOSED),
        ("binh", EvaluationState.DRAFT),
    ]
    proposed = await service.evaluations.evaluations_in(
        "ba-dinh", "2019-10", EvaluationState.PROPOSED
    )
    assert [e.member_id for e in proposed] == ["an"]


async def test_an_unknown_evaluation_is_not_found(service: UseCases) -> None:
    with pytest.raises(NotFound):
        await service.evaluations.evaluation("nobody:2019-10")


async def test_an_older_member_update_does_not_overwrite_a_newer_one(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1", role="OTHER")
    await service.roster.update_profile("an", "Nguyễn Văn An", "CADRE", 3)
    await service.roster.update_profile("an", "Old name", "OTHER", 2)
    entry = await service.roster.entry("an")
    assert (entry.full_name, entry.workplace_role) == ("Nguyễn Văn An", "CADRE")


async def test_excellent_finalisations_sent_at_once_still_keep_the_quota(
    service: UseCases,
) -> None:
    for n in range(5):
        await enrol(service, f"good-{n}", "gv-tdp-1", role="OTHER")
        await finalise(service, f"good-{n}", "2019", Rating.GOOD)
    for n in range(3):
        await enrol(service, f"excellent-{n}", "gv-tdp-2", role="OTHER")
        await service.evaluations.propose_rating(
            ProposeRating(f"excellent-{n}", "2019", Rating.EXCELLENT, None, None), "bí thư"
        )

    outcomes = await asyncio.gather(
        *(
            service.finalisations.finalise_rating(
                FinaliseRating(f"excellent-{n}:2019", Rating.EXCELLENT, None, {}), "Đảng ủy"
            )
            for n in range(3)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(outcome, PolicyViolation) for outcome in outcomes) == 2


async def test_items_for_members_outside_the_senders_cells_are_refused_and_the_rest_recorded(
    service: UseCases,
    fakes: Fakes,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await enrol(service, "dung", "km-tdp-1")

    async def giang_vo_only(cells: Collection[str | None]) -> set[str | None]:
        return {cell for cell in cells if cell is not None and cell.startswith("gv-")}

    results = await service.workplace.submit(
        "UBND Giảng Võ",
        [item("1", "an"), item("2", "dung"), item("3", "nobody"), item("4", "an", "2019-13")],
        submitted_by="svc-giang-vo",
        covered=giang_vo_only,
    )
    assert [r.outcome for r in results] == [Outcome.RECORDED] + [Outcome.REJECTED] * 3
    assert [r.error.code for r in results[1:] if r.error] == [
        "FORBIDDEN",
        "FORBIDDEN",
        "BAD_USER_INPUT",
    ]
    assert str(results[1].error) == str(results[2].error)  # an unknown member looks the same
    [stored] = fakes.assessments.assessments.values()
    assert (stored.member_id, stored.submitted_by, stored.submitter) == (
        "an",
        "svc-giang-vo",
        "UBND Giảng Võ",
    )


async def test_two_senders_using_the_same_name_and_external_ids_do_not_shadow_each_other(
    service: UseCases,
    fakes: Fakes,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    first = await service.workplace.submit("city-hr", [item("hr-1", "an")], submitted_by="svc-a")
    other = await service.workplace.submit(
        "city-hr", [item("hr-1", "an", rating="NOT_COMPLETED")], submitted_by="svc-b"
    )
    assert [first[0].outcome, other[0].outcome] == [Outcome.RECORDED, Outcome.RECORDED]
    ratings = {a.submitted_by: a.rating for a in fakes.assessments.assessments.values()}
    assert ratings == {"svc-a": Rating.GOOD, "svc-b": Rating.NOT_COMPLETED}


def test_a_colon_in_the_senders_identity_cannot_make_two_ids_meet() -> None:
    assert workplace_assessment_id("svc:a", "b") != workplace_assessment_id("svc", "a:b")
    assert workplace_assessment_id("svc%3Aa", "b") != workplace_assessment_id("svc:a", "b")


async def test_a_member_moved_twice_in_one_batch_ends_in_the_second_cell(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-agency")
    first = Placement("gv-tdp-1", date(2019, 10, 1), "transfer-an-1")
    second = Placement("gv-tdp-2", date(2019, 10, 20), "transfer-an-2")

    await service.roster.record_transfers(
        [("an", first, "received-1"), ("an", second, "received-2")]
    )

    entry = await service.roster.entry("an")
    assert [p.cell_id for p in entry.placements] == ["gv-agency", "gv-tdp-1", "gv-tdp-2"]
    [october] = await service.evaluations.evaluations_of("an", "2019-10")
    assert october.cell_id == "gv-tdp-2"


async def host_on_a_temporary_stay(service: UseCases, host: str) -> None:
    """An in the home cell gv-tdp-1, hosted by `host` from 04/10/2019 to 31/3/2020."""
    stay = Stay(host, date(2019, 10, 4), date(2020, 3, 31), f"stay-{host}")
    await service.roster.record_stays([("an", stay, f"event-{host}")])


async def test_the_host_cell_gives_feedback_for_a_period_it_hosted_the_member(
    service: UseCases,
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await host_on_a_temporary_stay(service, "km-tdp-1")
    feedback = await service.hosting.add_host_feedback(
        AddHostFeedback("an", "2019-11", "km-tdp-1", "Tham gia sinh hoạt đầy đủ"),
        "Bí thư chi bộ",
        "u-km",
    )
    assert (feedback.host_cell_id, str(feedback.period)) == ("km-tdp-1", "2019-11")
    assert await service.hosting.of_members(["an"], feedback.period) == {"an": [feedback]}
    assert (await service.roster.entry("an")).cell_for(feedback.period) == "gv-tdp-1"


@pytest.mark.parametrize(
    ("cell", "period"),
    [("gv-tdp-2", "2019-11"), ("km-tdp-1", "2019-09"), ("km-tdp-1", "2020-04")],
    ids=["another cell", "before the stay", "after the stay"],
)
async def test_no_cell_gives_host_feedback_for_a_period_it_did_not_host_the_member(
    service: UseCases, cell: str, period: str
) -> None:
    await enrol(service, "an", "gv-tdp-1")
    await host_on_a_temporary_stay(service, "km-tdp-1")
    with pytest.raises(Forbidden):
        await service.hosting.add_host_feedback(
            AddHostFeedback("an", period, cell, "Tốt"), "Bí thư", "u-1"
        )


def test_an_item_names_its_member_by_exactly_one_key_and_a_citizen_id_by_twelve_digits() -> None:
    assert member_key(None, " 01.777001 ", None) == MemberKey(KeyField.CARD_NUMBER, "01.777001")
    assert member_key("", None, "001086000123").field is KeyField.CITIZEN_ID
    for given, field in (
        ((None, None, None), "memberId"),
        (("m-1", "01.1", None), "cardNumber"),
        ((None, None, "00108600012"), "citizenId"),
        ((None, None, "00108600012x"), "citizenId"),
    ):
        with pytest.raises(DomainError) as refused:
            member_key(*given)
        assert refused.value.details["field"] == field


async def test_a_cells_ward_committee_is_named_and_none_for_a_cell_under_no_ward_or_unknown(
    service: UseCases,
) -> None:
    wards = await service.roster.ward_committees_of({"gv-tdp-1", "km-tdp-1", "ba-dinh", "gone"})
    assert wards == {"gv-tdp-1": "giang-vo", "km-tdp-1": "kim-ma", "ba-dinh": None, "gone": None}
