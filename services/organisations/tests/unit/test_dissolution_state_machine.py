"""Every stage × every step of the dissolution case, against PRODUCT.md's workflow."""

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from organisations.domain import (
    Action,
    Announcement,
    Approval,
    Decision,
    Dissemination,
    DissolutionCase,
    InvalidTransition,
    Plan,
    Relocation,
    Stage,
    Step,
)
from organisations.domain.dissolution import TRANSITIONS, allowed_steps, next_stage

# The workflow as PRODUCT.md states it, written out independently of the domain's table.
WORKFLOW = {
    (Stage.OPENED, Step.RECORD_DISSEMINATION): Stage.DISSEMINATED,
    (Stage.DISSEMINATED, Step.SUBMIT_PLAN): Stage.PLAN_SUBMITTED,
    (Stage.PLAN_SUBMITTED, Step.APPROVE_PLAN): Stage.PLAN_APPROVED,
    (Stage.PLAN_SUBMITTED, Step.RETURN_PLAN): Stage.DISSEMINATED,
    (Stage.PLAN_APPROVED, Step.ISSUE_DECISION): Stage.DECISION_ISSUED,
    (Stage.DECISION_ISSUED, Step.RECORD_ANNOUNCEMENT): Stage.ANNOUNCED,
    (Stage.ANNOUNCED, Step.CLOSE): Stage.CLOSED,
}
EVERY_PAIR = [(stage, step) for stage in Stage for step in Step]

AT = datetime(2019, 10, 20, 9, 0, tzinfo=UTC)
ACTION = Action("Đảng ủy phường Giảng Võ", AT, "theo 383-CV/QU")
RESIDENTIAL_CELL = "cell-tdp-01"


def take(case: DissolutionCase, step: Step) -> object:
    """Take `step` on `case` with valid data for it."""
    steps: dict[Step, Callable[[], object]] = {
        Step.RECORD_DISSEMINATION: lambda: case.record_dissemination(
            Dissemination(date(2019, 9, 9), 20, ["38-KL/TW", "109-KH/TU", "14-HD/BTCTU"]), ACTION
        ),
        Step.SUBMIT_PLAN: lambda: case.submit_plan(Plan("05-PA/ĐU", date(2019, 9, 12), []), ACTION),
        Step.APPROVE_PLAN: lambda: case.approve_plan(Approval(date(2019, 9, 20), None), ACTION),
        Step.RETURN_PLAN: lambda: case.return_plan(date(2019, 9, 18), "Thiếu danh sách", ACTION),
        Step.ISSUE_DECISION: lambda: case.issue_decision(
            Decision("120-QĐ/ĐU", date(2019, 9, 25), "Bí thư Đảng ủy", date(2019, 10, 1)), ACTION
        ),
        Step.RECORD_ANNOUNCEMENT: lambda: case.record_announcement(
            Announcement(date(2019, 9, 30)), ACTION
        ),
        Step.CLOSE: lambda: case.members_relocated(Relocation(20, 3, date(2019, 10, 15)), ACTION),
    }
    return steps[step]()


PATH_TO = {
    Stage.OPENED: [],
    Stage.DISSEMINATED: [Step.RECORD_DISSEMINATION],
    Stage.PLAN_SUBMITTED: [Step.RECORD_DISSEMINATION, Step.SUBMIT_PLAN],
    Stage.PLAN_APPROVED: [Step.RECORD_DISSEMINATION, Step.SUBMIT_PLAN, Step.APPROVE_PLAN],
    Stage.DECISION_ISSUED: [
        Step.RECORD_DISSEMINATION,
        Step.SUBMIT_PLAN,
        Step.APPROVE_PLAN,
        Step.ISSUE_DECISION,
    ],
    Stage.ANNOUNCED: [
        Step.RECORD_DISSEMINATION,
        Step.SUBMIT_PLAN,
        Step.APPROVE_PLAN,
        Step.ISSUE_DECISION,
        Step.RECORD_ANNOUNCEMENT,
    ],
    Stage.CLOSED: [
        Step.RECORD_DISSEMINATION,
        Step.SUBMIT_PLAN,
        Step.APPROVE_PLAN,
        Step.ISSUE_DECISION,
        Step.RECORD_ANNOUNCEMENT,
        Step.CLOSE,
    ],
}


def case_at(stage: Stage) -> DissolutionCase:
    case = DissolutionCase(
        id="case-gv",
        campaign_id="campaign-383",
        cell_id="cell-gv-cq",
        ward_committee_id="ward-gv",
        plan_deadline=date(2019, 9, 15),
        opened_at=datetime(2019, 9, 5, tzinfo=UTC),
    )
    for step in PATH_TO[stage]:
        take(case, step)
    assert case.stage is stage
    return case


def test_the_transition_table_is_the_workflow_of_the_product() -> None:
    assert TRANSITIONS == WORKFLOW


@pytest.mark.parametrize(("stage", "step"), EVERY_PAIR, ids=lambda v: v.value)
def test_each_step_from_each_stage_leads_where_the_workflow_says_or_is_refused(
    stage: Stage, step: Step
) -> None:
    expected = WORKFLOW.get((stage, step))
    if expected is not None:
        assert next_stage(stage, step) is expected
        return
    with pytest.raises(InvalidTransition) as refused:
        next_stage(stage, step)
    assert refused.value.code == "INVALID_TRANSITION"
    assert refused.value.details["stage"] == stage.value
    assert refused.value.details["allowedSteps"] == [s.value for s in allowed_steps(stage)]
    assert stage.value in str(refused.value)


@pytest.mark.parametrize(("stage", "step"), EVERY_PAIR, ids=lambda v: v.value)
def test_each_step_taken_on_a_case_at_each_stage_moves_it_or_leaves_it_untouched(
    stage: Stage, step: Step
) -> None:
    case = case_at(stage)
    trail = list(case.audit_trail)
    version = case.version
    expected = WORKFLOW.get((stage, step))
    early_relocation = stage is Stage.DECISION_ISSUED and step is Step.CLOSE
    repeated_relocation = stage is Stage.CLOSED and step is Step.CLOSE
    if repeated_relocation:
        # the members service's report arrives again: nothing changes, nothing is refused
        assert take(case, step) is None
        assert (case.stage, case.audit_trail, case.version) == (stage, trail, version)
        return
    if expected is None and not early_relocation:
        with pytest.raises(InvalidTransition) as refused:
            take(case, step)
        assert refused.value.details["stage"] == stage.value
        assert (case.stage, case.audit_trail, case.version) == (stage, trail, version)
        return
    take(case, step)
    if early_relocation:
        # everyone was received before the announcement was recorded: remembered, not closed
        assert case.stage is Stage.DECISION_ISSUED
        assert case.relocation is not None
        assert case.audit_trail == trail
        return
    assert case.stage is expected
    last = case.audit_trail[-1]
    assert (last.step, last.from_stage, last.to_stage) == (step, stage, expected)
    assert (last.actor, last.at, last.note) == (ACTION.actor, AT, ACTION.note)
    assert case.version == version + 1


def test_a_closed_case_allows_nothing_and_says_so() -> None:
    with pytest.raises(InvalidTransition, match="closed"):
        next_stage(Stage.CLOSED, Step.SUBMIT_PLAN)
    assert allowed_steps(Stage.CLOSED) == []


def test_a_plan_under_review_can_be_approved_or_returned() -> None:
    assert allowed_steps(Stage.PLAN_SUBMITTED) == [Step.APPROVE_PLAN, Step.RETURN_PLAN]
