from datetime import UTC, date, datetime

import pytest
from organisations.domain import (
    Action,
    Announcement,
    Approval,
    Decision,
    Dissemination,
    DissolutionCase,
    DomainError,
    PersonKind,
    Placement,
    Plan,
    Relocation,
    Stage,
    Step,
)

ACTION = Action("Đảng ủy phường Giảng Võ", datetime(2019, 10, 20, tzinfo=UTC), None)
DISSEMINATION = Dissemination(date(2019, 9, 9), 20, ["38-KL/TW"])
PLAN = Plan(
    "05-PA/ĐU",
    date(2019, 9, 12),
    [Placement("member-1", PersonKind.MEMBER, "cell-tdp-03")],
)


def new_case() -> DissolutionCase:
    return DissolutionCase(
        id="case-gv",
        campaign_id="campaign-383",
        cell_id="cell-gv-cq",
        ward_committee_id="ward-gv",
        plan_deadline=date(2019, 9, 15),
        opened_at=datetime(2019, 9, 5, tzinfo=UTC),
    )


def submitted() -> DissolutionCase:
    case = new_case()
    case.record_dissemination(DISSEMINATION, ACTION)
    case.submit_plan(PLAN, ACTION)
    return case


def test_a_case_is_overdue_after_the_deadline_until_its_plan_is_submitted() -> None:
    case = new_case()
    assert not case.is_overdue(date(2019, 9, 15))
    assert case.is_overdue(date(2019, 9, 16))
    case.record_dissemination(DISSEMINATION, ACTION)
    assert case.is_overdue(date(2019, 9, 16))
    case.submit_plan(PLAN, ACTION)
    assert not case.is_overdue(date(2019, 9, 16))


def test_a_returned_plan_goes_back_to_disseminated_keeping_the_plan_and_the_reasons() -> None:
    case = submitted()
    case.return_plan(date(2019, 9, 14), "Chưa rõ nơi sinh hoạt của 2 đảng viên", ACTION)
    assert case.stage is Stage.DISSEMINATED
    assert case.plan is None
    assert case.returned_plans[0].plan == PLAN
    assert case.returned_plans[0].reasons == "Chưa rõ nơi sinh hoạt của 2 đảng viên"
    assert case.is_overdue(date(2019, 9, 16))
    case.submit_plan(Plan("06-PA/ĐU", date(2019, 9, 15), []), ACTION)
    assert case.stage is Stage.PLAN_SUBMITTED
    assert [e.step for e in case.audit_trail] == [
        Step.RECORD_DISSEMINATION,
        Step.SUBMIT_PLAN,
        Step.RETURN_PLAN,
        Step.SUBMIT_PLAN,
    ]


def test_a_plan_cannot_be_returned_without_reasons() -> None:
    case = submitted()
    with pytest.raises(DomainError, match="reasons"):
        case.return_plan(date(2019, 9, 14), "  ", ACTION)
    assert case.stage is Stage.PLAN_SUBMITTED


def test_a_plan_places_each_person_once_and_never_in_the_dissolving_cell() -> None:
    case = new_case()
    case.record_dissemination(DISSEMINATION, ACTION)
    twice = [Placement("m1", PersonKind.MEMBER, "a"), Placement("m1", PersonKind.MEMBER, "b")]
    with pytest.raises(DomainError, match="once"):
        case.submit_plan(Plan("05-PA/ĐU", date(2019, 9, 12), twice), ACTION)
    into_itself = [Placement("m1", PersonKind.MEMBER, "cell-gv-cq")]
    with pytest.raises(DomainError, match="dissolved"):
        case.submit_plan(Plan("05-PA/ĐU", date(2019, 9, 12), into_itself), ACTION)
    assert case.stage is Stage.DISSEMINATED


def test_steps_are_dated_in_order_and_never_in_the_future() -> None:
    case = new_case()
    with pytest.raises(DomainError, match="future"):
        case.record_dissemination(Dissemination(date(2019, 10, 21), 20, []), ACTION)
    case.record_dissemination(DISSEMINATION, ACTION)
    with pytest.raises(DomainError, match="before the dissemination"):
        case.submit_plan(Plan("05-PA/ĐU", date(2019, 9, 8), []), ACTION)
    case.submit_plan(PLAN, ACTION)
    case.approve_plan(Approval(date(2019, 9, 20), "Đồng ý"), ACTION)
    with pytest.raises(DomainError, match="effectiveOn"):
        case.issue_decision(Decision("1-QĐ/ĐU", date(2019, 9, 25), "B", date(2019, 9, 24)), ACTION)
    assert case.stage is Stage.PLAN_APPROVED


def test_a_conference_needs_attendees() -> None:
    with pytest.raises(DomainError, match="attendee"):
        new_case().record_dissemination(Dissemination(date(2019, 9, 9), 0, []), ACTION)


def walk_to_decision(effective_on: date) -> DissolutionCase:
    case = submitted()
    case.approve_plan(Approval(date(2019, 9, 20), None), ACTION)
    case.issue_decision(
        Decision("120-QĐ/ĐU", date(2019, 9, 25), "Bí thư Đảng ủy", effective_on), ACTION
    )
    return case


def test_the_cell_dissolves_on_the_effective_date_of_the_decision() -> None:
    case = walk_to_decision(date(2019, 10, 1))
    assert not case.cell_dissolves_by(date(2019, 9, 30))
    assert case.cell_dissolves_by(date(2019, 10, 1))
    case.cell_dissolved = True
    assert not case.cell_dissolves_by(date(2019, 10, 2))


def test_members_received_before_the_announcement_close_the_case_at_the_announcement() -> None:
    case = walk_to_decision(date(2019, 10, 1))
    assert case.members_relocated(Relocation(20, 3, date(2019, 9, 29)), ACTION) is None
    assert case.stage is Stage.DECISION_ISSUED
    case.record_announcement(Announcement(date(2019, 9, 30)), ACTION)
    closing = case.close_if_relocated(ACTION)
    assert closing is not None
    assert case.stage is Stage.CLOSED
    assert [e.to_stage for e in case.audit_trail[-2:]] == [Stage.ANNOUNCED, Stage.CLOSED]
