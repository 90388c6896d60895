"""The service's sense of today: the real date in Viet Nam, or a date set for tests and demos."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

VIETNAM = timezone(timedelta(hours=7), "ICT")


class Clock(Protocol):
    def today(self) -> date: ...

    def now(self) -> datetime: ...


class SettableClock:
    """Real time unless a day is set (PARTYORG_TODAY, or `setToday` in development)."""

    def __init__(self, today: date | None = None) -> None:
        self.fixed_today = today

    def set_today(self, today: date | None) -> None:
        self.fixed_today = today

    def now(self) -> datetime:
        real = datetime.now(UTC).astimezone(VIETNAM)
        if self.fixed_today is None:
            return real
        return datetime.combine(self.fixed_today, real.timetz())

    def today(self) -> date:
        return self.now().date()
