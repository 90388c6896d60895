"""Party members [đảng viên] and their invariants. Standard library only."""

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from members.domain.admission import (
    AwarenessCertificate,
    Introducer,
    probation_ends,
    require_ceremony_on,
)
from members.domain.errors import Conflict, DomainError, InvalidTransition
from members.domain.organisations import KnownOrganisation
from members.domain.restructuring import OrganisationChange, followed, has_followed

CITIZEN_ID_DIGITS = 12


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
    PUBLIC_EMPLOYEE = "PUBLIC_EMPLOYEE"
    OTHER = "OTHER"


@dataclass(frozen=True)
class Residence:
    address: str
    residential_group: str


@dataclass(frozen=True)
class Workplace:
    name: str
    role: WorkplaceRole


def citizen_id_of(text: str) -> str:
    """A citizen ID [số định danh cá nhân, on the CCCD] as given, checked: exactly 12 digits
    (spaces around it ignored)."""
    citizen_id = text.strip()
    if len(citizen_id) != CITIZEN_ID_DIGITS or not citizen_id.isascii() or not citizen_id.isdigit():
        raise DomainError("A citizen ID is exactly 12 digits.", field="citizenId")
    return citizen_id


def optional_citizen_id(text: str | None) -> str | None:
    """None or blank: none given; else checked as `citizen_id_of`."""
    return citizen_id_of(text) if text is not None and text.strip() else None


def citizen_id_taken() -> Conflict:
    return Conflict("The citizen ID is another member's.", field="citizenId")


def require_coherent_dates(
    date_of_birth: date,
    standing: "Standing",
    admitted_on: date,
    official_on: date | None,
    ceremony_on: date | None = None,
) -> None:
    if admitted_on <= date_of_birth:
        raise DomainError(
            "The admission date must come after the date of birth.", field="admittedOn"
        )
    if ceremony_on is not None and ceremony_on < admitted_on:
        raise DomainError(
            "The admission ceremony comes after the admission decision (admittedOn).",
            field="admissionCeremonyOn",
        )
    if standing is Standing.PROBATIONARY and official_on is not None:
        raise DomainError("A PROBATIONARY member has no official date yet.", field="officialOn")
    if standing is Standing.OFFICIAL:
        if official_on is None:
            raise DomainError("An OFFICIAL member needs an official date.", field="officialOn")
        if official_on < probation_ends(admitted_on, ceremony_on):
            raise DomainError(
                "The official date comes after the 12 months of probation from the admission "
                f"ceremony (not before {probation_ends(admitted_on, ceremony_on).isoformat()}).",
                field="officialOn",
                rule="Điều lệ Đảng art. 5; 294-QĐ/TW",
            )


@dataclass
class PartyMember:
    id: str
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Gender
    standing: Standing
    admitted_on: date
    organisation_id: str | None
    official_on: date | None = None
    residence: Residence | None = None
    workplace: Workplace | None = None
    transferred_out_to: str | None = None
    admission_ceremony_on: date | None = None
    introducers: tuple[Introducer, ...] = ()
    awareness_certificate: AwarenessCertificate | None = None
    citizen_id: str | None = None  # personal: never in events or logs
    restructurings: tuple[OrganisationChange, ...] = ()  # in the order they took effect
    version: int = 1

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
        admission_ceremony_on: date | None = None,
        introducers: tuple[Introducer, ...] = (),
        awareness_certificate: AwarenessCertificate | None = None,
        citizen_id: str | None = None,
    ) -> "PartyMember":
        """A member joining the list of an active cell, with coherent dates (`admitted_on`:
        the admission decision; the ceremony, the introducers and the certificate as recorded
        on admission)."""
        card_number, full_name = card_number.strip(), " ".join(full_name.split())
        if not card_number or not full_name:
            raise DomainError(
                "A member needs a card number and a full name.",
                field="fullName" if card_number else "cardNumber",
            )
        cell.require_open_to_newcomers()
        require_coherent_dates(
            date_of_birth, standing, admitted_on, official_on, admission_ceremony_on
        )
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
            admission_ceremony_on=admission_ceremony_on,
            introducers=introducers,
            awareness_certificate=awareness_certificate,
            citizen_id=optional_citizen_id(citizen_id),
        )

    def corrected(
        self,
        *,
        full_name: str | None = None,
        date_of_birth: date | None = None,
        gender: Gender | None = None,
        admitted_on: date | None = None,
        official_on: date | None = None,
        residence: Residence | None = None,
        workplace: Workplace | None = None,
        citizen_id: str | None = None,
    ) -> "PartyMember":
        """The member with personal details corrected; the cell changes only by a transfer."""
        name = " ".join(full_name.split()) if full_name is not None else self.full_name
        if not name:
            raise DomainError("A member needs a full name.", field="fullName")
        updated = replace(
            self,
            full_name=name,
            date_of_birth=date_of_birth or self.date_of_birth,
            gender=gender or self.gender,
            admitted_on=admitted_on or self.admitted_on,
            official_on=official_on or self.official_on,
            residence=residence or self.residence,
            workplace=workplace or self.workplace,
            citizen_id=optional_citizen_id(citizen_id) or self.citizen_id,
            version=self.version + 1,
        )
        require_coherent_dates(
            updated.date_of_birth,
            updated.standing,
            updated.admitted_on,
            updated.official_on,
            updated.admission_ceremony_on,
        )
        return updated

    @property
    def probation_ends_on(self) -> date:
        return probation_ends(self.admitted_on, self.admission_ceremony_on)

    def with_ceremony(self, held_on: date, today: date) -> "PartyMember":
        """The admission ceremony [lễ kết nạp] held: the probation counts from it."""
        if self.standing is not Standing.PROBATIONARY:
            raise InvalidTransition(
                f"{self.full_name} is an OFFICIAL member: the admission ceremony is recorded "
                "during probation.",
                memberId=self.id,
            )
        if self.admission_ceremony_on == held_on:
            return self
        if self.admission_ceremony_on is not None:
            raise Conflict(
                f"{self.full_name}'s admission ceremony is recorded on "
                f"{self.admission_ceremony_on.isoformat()}.",
                memberId=self.id,
            )
        require_ceremony_on(self.admitted_on, held_on, today)
        return replace(self, admission_ceremony_on=held_on, version=self.version + 1)

    def recognised_official(self, official_on: date) -> "PartyMember":
        if self.standing is Standing.OFFICIAL:
            raise Conflict(f"{self.full_name} is already an OFFICIAL member.", memberId=self.id)
        if official_on < self.probation_ends_on:
            raise DomainError(
                f"{self.full_name}'s 12 months of probation end on "
                f"{self.probation_ends_on.isoformat()} (counted from the admission ceremony): "
                "not recognised before.",
                memberId=self.id,
                rule="Điều lệ Đảng art. 5 (12 months of probation)",
            )
        return replace(
            self, standing=Standing.OFFICIAL, official_on=official_on, version=self.version + 1
        )

    def moved_to(self, organisation_id: str) -> "PartyMember":
        return replace(self, organisation_id=organisation_id, version=self.version + 1)

    def followed(self, change: OrganisationChange, cell_id: str | None = None) -> "PartyMember":
        """After their cell, or a committee above it, changed hands (no transfer letter)."""
        return followed(self, change, cell_id)

    def has_followed(self, case_id: str) -> bool:
        return has_followed(self, case_id)

    def transferred_out(self, destination: str) -> "PartyMember":
        return replace(
            self, organisation_id=None, transferred_out_to=destination, version=self.version + 1
        )
