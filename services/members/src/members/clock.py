"""The calendar of the world outside the domain: today, and Viet Nam's public holidays."""

from datetime import date
from functools import lru_cache

import holidays


class SystemClock:
    """Today's date, unless the deployment pins one (PARTYORG_TODAY, for demos and e2e)."""

    def __init__(self, pinned: date | None = None) -> None:
        self.pinned = pinned

    def today(self) -> date:
        return self.pinned or date.today()


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_vietnamese_public_holiday(day: date) -> bool:
    """Tết and the other public holidays of Viet Nam, from the maintained `holidays` calendar."""
    return day in _holidays_of(day.year)
