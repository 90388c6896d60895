"""Dates the rules count in: months and working days."""

from collections.abc import Callable
from datetime import date, timedelta

IsHoliday = Callable[[date], bool]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def whole_months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def is_working_day(day: date, is_holiday: IsHoliday) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: date, count: int, is_holiday: IsHoliday) -> date:
    """The `count`-th working day after `start` (weekends and public holidays skipped)."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, is_holiday):
            left -= 1
    return day
