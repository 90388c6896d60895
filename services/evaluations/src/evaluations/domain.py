"""Evaluation periods, the roster of who is evaluated where, evaluations. Stdlib only."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum


class DomainError(Exception):
    """A request the domain refuses; `code` is what clients see in `extensions.code`."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(DomainError):
    code = "NOT_FOUND"


_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (`2019-10`) or a year (`2019`)."""

    year: int
    month: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PERIOD.match(text.strip())
        if match is None:
            raise DomainError(
                f"'{text}' is not a period: write a month as 2019-10 or a year as 2019.",
                field="period",
            )
        month = match["month"]
        return cls(int(match["year"]), int(month) if month else None)

    @property
    def starts_on(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def ends_on(self) -> date:
        if self.month is None or self.month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.month + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


class EvaluationState(Enum):
    DRAFT = "DRAFT"
    PROPOSED = "PROPOSED"
    FINALISED = "FINALISED"


@dataclass(frozen=True)
class Placement:
    """From `since` on (or from the start, when None), the member is evaluated by `cell_id`."""

    cell_id: str
    since: date | None


@dataclass
class RosterEntry:
    """Who evaluates a member, period by period, kept from the members service's events."""

    member_id: str
    full_name: str
    workplace_role: str | None
    placements: list[Placement] = field(default_factory=list)

    def cell_for(self, period: Period) -> str | None:
        """The cell in charge of a period: the one the member belongs to when it ends."""
        current = None
        for placement in sorted(self.placements, key=lambda p: p.since or date.min):
            if placement.since is None or placement.since <= period.ends_on:
                current = placement.cell_id
        return current


@dataclass
class Evaluation:
    id: str
    member_id: str
    cell_id: str
    period: Period
    state: EvaluationState = EvaluationState.DRAFT


def evaluation_id(member_id: str, period: Period) -> str:
    return f"{member_id}:{period}"
