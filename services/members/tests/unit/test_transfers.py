from dataclasses import replace
from datetime import date

import pytest
from members.domain import (
    Checklist,
    DomainError,
    InvalidTransition,
    PersonKind,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)
from members.domain.transfer_requests import require_requestable_reason, require_temporary_period
from members_factories import WARD, cell


def no_holidays(_: date) -> bool:
    return False


def internal(state: TransferState = TransferState.NEEDS_DESTINATION) -> Transfer:
    return Transfer(
        id="t1",
        person_kind=PersonKind.MEMBER,
        person_id="m1",
        person_name="Nguyễn Văn A",
        kind=TransferKind.INTERNAL,
        reason=TransferReason.CELL_DISSOLVED,
        from_organisation_id="agency",
        ward_committee_id=WARD,
        state=state,
        requested_on=date(2019, 10, 1),
    )


def introduced() -> Transfer:
    return (
        internal()
        .with_destination(cell("tdp1"))
        .introduced("12-GGT/ĐU", date(2019, 10, 1), no_holidays)
    )


def test_an_internal_transfer_goes_to_an_active_residential_cell_of_the_same_ward() -> None:
    transfer = internal().with_destination(cell("tdp1"))
    assert (transfer.state, transfer.to_organisation_id) == (
        TransferState.AWAITING_INTRODUCTION,
        "tdp1",
    )


def test_a_destination_outside_the_ward_is_refused() -> None:
    elsewhere = cell("kim-ma-tdp1", parent="ward-kim-ma", ancestor_ids=["ward-kim-ma"])
    with pytest.raises(DomainError, match="outside the ward"):
        internal().with_destination(elsewhere)


def test_any_active_cell_of_the_ward_is_a_destination_for_an_internal_transfer() -> None:
    agency = cell("other-agency", cell_type="AGENCY")
    assert internal().with_destination(agency).to_organisation_id == "other-agency"


def test_a_dissolved_cell_is_no_destination() -> None:
    with pytest.raises(DomainError, match="not an active cell"):
        internal().with_destination(cell("tdp9", status="DISSOLVED"))


def test_the_ward_committee_itself_is_no_destination() -> None:
    committee = cell("ward-giang-vo-2", kind="WARD_COMMITTEE", cell_type=None)
    with pytest.raises(DomainError, match="not an active cell"):
        internal().with_destination(committee)


def test_the_introduction_needs_a_destination_first() -> None:
    with pytest.raises(InvalidTransition, match="no destination yet"):
        internal().introduced("1-GGT", date(2019, 10, 1), no_holidays)


def test_the_introduction_sets_report_by_30_working_days_later_and_ticks_the_letter() -> None:
    transfer = introduced()
    assert transfer.report_by == date(2019, 11, 12)
    assert transfer.checklist.introduction_letter
    assert "introductionLetter" not in transfer.checklist.missing()


def test_dues_are_recorded_as_paid_through_a_month() -> None:
    with pytest.raises(DomainError, match="YYYY-MM"):
        introduced().with_checklist(Checklist(dues_paid_through="09/2019"))


def test_a_transfer_is_overdue_when_not_received_by_report_by() -> None:
    transfer = introduced()
    assert not transfer.is_overdue(date(2019, 11, 12))
    assert transfer.is_overdue(date(2019, 11, 13))


def test_an_overdue_reason_is_recorded_only_when_late() -> None:
    with pytest.raises(InvalidTransition, match="not overdue"):
        introduced().with_overdue_reason("ốm", date(2019, 11, 1))
    late = introduced().with_overdue_reason("Đồng chí nằm viện", date(2019, 11, 20))
    assert late.overdue_reason == "Đồng chí nằm viện"


def test_reception_ends_the_transfer() -> None:
    received = introduced().received(date(2019, 10, 10))
    assert (received.state, received.received_on) == (TransferState.RECEIVED, date(2019, 10, 10))


def test_a_cancelled_transfer_cannot_be_received() -> None:
    cancelled = introduced().cancelled(date(2019, 10, 2), "Đồng chí nghỉ hưu, chuyển về quê")
    with pytest.raises(InvalidTransition, match="CANCELLED"):
        cancelled.received(date(2019, 10, 10))


def test_a_received_transfer_cannot_be_cancelled() -> None:
    with pytest.raises(InvalidTransition):
        introduced().received(date(2019, 10, 10)).cancelled(date(2019, 10, 11), "nhầm")


