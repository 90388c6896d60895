"""reportBy: 30 working days after the introduction letter, weekends and Viet Nam's public
holidays (from the `holidays` calendar) excluded."""

from datetime import date

import pytest
from members.clock import is_vietnamese_public_holiday
from members.domain.calendar import add_working_days


def report_by(issued_on: date) -> date:
    return add_working_days(issued_on, 30, is_vietnamese_public_holiday)


def test_national_day_2019_is_not_a_working_day() -> None:
    # Mon 26/8/2019: 02/9 (Monday) is skipped, so the 30th working day is Tue 08/10, not 07/10
    assert report_by(date(2019, 8, 26)) == date(2019, 10, 8)


def test_the_two_national_day_holidays_of_2025_are_skipped() -> None:
    # Fri 29/8/2025: Mon 01/9 and Tue 02/9 are holidays
    assert report_by(date(2025, 8, 29)) == date(2025, 10, 14)


def test_tet_2020_takes_a_week_out_of_the_count() -> None:
    # Mon 20/1/2020: Tết runs Thu 23/1 – Wed 29/1
    assert report_by(date(2020, 1, 20)) == date(2020, 3, 9)


def test_tet_2025_takes_a_week_out_of_the_count() -> None:
    # Fri 24/1/2025: Tết runs Mon 27/1 – Sat 01/2
    assert report_by(date(2025, 1, 24)) == date(2025, 3, 14)


def test_the_giang_vo_letters_of_01_10_2019_are_due_by_12_11_2019() -> None:
    assert report_by(date(2019, 10, 1)) == date(2019, 11, 12)


def test_a_letter_issued_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert report_by(date(2019, 9, 2)) == report_by(date(2019, 8, 30))


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2019, 9, 2), True),
        (date(2020, 1, 25), True),
        (date(2019, 4, 15), True),
        (date(2019, 9, 3), False),
    ],
)
def test_public_holidays_come_from_the_holidays_calendar(day: date, holiday: bool) -> None:
    assert is_vietnamese_public_holiday(day) is holiday
