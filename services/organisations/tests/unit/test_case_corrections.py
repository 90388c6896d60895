from datetime import UTC, date, datetime

import pytest
from organisations.domain import (
    Action,
    Approval,
    Decision,
    DissolutionCase,
    DomainError,
    InvalidTransition,
    Step,
    StepCorrection,
    correct_step,
)

from services.organisations.tests.unit.test_dissolution_case import ACTION, submitted

CLERK = Action("Văn phòng Đảng ủy", datetime(2019, 10, 22, tzinfo=UTC), None, "u-vp")
REASON = "Ghi nhầm ngày trong biên bản"


def decided() -> DissolutionCase:
    case = submitted()
    case.approve_plan(Approval(date(2019, 9, 20), None), ACTION)
    case.issue_decision(
        Decision("120-QĐ/ĐU", date(2019, 9, 25), "Bí thư", date(2019, 10, 1)), ACTION
    )
    return case


def test_a_corrected_decision_keeps_its_old_values_who_changed_them_when_and_why() -> None:
    case = decided()
    version = case.version
    entries = correct_step(
        case,
        Step.ISSUE_DECISION,
        StepCorrection(decision_number="121-QĐ/ĐU", signed_on=date(2019, 9, 24)),
        f"  {REASON} ",
        CLERK,
    )
    assert case.decision == Decision("121-QĐ/ĐU", date(2019, 9, 24), "Bí thư", date(2019, 10, 1))
    assert [(c.field, c.old_value, c.new_value) for c in case.corrections] == [
        ("decisionNumber", "120-QĐ/ĐU", "121-QĐ/ĐU"),
        ("signedOn", "2019-09-25", "2019-09-24"),
    ]
    assert entries == case.corrections
    assert {(c.step, c.reason, c.actor, c.subject, c.at) for c in entries} == {
        (Step.ISSUE_DECISION, REASON, "Văn phòng Đảng ủy", "u-vp", CLERK.at)
    }
    assert case.version == version + 1


def test_a_correction_needs_a_reason_and_a_change() -> None:
    case = decided()
    with pytest.raises(DomainError, match="reason"):
        correct_step(case, Step.ISSUE_DECISION, StepCorrection(signer="Phó Bí thư"), " ", CLERK)
    with pytest.raises(DomainError, match="changes nothing"):
        correct_step(case, Step.ISSUE_DECISION, StepCorrection(signer="Bí thư"), REASON, CLERK)
    with pytest.raises(DomainError, match="changes nothing"):
        correct_step(case, Step.ISSUE_DECISION, StepCorrection(), REASON, CLERK)
    assert case.corrections == []


def test_only_what_the_step_recorded_can_be_corrected() -> None:
    case = decided()
    with pytest.raises(DomainError, match="planDate are not recorded at ISSUE_DECISION"):
        correct_step(
            case, Step.ISSUE_DECISION, StepCorrection(plan_date=date(2019, 9, 11)), REASON, CLERK
        )
    with pytest.raises(DomainError, match="RETURN_PLAN records nothing"):
        correct_step(case, Step.RETURN_PLAN, StepCorrection(), REASON, CLERK)


def test_a_step_not_recorded_yet_cannot_be_corrected() -> None:
    case = submitted()
    with pytest.raises(InvalidTransition, match="ISSUE_DECISION is not recorded"):
        correct_step(case, Step.ISSUE_DECISION, StepCorrection(signer="B"), REASON, CLERK)


def test_corrected_dates_still_follow_one_another_and_never_lie_in_the_future() -> None:
    case = decided()
    with pytest.raises(DomainError, match="signedOn 2019-09-19 is before the approval"):
        correct_step(
            case, Step.ISSUE_DECISION, StepCorrection(signed_on=date(2019, 9, 19)), REASON, CLERK
        )
    with pytest.raises(
        DomainError, match=r"signedOn 2019-09-25 is before the approval \(2019-09-26\)"
    ):
        # the approval would come after the decision it preceded
        correct_step(
            case, Step.APPROVE_PLAN, StepCorrection(approved_on=date(2019, 9, 26)), REASON, CLERK
        )
    with pytest.raises(DomainError, match="future"):
        correct_step(
            case,
            Step.RECORD_DISSEMINATION,
            StepCorrection(held_on=date(2019, 10, 23)),
            REASON,
            CLERK,
        )
    assert case.decision is not None and case.decision.signed_on == date(2019, 9, 25)
    assert case.corrections == []


def test_the_effective_date_stands_once_the_cell_is_dissolved() -> None:
    case = decided()
    correct_step(
        case, Step.ISSUE_DECISION, StepCorrection(effective_on=date(2019, 10, 2)), REASON, CLERK
    )
    case.cell_dissolved = True
    with pytest.raises(InvalidTransition, match="dissolved already"):
        correct_step(
            case, Step.ISSUE_DECISION, StepCorrection(effective_on=date(2019, 10, 3)), REASON, CLERK
        )
    assert case.decision is not None and case.decision.effective_on == date(2019, 10, 2)
