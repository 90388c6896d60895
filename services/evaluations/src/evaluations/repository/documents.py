"""What the repositories share: how dates and ratings are stored."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from kit.outbox import PENDING

from evaluations.domain import Rating

WITHOUT_OUTBOX = {PENDING: 0}


class OfMember(Protocol):
    @property
    def member_id(self) -> str: ...


Record = TypeVar("Record", bound=OfMember)


def by_member(records: Iterable[Record]) -> dict[str, list[Record]]:
    """The records grouped by member, each member's in the order given."""
    grouped: defaultdict[str, list[Record]] = defaultdict(list)
    for record in records:
        grouped[record.member_id].append(record)
    return dict(grouped)


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def optional_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def rating(value: str | None) -> Rating | None:
    return Rating(value) if value else None
