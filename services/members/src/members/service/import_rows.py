"""The rows of a members' or candidates' import, and what one row becomes: a member to
register or correct, a candidate to add, or a refusal with the field it is about."""

import uuid
from dataclasses import dataclass, replace
from datetime import date

from kit.imports import (
    ImportOutcome,
    RowOutcome,
    refused,
)

from members import events
from members.domain import (
    AdmissionCandidate,
    Conflict,
    DomainError,
    Gender,
    KnownOrganisation,
    NotFound,
    PartyMember,
    Residence,
    Standing,
    Workplace,
)
from members.domain.organisations import normalised
from members.service.candidates import entering_source
from members.service.ports import Event

IMPORTED_CANDIDATES = uuid.UUID("5b0e6a8e-2f7c-5d0a-9a51-696d706f7274")

TAKEN = (
    "is the card number of a member of another cell (a member changes cell only by a transfer "
    "[chuyển sinh hoạt đảng])"
)


@dataclass(frozen=True)
class MemberRow:
    row: int
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Gender
    standing: Standing
    admitted_on: date
    official_on: date | None
    organisation_code: str
    residence: Residence | None = None
    workplace: Workplace | None = None
    citizen_id: str | None = None


@dataclass(frozen=True)
class CandidateRow:
    row: int
    full_name: str
    date_of_birth: date
    gender: Gender
    organisation_code: str
    on: date
    residence: Residence | None = None
    workplace: Workplace | None = None

    @property
    def key(self) -> str:
        return f"{' '.join(self.full_name.split())}|{self.date_of_birth}|{self.organisation_code}"


def field_of(error: DomainError) -> str | None:
    """The import row's field a domain error is about: the cell is named by its code there."""
    named = error.details.get("field")
    if isinstance(named, str):
        return "organisationCode" if named == "organisationId" else named
    return "organisationCode" if "organisationId" in error.details else None


def corrected(member: PartyMember, row: MemberRow) -> PartyMember:
    """The member as the row describes them: details corrected, recognised OFFICIAL when the
    row says so; the cell changes only by a transfer."""
    version = member.version + 1  # one write, however many corrections it holds
    if row.standing is not member.standing:
        if row.standing is Standing.PROBATIONARY:
            raise Conflict(f"{member.full_name} is an OFFICIAL member already.", field="standing")
        if row.official_on is None:
            raise DomainError("An OFFICIAL member needs an official date.", field="officialOn")
        member = member.recognised_official(row.official_on)
    changed = member.corrected(
        full_name=row.full_name,
        date_of_birth=row.date_of_birth,
        gender=row.gender,
        admitted_on=row.admitted_on,
        official_on=row.official_on,
        residence=row.residence,
        workplace=row.workplace,
        citizen_id=row.citizen_id,
    )
    return replace(changed, version=version)


def member_decision(
    row: MemberRow, cell: KnownOrganisation | None, existing: PartyMember | None
) -> tuple[tuple[PartyMember, Event] | None, RowOutcome]:
    """What becomes of one row: the member to write with their event (none when unchanged),
    and the row's outcome; a DomainError for a row refused."""
    key = row.card_number.strip()
    if cell is None:
        raise unknown_cell(row.organisation_code)
    if existing is None:
        member = registered(row, cell)
        created = RowOutcome(row.row, key, ImportOutcome.CREATED, member.id)
        return (member, events.member_registered(member)), created
    if existing.organisation_id != cell.id:  # as registerMember: the card is taken
        raise registered_elsewhere(key)
    member = corrected(existing, row)
    if replace(member, version=existing.version) == existing:
        return None, RowOutcome(row.row, key, ImportOutcome.UNCHANGED, existing.id)
    updated = RowOutcome(row.row, key, ImportOutcome.UPDATED, member.id)
    return (member, events.member_updated(member)), updated


def registered(row: MemberRow, cell: KnownOrganisation) -> PartyMember:
    return PartyMember.register(
        id=str(uuid.uuid4()),
        card_number=row.card_number,
        full_name=row.full_name,
        date_of_birth=row.date_of_birth,
        gender=row.gender,
        standing=row.standing,
        admitted_on=row.admitted_on,
        official_on=row.official_on,
        cell=cell,
        residence=row.residence,
        workplace=row.workplace,
        citizen_id=row.citizen_id,
    )


def entering(row: CandidateRow, cell: KnownOrganisation) -> AdmissionCandidate:
    # the same person in the same cell gets the same id: two imports racing add them once
    identity = f"{normalised(row.full_name)}|{row.date_of_birth.isoformat()}|{cell.id}"
    return entering_source(
        str(uuid.uuid5(IMPORTED_CANDIDATES, identity)),
        cell,
        full_name=row.full_name,
        date_of_birth=row.date_of_birth,
        gender=row.gender,
        on=row.on,
        residence=row.residence,
        workplace=row.workplace,
    )


def as_known(row: CandidateRow, existing: AdmissionCandidate) -> RowOutcome:
    """UNCHANGED when the row says what is known of the candidate; what differs is refused
    (a candidate's details are not corrected by an import)."""
    differing = [
        name
        for name, given, kept in (
            ("gender", row.gender, existing.gender),
            ("residence", row.residence, existing.residence),
            ("workplace", row.workplace, existing.workplace),
        )
        if given is not None and given != kept
    ]
    if differing:
        return refused(
            row.row,
            row.key,
            Conflict(
                f"{existing.full_name} is already a candidate of the cell with another "
                f"{differing[0]}.",
                field=differing[0],
            ),
        )
    return RowOutcome(row.row, row.key, ImportOutcome.UNCHANGED, existing.id)


def unknown_cell(code: str) -> NotFound:
    return NotFound(
        f"No organisation with code {code.strip()} is known to the members service.",
        field="organisationCode",
    )


def twice(key: str, first_row: int, field: str) -> Conflict:
    return Conflict(f"{key} is also on row {first_row} of this import.", field=field)


def registered_elsewhere(card_number: str) -> Conflict:
    return Conflict(f"{card_number} {TAKEN}.", field="cardNumber")
