"""What a ranking rests on: tasks the cell gives, job results, supervision feedback."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from evaluations.domain.errors import DomainError
from evaluations.domain.periods import Period
from evaluations.domain.ratings import Rating


class AssignmentResult(Enum):
    DONE = "DONE"
    PARTIAL = "PARTIAL"
    NOT_DONE = "NOT_DONE"


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


@dataclass(frozen=True)
class HostCellFeedback:
    """The host cell's feedback on a member it hosted on a TEMPORARY stay during a period
    [nhận xét của chi bộ nơi sinh hoạt tạm thời], for the home cell that ranks them."""

    id: str
    member_id: str
    host_cell_id: str
    period: Period
    comment: str
    given_by: str  # who wrote it, as written (else the caller's name)
    given_by_subject: str  # who wrote it, as authenticated: the token's subject
    given_at: datetime
