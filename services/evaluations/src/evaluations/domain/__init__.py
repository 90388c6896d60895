"""Periods, the roster of who is evaluated where, and the records a ranking rests on.

Standard library only. The ranking rules themselves live in `policy.py`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum


class DomainError(Exception):
    """A request the domain refuses; `code` is what clients see in `extensions.code`."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class InvalidTransition(DomainError):
    code = "INVALID_TRANSITION"


class PolicyViolation(DomainError):
    """Finalising against a blocking finding without an override."""

    code = "POLICY_VIOLATION"


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
    def is_year(self) -> bool:
        return self.month is None

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


class Rating(Enum):
    """The four levels of 132-QĐ/TW and 366-QĐ/TW, lowest first in `rank`."""

    EXCELLENT = "EXCELLENT"
    GOOD = "GOOD"
    COMPLETED = "COMPLETED"
    NOT_COMPLETED = "NOT_COMPLETED"

    @property
    def rank(self) -> int:
        return {"NOT_COMPLETED": 0, "COMPLETED": 1, "GOOD": 2, "EXCELLENT": 3}[self.value]

    @classmethod
    def parse(cls, text: str) -> "Rating":
        try:
            return cls(text.strip().upper())
        except ValueError:
            raise DomainError(
                f"'{text}' is not a rating: use EXCELLENT, GOOD, COMPLETED or NOT_COMPLETED.",
                field="rating",
            ) from None


class AssessorRole(Enum):
    WARD_PARTY_SECRETARY = "WARD_PARTY_SECRETARY"
    PEOPLES_COMMITTEE_CHAIR = "PEOPLES_COMMITTEE_CHAIR"
    MASS_ORGANISATION_HEAD = "MASS_ORGANISATION_HEAD"
    CITY_SYSTEM = "CITY_SYSTEM"

    @classmethod
    def parse(cls, text: str) -> "AssessorRole":
        try:
            return cls(text.strip().upper())
        except ValueError:
            allowed = ", ".join(role.value for role in cls)
            raise DomainError(
                f"'{text}' is not an assessor role: use {allowed}.", field="assessorRole"
            ) from None


class AssignmentResult(Enum):
    DONE = "DONE"
    PARTIAL = "PARTIAL"
    NOT_DONE = "NOT_DONE"


class EvaluationState(Enum):
    DRAFT = "DRAFT"
    PROPOSED = "PROPOSED"
    FINALISED = "FINALISED"


# cán bộ, công chức, người hoạt động không chuyên trách: ranked with their job results (383-CV/QU)
ROLES_WITH_WORKPLACE_RESULTS = frozenset({"CADRE", "CIVIL_SERVANT", "NON_SPECIALISED"})


@dataclass(frozen=True)
class Placement:
    """From `since` on (or from the start, when None), the member is evaluated by `cell_id`;
    an empty `cell_id` means by no cell of the district (transferred out)."""

    cell_id: str
    since: date | None
    transfer_id: str | None = None


@dataclass
class RosterEntry:
    """Who evaluates a member, period by period, kept from the members service's events."""

    member_id: str
    full_name: str
    workplace_role: str | None
    placements: list[Placement] = field(default_factory=list)

    @property
    def workplace_results_required(self) -> bool:
        return self.workplace_role in ROLES_WITH_WORKPLACE_RESULTS

    def cell_for(self, period: Period) -> str | None:
        """The cell in charge of a period: the one the member belongs to when it ends.

        A transfer received during a period moves that period and the later ones to the new
        cell; the periods that ended before it stay with the old cell.
        """
        current = None
        for placement in sorted(self.placements, key=lambda p: p.since or date.min):
            if placement.since is None or placement.since <= period.ends_on:
                current = placement.cell_id
        return current or None

    def cells(self) -> set[str]:
        return {placement.cell_id for placement in self.placements if placement.cell_id}


@dataclass(frozen=True)
class KnownOrganisation:
    """The read model of an organisation, kept from the organisations service's events."""

    id: str
    code: str
    name: str
    kind: str
    cell_type: str | None
    parent_id: str | None
    ancestor_ids: tuple[str, ...]
    status: str
    version: int = 0

    @property
    def is_residential_cell(self) -> bool:
        return self.kind == "CELL" and self.cell_type == "RESIDENTIAL"


def grassroots_of(cell: KnownOrganisation, ancestors: list[KnownOrganisation]) -> str:
    """The grassroots party organisation of a cell: its ward committee, else the cell itself."""
    wards = [a.id for a in ancestors if a.kind == "WARD_COMMITTEE" and a.id in cell.ancestor_ids]
    return wards[-1] if wards else cell.id


@dataclass
class Assignment:
    """A task the cell gave a member for a period [nhiệm vụ chi bộ giao] — criterion (1)."""

    id: str
    member_id: str
    cell_id: str
    period: Period
    task: str
    assigned_on: date
    due_on: date | None = None
    result: AssignmentResult | None = None
    note: str | None = None

    def record_result(self, result: AssignmentResult, note: str | None) -> None:
        self.result = result
        self.note = note.strip() if note and note.strip() else None


@dataclass(frozen=True)
class WorkplaceAssessment:
    """A job result shared by the ward's leaders or a city system — criterion (2)."""

    id: str
    external_id: str
    submitter: str  # as the sender names itself
    submitted_by: str  # who sent it, as the gateway vouched (the token's subject)
    member_id: str
    period: Period
    assessor_role: AssessorRole
    assessor_name: str
    rating: Rating
    comment: str | None
    recorded_at: datetime


def workplace_assessment_id(submitted_by: str, external_id: str) -> str:
    """Unique per sender and external id: who sent it is the authenticated subject, so one
    sender can neither overwrite nor shadow another's results (":" is escaped in the subject)."""
    return f"{submitted_by.replace('%', '%25').replace(':', '%3A')}:{external_id}"


@dataclass(frozen=True)
class SupervisionFeedback:
    """A fellow member of the residential cell on a cadre member [ý kiến giám sát]."""

    id: str
    member_id: str
    by_member_id: str
    cell_id: str
    period: Period
    comment: str
    given_at: datetime


def check_score(score: int | None) -> None:
    if score is not None and not 0 <= score <= 100:
        raise DomainError("A score is on the 100-point scale: 0 to 100.", field="score")


def required_text(value: str, name: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise DomainError(f"{name} must not be empty.", field=name)
    return text
