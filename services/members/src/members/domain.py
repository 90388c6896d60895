"""Party members and what this service knows of organisations. Standard library only."""

from dataclasses import dataclass, field
from datetime import date
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


class Standing(Enum):
    OFFICIAL = "OFFICIAL"
    PROBATIONARY = "PROBATIONARY"


class Gender(Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    OTHER = "OTHER"


class WorkplaceRole(Enum):
    CADRE = "CADRE"
    CIVIL_SERVANT = "CIVIL_SERVANT"
    NON_SPECIALISED = "NON_SPECIALISED"
    OTHER = "OTHER"


@dataclass(frozen=True)
class Residence:
    address: str
    residential_group: str


@dataclass(frozen=True)
class Workplace:
    name: str
    role: WorkplaceRole


@dataclass
class KnownOrganisation:
    """The read model of an organisation, kept from the organisations service's events."""

    id: str
    code: str
    name: str
    kind: str
    cell_type: str | None
    parent_id: str | None
    status: str
    coverage: list[str] = field(default_factory=list)

    @property
    def is_cell(self) -> bool:
        return self.kind == "CELL"

    @property
    def is_active(self) -> bool:
        return self.status == "ACTIVE"


@dataclass
class PartyMember:
    id: str
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

    @classmethod
    def register(
        cls,
        *,
        id: str,
        card_number: str,
        full_name: str,
        date_of_birth: date,
        gender: Gender,
        standing: Standing,
        admitted_on: date,
        official_on: date | None,
        cell: KnownOrganisation,
        residence: Residence | None = None,
        workplace: Workplace | None = None,
    ) -> "PartyMember":
        """A member joining the list of an active cell, with coherent dates."""
        card_number, full_name = card_number.strip(), " ".join(full_name.split())
        if not card_number or not full_name:
            raise DomainError("A member needs a card number and a full name.")
        if not cell.is_cell or not cell.is_active:
            raise DomainError(
                f"{cell.name} is not an active cell: members belong to active cells.",
                organisationId=cell.id,
            )
        if admitted_on <= date_of_birth:
            raise DomainError("The admission date must come after the date of birth.")
        if standing is Standing.OFFICIAL and (official_on is None or official_on <= admitted_on):
            raise DomainError(
                "An OFFICIAL member needs an official date after the admission date.",
                field="officialOn",
            )
        if standing is Standing.PROBATIONARY and official_on is not None:
            raise DomainError("A PROBATIONARY member has no official date yet.", field="officialOn")
        return cls(
            id=id,
            card_number=card_number,
            full_name=full_name,
            date_of_birth=date_of_birth,
            gender=gender,
            standing=standing,
            admitted_on=admitted_on,
            official_on=official_on,
            organisation_id=cell.id,
            residence=residence,
            workplace=workplace,
        )
