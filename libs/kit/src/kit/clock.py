"""One sense of today for every service: the date in Viet Nam, or a day set for demos and tests.

The day is set at start-up by PARTYORG_TODAY, or in development by the organisations service's
`setToday`, which tells the others with `partyorg.organisations.today.set.v1`: each service
keeps the day it was told in its `clock` collection and takes it up again at start-up, so the
three agree on today across restarts. Production never sets it (setToday is refused there).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from kit.outbox import push_events

VIETNAM = timezone(timedelta(hours=7), "ICT")
SET_DAY = "today"  # the one document of the `clock` collection


class Clock:
    """Real time in Viet Nam unless a day is set."""

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


def day_of(data: dict[str, Any]) -> date | None:
    """The day a `today.set` event sets (None: back to the real date)."""
    return date.fromisoformat(data["today"]) if data.get("today") else None


class KeptDay:
    """The day set in development, kept in the service's database."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], clock: Clock) -> None:
        self.collection = db["clock"]
        self.clock = clock

    async def take_up(self) -> None:
        """At start-up: the day set before the service stopped, if one was."""
        kept = await self.collection.find_one({"_id": SET_DAY})
        if kept is not None:
            self.clock.set_today(day_of(kept))

    async def keep(self, today: date | None, events: Sequence[dict[str, Any]] = ()) -> None:
        """Set the day, and keep it with the events that tell the others (the setter's)."""
        self.clock.set_today(today)
        change: dict[str, Any] = {"$set": {"today": today.isoformat() if today else None}}
        if events:
            change["$push"] = push_events(events)
        await self.collection.update_one({"_id": SET_DAY}, change, upsert=True)
