"""Viet Nam's public holidays (today is the kit's: kit.clock)."""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_vietnamese_public_holiday(day: date) -> bool:
    """Tết and the other public holidays of Viet Nam, from the maintained `holidays` calendar."""
    return day in _holidays_of(day.year)
