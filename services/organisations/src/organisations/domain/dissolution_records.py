"""What the steps of a dissolution case record: the conferences, the plan and its placements,
the approval, the decision and the members service's report of everyone received."""

from dataclasses import dataclass
from datetime import date
from enum import Enum


class PersonKind(Enum):
    MEMBER = "MEMBER"
    CANDIDATE = "CANDIDATE"


@dataclass(frozen=True)
class Placement:
    """Which residential cell receives one member or candidate (an override of the default)."""

    person_id: str
    person_kind: PersonKind
    destination_cell_id: str


@dataclass(frozen=True)
class Dissemination:
    held_on: date
    attendee_count: int
    documents: list[str]


@dataclass(frozen=True)
class Plan:
    number: str
    dated_on: date
    placements: list[Placement]


@dataclass(frozen=True)
class PlanReturn:
    plan: Plan
    returned_on: date
    reasons: str


@dataclass(frozen=True)
class Approval:
    approved_on: date
    opinion: str | None


@dataclass(frozen=True)
class Decision:
    number: str
    signed_on: date
    signer: str
    effective_on: date


@dataclass(frozen=True)
class Announcement:
    held_on: date


@dataclass(frozen=True)
class Relocation:
    members: int
    candidates: int
    completed_on: date
