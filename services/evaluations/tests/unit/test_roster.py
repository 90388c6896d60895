from datetime import date

import pytest
from evaluations.domain import DomainError, Period, Placement, RosterEntry
from evaluations.events import roster_entry_of_admission, roster_entry_of_registration


def moved_on(day: date) -> RosterEntry:
    return RosterEntry(
        "m1",
        "Nguyễn Văn An",
        "CADRE",
        [Placement("agency", None), Placement("residential", day, "t1")],
    )


def test_periods_are_months_or_years() -> None:
    assert Period.parse("2019-10") == Period(2019, 10)
    assert Period.parse("2019") == Period(2019)
    assert Period.parse("2019-02").ends_on == date(2019, 2, 28)
    assert Period.parse("2019-12").ends_on == date(2019, 12, 31)
    assert str(Period.parse("2019-01")) == "2019-01"


@pytest.mark.parametrize("text", ["2019-13", "2019-1", "19-10", "October 2019", ""])
def test_a_malformed_period_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        Period.parse(text)
    assert refused.value.details["field"] == "period"


def test_a_transfer_received_mid_month_moves_that_month_to_the_new_cell() -> None:
    assert moved_on(date(2019, 10, 15)).cell_for(Period(2019, 10)) == "residential"


def test_the_months_before_a_transfer_stay_with_the_old_cell() -> None:
    entry = moved_on(date(2019, 10, 15))
    assert entry.cell_for(Period(2019, 9)) == "agency"
    assert entry.cell_for(Period(2019, 1)) == "agency"


def test_the_months_after_a_transfer_go_to_the_new_cell() -> None:
    entry = moved_on(date(2019, 10, 1))
    assert entry.cell_for(Period(2019, 11)) == "residential"
    assert entry.cell_for(Period(2020, 1)) == "residential"


def test_a_transfer_received_on_the_first_of_a_month_leaves_the_month_before_behind() -> None:
    entry = moved_on(date(2019, 10, 1))
    assert entry.cell_for(Period(2019, 9)) == "agency"
    assert entry.cell_for(Period(2019, 10)) == "residential"


def test_the_year_of_a_transfer_is_evaluated_by_the_new_cell_and_earlier_years_by_the_old() -> None:
    entry = moved_on(date(2019, 10, 1))
    assert entry.cell_for(Period(2019)) == "residential"
    assert entry.cell_for(Period(2018)) == "agency"


def test_placements_apply_by_date_whatever_order_the_events_came_in() -> None:
    entry = RosterEntry(
        "m1",
        "",
        None,
        [
            Placement("third", date(2020, 3, 2), "t2"),
            Placement("second", date(2019, 10, 1), "t1"),
            Placement("first", None),
        ],
    )
    assert [entry.cell_for(Period(2019, m)) for m in (9, 10)] == ["first", "second"]
    assert entry.cell_for(Period(2020, 2)) == "second"
    assert entry.cell_for(Period(2020, 3)) == "third"


def test_a_member_admitted_later_is_evaluated_by_no_cell_before() -> None:
    entry = RosterEntry("m1", "", None, [Placement("cell", date(2019, 11, 5))])
    assert entry.cell_for(Period(2019, 10)) is None
    assert entry.cell_for(Period(2019, 11)) == "cell"


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("CADRE", True),
        ("CIVIL_SERVANT", True),
        ("NON_SPECIALISED", True),
        ("OTHER", False),
        (None, False),
    ],
)
def test_workplace_results_are_required_of_ward_cadres_civil_servants_and_non_specialised(
    role: str | None, required: bool
) -> None:
    assert RosterEntry("m1", "", role).workplace_results_required is required


def test_a_member_transferred_out_of_the_district_is_evaluated_by_no_cell_after() -> None:
    entry = RosterEntry(
        "m1", "", None, [Placement("cell", None), Placement("", date(2019, 11, 4), "t1")]
    )
    assert entry.cell_for(Period(2019, 10)) == "cell"
    assert entry.cell_for(Period(2019, 11)) is None
    assert entry.cells() == {"cell"}


def test_a_member_is_evaluated_from_the_period_of_their_admission_on() -> None:
    registered = roster_entry_of_registration(
        {
            "memberId": "m2",
            "fullName": "Lê Thị Hoa",
            "organisationId": "tdp1",
            "workplaceRole": None,
            "admittedOn": "2019-05-10",
            "version": 1,
        }
    )
    assert registered.cell_for(Period(2019, 4)) is None
    assert registered.cell_for(Period(2019, 5)) == "tdp1"
    admitted = roster_entry_of_admission(
        {"memberId": "m2", "organisationId": "tdp1", "admittedOn": "2019-05-10"},
        sent_on=date(2019, 6, 20),  # the event was sent later: the admission's date counts
    )
    assert admitted.cell_for(Period(2019, 5)) == "tdp1"
    earlier_release = roster_entry_of_admission(
        {"memberId": "m2", "organisationId": "tdp1"}, sent_on=date(2019, 6, 20)
    )
    assert earlier_release.cell_for(Period(2019, 5)) is None
    assert earlier_release.cell_for(Period(2019, 6)) == "tdp1"