def test_reception_does_not_predate_the_letter() -> None:
    with pytest.raises(DomainError, match="after its introduction"):
        introduced().received(date(2019, 9, 30))


def test_a_received_late_transfer_is_flagged() -> None:
    assert replace(introduced().received(date(2019, 11, 20))).received_late


@pytest.mark.parametrize(
    ("until", "accepted"),
    [
        (date(2020, 1, 1), True),  # 3 months
        (date(2020, 9, 30), True),  # just under a year
        (date(2019, 12, 31), False),
        (date(2020, 10, 1), False),  # a whole year
        (None, False),
    ],
)
def test_a_temporary_transfer_lasts_3_months_to_under_a_year(
    until: date | None, accepted: bool
) -> None:
    if accepted:
        require_temporary_period(date(2019, 10, 1), until, TransferReason.RELOCATION)
    else:
        with pytest.raises(DomainError):
            require_temporary_period(date(2019, 10, 1), until, TransferReason.RELOCATION)


@pytest.mark.parametrize(
    ("until", "accepted"),
    [
        (date(2020, 1, 1), True),  # 3 months
        (date(2020, 10, 1), True),  # a whole year
        (date(2021, 10, 1), True),  # 2 years
        (date(2019, 12, 31), False),
        (date(2021, 10, 2), False),  # over 2 years
        (None, False),
    ],
)
def test_a_temporary_stay_to_study_lasts_3_months_to_2_years(
    until: date | None, accepted: bool
) -> None:
    if accepted:
        require_temporary_period(date(2019, 10, 1), until, TransferReason.STUDY)
    else:
        with pytest.raises(DomainError):
            require_temporary_period(date(2019, 10, 1), until, TransferReason.STUDY)


def temporary_stay(until: date) -> Transfer:
    return (
        replace(internal(), kind=TransferKind.TEMPORARY, temporary_until=until)
        .with_destination(cell("tdp1"))
        .introduced("13-GGT/ĐU", date(2019, 10, 1), no_holidays)
        .received(date(2019, 10, 8))
    )


def test_a_member_is_away_from_the_hosts_reception_to_the_stays_end_and_back_after() -> None:
    stay = temporary_stay(until=date(2020, 3, 31))
    assert not stay.is_away(date(2019, 10, 7))
    assert stay.is_away(date(2019, 10, 8))
    assert stay.is_away(date(2020, 3, 31))
    assert not stay.is_away(date(2020, 4, 1))  # back in full, with no step taken


def test_only_a_received_temporary_stay_makes_a_member_away() -> None:
    introduced_only = replace(temporary_stay(date(2020, 3, 31)), state=TransferState.INTRODUCED)
    moved = replace(temporary_stay(date(2020, 3, 31)), kind=TransferKind.INTERNAL)
    assert not introduced_only.is_away(date(2019, 12, 1))
    assert not moved.is_away(date(2019, 12, 1))


def test_the_procedure_starts_within_60_working_days_of_the_decision() -> None:
    def national_day(day: date) -> bool:
        return day == date(2019, 9, 2)

    assert internal().introduce_by(no_holidays) == date(2019, 12, 24)
    decided_before_national_day = replace(internal(), requested_on=date(2019, 8, 30))
    assert decided_before_national_day.introduce_by(national_day) == date(2019, 11, 25)


def test_a_request_cannot_claim_a_dissolved_cell_as_its_reason() -> None:
    require_requestable_reason(TransferReason.RELOCATION)
    with pytest.raises(DomainError, match="dissolution decision"):
        require_requestable_reason(TransferReason.CELL_DISSOLVED)


@pytest.mark.parametrize(
    ("requested_on", "regulation"),
    [
        (date(2019, 9, 20), "Quy định 29-QĐ/TW (2016)"),
        (date(2021, 7, 30), "Quy định 24-QĐ/TW (2021)"),
        (date(2025, 6, 30), "Quy định 24-QĐ/TW (2021)"),
        (date(2025, 7, 1), "Quy định 294-QĐ/TW (2025)"),
    ],
)
def test_a_transfer_follows_the_charter_regulation_in_force_on_its_day(
    requested_on: date, regulation: str
) -> None:
    transfer = replace(internal(), requested_on=requested_on)
    assert transfer.regulation == regulation
    with pytest.raises(DomainError) as refused:
        transfer.with_destination(cell("tdp9", status="DISSOLVED"))
    assert refused.value.details["rule"].startswith(regulation)
