"""An admission's two dates — the decision and the ceremony — what counts from each, its
introducers and the awareness-class certificate."""

from dataclasses import replace
from datetime import date

import pytest
from members.domain import (
    AdmissionDates,
    AwarenessCertificate,
    CandidateStage,
    Conflict,
    DomainError,
    Introducer,
    InvalidTransition,
    Standing,
)
from members.domain.admission import (
    require_ceremony_on,
    require_certificate,
    require_introducers,
)
from members_factories import candidate, member

NO_HOLIDAYS = frozenset[date]()
# Quốc khánh 2019: 2 September (a Monday) is a public holiday
NATIONAL_DAY = frozenset({date(2019, 9, 2)})


def dates(
    decided_on: date,
    ceremony_on: date | None,
    today: date,
    *,
    probationary: bool = True,
    holidays: frozenset[date] = NO_HOLIDAYS,
) -> AdmissionDates:
    return AdmissionDates.of(decided_on, ceremony_on, probationary, today, holidays.__contains__)


def test_the_ceremony_is_due_30_working_days_after_the_decision() -> None:
    # decided Friday 16/8/2019: 30 weekdays later is Friday 27/9, one more for 2/9
    assert dates(date(2019, 8, 16), None, date(2019, 8, 16)).ceremony_due_by == date(2019, 9, 27)
    with_holiday = dates(date(2019, 8, 16), None, date(2019, 8, 16), holidays=NATIONAL_DAY)
    assert with_holiday.ceremony_due_by == date(2019, 9, 30)


def test_a_ceremony_held_after_its_due_date_is_late() -> None:
    assert not dates(date(2019, 8, 16), date(2019, 9, 27), date(2020, 1, 1)).ceremony_late
    assert dates(date(2019, 8, 16), date(2019, 9, 30), date(2020, 1, 1)).ceremony_late


def test_a_probationary_members_ceremony_not_recorded_by_its_due_date_is_late() -> None:
    assert not dates(date(2019, 8, 16), None, date(2019, 9, 27)).ceremony_late
    assert dates(date(2019, 8, 16), None, date(2019, 9, 28)).ceremony_late
    official = dates(date(2019, 8, 16), None, date(2021, 1, 1), probationary=False)
    assert not official.ceremony_late


def test_the_probation_counts_from_the_ceremony_not_the_decision() -> None:
    held = dates(date(2019, 8, 16), date(2019, 9, 20), date(2019, 9, 20))
    assert held.probation_ends_on == date(2020, 9, 20)
    assert dates(date(2019, 8, 16), None, date(2019, 9, 20)).probation_ends_on == date(2020, 8, 16)


def test_recognition_is_due_30_working_days_after_the_probation_and_then_overdue() -> None:
    # probation ends Sunday 20/9/2020: 30 weekdays later is Friday 30/10/2020
    held = dates(date(2019, 8, 16), date(2019, 9, 20), date(2020, 10, 30))
    assert held.recognition_due_by == date(2020, 10, 30)
    assert not held.recognition_overdue
    assert dates(date(2019, 8, 16), date(2019, 9, 20), date(2020, 10, 31)).recognition_overdue
    recognised = dates(date(2019, 8, 16), date(2019, 9, 20), date(2021, 1, 1), probationary=False)
    assert not recognised.recognition_overdue


def test_a_member_is_recognised_official_only_12_months_after_the_ceremony() -> None:
    probationary = replace(
        member(standing=Standing.PROBATIONARY), admission_ceremony_on=date(2010, 4, 15)
    )
    with pytest.raises(DomainError, match="counted from the admission ceremony"):
        probationary.recognised_official(date(2011, 3, 2))  # 12 months after the decision
    assert probationary.recognised_official(date(2011, 4, 15)).standing is Standing.OFFICIAL


def test_the_ceremony_is_recorded_once_during_probation_between_the_decision_and_today() -> None:
    probationary = member(standing=Standing.PROBATIONARY)  # decided 2/3/2010
    held = probationary.with_ceremony(date(2010, 3, 20), today=date(2010, 6, 1))
    assert (held.admission_ceremony_on, held.version) == (date(2010, 3, 20), 2)
    assert held.with_ceremony(date(2010, 3, 20), today=date(2010, 6, 1)) is held
    with pytest.raises(Conflict):
        held.with_ceremony(date(2010, 3, 21), today=date(2010, 6, 1))
    with pytest.raises(DomainError, match="comes after the admission decision"):
        probationary.with_ceremony(date(2010, 3, 1), today=date(2010, 6, 1))
    with pytest.raises(DomainError, match="in the future"):
        probationary.with_ceremony(date(2010, 6, 2), today=date(2010, 6, 1))
    with pytest.raises(InvalidTransition):
        member().with_ceremony(date(2010, 3, 20), today=date(2010, 6, 1))


def test_introducers_are_at_most_two_each_named_once_who_worked_with_the_candidate_a_year() -> None:
    decided = date(2019, 10, 15)
    require_introducers(
        [Introducer("a", date(2018, 10, 15)), Introducer("b", date(2015, 1, 1))], decided
    )
    with pytest.raises(DomainError, match="less than a year"):
        require_introducers([Introducer("a", date(2018, 10, 16))], decided)
    with pytest.raises(DomainError, match="named twice"):
        require_introducers(
            [Introducer("a", date(2015, 1, 1)), Introducer("a", date(2015, 1, 1))], decided
        )
    with pytest.raises(DomainError, match="3 introducers"):
        require_introducers([Introducer(x, date(2015, 1, 1)) for x in "abc"], decided)


def test_an_introducer_is_an_official_member_alongside_the_candidate_official_by_the_decision() -> (
    None
):
    sponsored = candidate(stage=CandidateStage.SPONSORED)
    co_worker = member("m2", organisation_id="tdp-1")
    sponsored.require_introducer(co_worker, "ward", "ward", date(2019, 10, 15))
    with pytest.raises(DomainError, match="grassroots party organisation"):
        sponsored.require_introducer(co_worker, "other-ward", "ward", date(2019, 10, 15))
    with pytest.raises(DomainError, match="PROBATIONARY"):
        sponsored.require_introducer(
            member("m3", standing=Standing.PROBATIONARY), "ward", "ward", date(2019, 10, 15)
        )
    with pytest.raises(DomainError, match="after the admission decision"):
        sponsored.require_introducer(co_worker, "ward", "ward", date(2011, 3, 1))


def test_the_certificate_has_a_number_and_comes_before_the_decision() -> None:
    require_certificate(AwarenessCertificate("12/GCN", date(2019, 5, 2)), date(2019, 10, 15))
    with pytest.raises(DomainError, match="number"):
        require_certificate(AwarenessCertificate(" ", date(2019, 5, 2)), date(2019, 10, 15))
    with pytest.raises(DomainError, match="before the admission decision"):
        require_certificate(AwarenessCertificate("12/GCN", date(2019, 10, 16)), date(2019, 10, 15))


def test_a_ceremony_before_the_decision_is_refused_at_registration_too() -> None:
    with pytest.raises(DomainError, match="after the admission decision"):
        require_ceremony_on(date(2019, 10, 15), date(2019, 10, 14), date(2019, 12, 1))
