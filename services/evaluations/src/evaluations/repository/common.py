"""What the repositories share: how dates and ratings are stored."""

from datetime import date

from kit.outbox import PENDING

from evaluations.domain import Rating

WITHOUT_OUTBOX = {PENDING: 0}


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def optional_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def rating(value: str | None) -> Rating | None:
    return Rating(value) if value else None
