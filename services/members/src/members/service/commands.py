"""What a caller asks the members service to do, one command per intent, as the schema builds
it from the mutation's input: a new field is added here, in the input that builds it, and in
the use case that reads it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from members.domain import (
    AwarenessCertificate,
    Gender,
    Introducer,
    Residence,
    Standing,
    Workplace,
)


@dataclass(frozen=True)
class RegisterMember:
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Gender
    standing: Standing
    admitted_on: date
    organisation_id: str
    official_on: date | None = None
    residence: Residence | None = None
    workplace: Workplace | None = None
    admission_ceremony_on: date | None = None
    citizen_id: str | None = None


@dataclass(frozen=True)
class CorrectMember:
    """Only the fields given change; the cell changes by a transfer."""

    full_name: str | None = None
    date_of_birth: date | None = None
    gender: Gender | None = None
    admitted_on: date | None = None
    official_on: date | None = None
    residence: Residence | None = None
    workplace: Workplace | None = None
    citizen_id: str | None = None


@dataclass(frozen=True)
class AddCandidate:
    full_name: str
    date_of_birth: date
    gender: Gender
    organisation_id: str
    on: date
    residence: Residence | None = None
    workplace: Workplace | None = None


@dataclass(frozen=True)
class AdmitCandidate:
    card_number: str
    admitted_on: date
    ceremony_on: date | None = None
    introducers: Sequence[Introducer] = ()
    certificate: AwarenessCertificate | None = None
