"""What a caller asks the evaluations service to do, one command per intent, as the schema
builds it from the mutation's input (periods as written: "2019", "2019-10"); who acts is given
beside it. A new field is added here, in the input that builds it, and in the use case that
reads it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from evaluations.domain import Rating
from evaluations.service.rating_decisions import RatingDecision


@dataclass(frozen=True)
class AssignTask:
    member_id: str
    period: str
    task: str
    assigned_on: date | None = None
    due_on: date | None = None
    cell_id: str | None = None  # the cell giving it, checked against the roster


@dataclass(frozen=True)
class SelfAssess:
    member_id: str
    period: str
    rating: Rating
    comment: str | None = None


@dataclass(frozen=True)
class ProposeRating:
    member_id: str
    period: str
    rating: Rating
    score: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class FinaliseRating:
    evaluation_id: str
    rating: Rating
    score: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # rule id → the reason


@dataclass(frozen=True)
class FinaliseRatings:
    """A cell's or a ward's ratings for a period: those decided, or (None) every PROPOSED one
    at the cell's proposal."""

    organisation_id: str
    period: str
    decisions: Sequence[RatingDecision] | None = None


@dataclass(frozen=True)
class AddHostFeedback:
    member_id: str
    period: str
    host_cell_id: str
    comment: str
