"""Bulk import of a ward's or district's lists of members and admission candidates: each row
checked by the rules registerMember and addCandidate apply, the new and changed ones written
in bulk with the events the one-by-one mutations emit. A bad row never stops the others."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from kit.imports import (
    ImportOutcome,
    RowOutcome,
    RowOutcomes,
    forbidden,
    refused,
    require_at_most,
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
    citizen_id_taken,
    optional_citizen_id,
)
from members.domain.organisations import normalised
from members.service.candidates import entering_source
from members.service.ports import Event, ImportStore

IMPORTED_CANDIDATES = uuid.UUID("5b0e6a8e-2f7c-5d0a-9a51-696d706f7274")

TAKEN = (
    "is the card number of a member of another cell (a member changes cell only by a transfer "
    "[chuyển sinh hoạt đảng])"
)
TAKEN_OR_CHANGED = f"{TAKEN}, or the member was changed meanwhile"
CITIZEN_ID_TAKEN = "gives a citizen ID another member holds"

MayChange = Callable[[KnownOrganisation | None], bool]
"""Whether the caller may change the people of this cell (None: a code no one knows, which
only a whole-tree grant hears of)."""


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


class ImportService:
    def __init__(self, store: ImportStore) -> None:
        self.store = store

    async def _cells(self, codes: Sequence[str]) -> dict[str, KnownOrganisation]:
        wanted = sorted({code.strip() for code in codes})
        return {cell.code: cell for cell in await self.store.organisations_by_code(wanted)}

    async def import_members(
        self, rows: Sequence[MemberRow], may_change: MayChange, dry_run: bool = False
    ) -> RowOutcomes:
        """Register the members of a list, or correct those already registered (by card
        number); each row answered CREATED, UPDATED, UNCHANGED or REJECTED with the reason.
        With `dry_run`, everything is checked and nothing written."""
        require_at_most(len(rows))
        cells = await self._cells([row.organisation_code for row in rows])
        registered = {
            m.card_number: m
            for m in await self.store.members_in(sorted(cell.id for cell in cells.values()))
        }
        if dry_run:  # the write would find a card number taken elsewhere: look for it now
            cards = sorted({row.card_number.strip() for row in rows} - set(registered))
            registered |= {m.card_number: m for m in await self.store.members_by_card(cards)}
        # a new member's citizen ID is checked by the store's unique index as it is written
        # (a query each would double an import's time); a changed one, or a dry run's, now
        holders = await self._citizen_id_holders(
            [row for row in rows if dry_run or row.card_number.strip() in registered]
        )
        report, seen = RowOutcomes(), dict[str, int]()
        seen_citizen_ids: dict[str, int] = {}
        new: list[tuple[PartyMember, Event]] = []
        changed: list[tuple[PartyMember, Event]] = []
        for row in rows:
            key = row.card_number.strip()
            cell = cells.get(row.organisation_code.strip())
            if not may_change(cell):
                report.rows.append(forbidden(row.row, key, "organisationCode"))
                continue
            if key in seen:
                report.rows.append(refused(row.row, key, _twice(key, seen[key], "cardNumber")))
                continue
            seen[key] = row.row
            try:
                citizen_id = optional_citizen_id(row.citizen_id)
                if citizen_id is not None:
                    if citizen_id in seen_citizen_ids:
                        raise _twice("The citizen ID", seen_citizen_ids[citizen_id], "citizenId")
                    seen_citizen_ids[citizen_id] = row.row
                    if holders.get(citizen_id, key) != key:
                        raise citizen_id_taken()
                write, outcome = _member_decision(row, cell, registered.get(key))
            except DomainError as error:
                report.rows.append(refused(row.row, key, error, field_of(error)))
                continue
            report.rows.append(outcome)
            if write is not None:
                (new if outcome.outcome is ImportOutcome.CREATED else changed).append(write)
        if not dry_run and (new or changed):
            missed = await self.store.write_members(new, changed)
            taken = await self._citizen_id_taken([m for m, _ in new if m.id in missed])
            report = report.refusing(taken, CITIZEN_ID_TAKEN, "citizenId")
            report = report.refusing(missed - taken, TAKEN_OR_CHANGED, "cardNumber")
        return report

    async def _citizen_id_taken(self, members: Sequence[PartyMember]) -> set[str]:
        """Of these members not written, those whose citizen ID another member holds."""
        held = await self.store.members_by_citizen_id(
            [m.citizen_id for m in members if m.citizen_id]
        )
        holder = {h.citizen_id: h.id for h in held}
        return {m.id for m in members if m.citizen_id and holder.get(m.citizen_id, m.id) != m.id}

    async def _citizen_id_holders(self, rows: Sequence[MemberRow]) -> dict[str, str]:
        """The card numbers of the members holding the citizen IDs the rows give."""
        given = set()
        for row in rows:
            try:
                given.add(optional_citizen_id(row.citizen_id))
            except DomainError:
                continue  # refused with its row
        wanted = sorted(c for c in given if c is not None)
        if not wanted:
            return {}
        held = await self.store.members_by_citizen_id(wanted)
        return {m.citizen_id: m.card_number for m in held if m.citizen_id}

    async def import_candidates(
        self, rows: Sequence[CandidateRow], may_change: MayChange, dry_run: bool = False
    ) -> RowOutcomes:
        """Put the people of a list in their cells' admission source; a person already there
        (same name, birth date and cell) is left as they are. With `dry_run`, nothing written."""
        require_at_most(len(rows))
        cells = await self._cells([row.organisation_code for row in rows])
        known: dict[tuple[str, date, str], AdmissionCandidate] = {
            (normalised(c.full_name), c.date_of_birth, c.organisation_id): c
            for c in await self.store.candidates_in(sorted(cell.id for cell in cells.values()))
        }
        report, seen = RowOutcomes(), dict[tuple[str, date, str], int]()
        new: list[tuple[AdmissionCandidate, Event]] = []
        for row in rows:
            cell = cells.get(row.organisation_code.strip())
            if not may_change(cell):
                report.rows.append(forbidden(row.row, row.key, "organisationCode"))
                continue
            if cell is None:
                report.rows.append(refused(row.row, row.key, _unknown_cell(row.organisation_code)))
                continue
            identity = (normalised(row.full_name), row.date_of_birth, cell.id)
            if identity in seen:
                twice = _twice(row.key, seen[identity], "fullName")
                report.rows.append(refused(row.row, row.key, twice))
                continue
            seen[identity] = row.row
            existing = known.get(identity)
            if existing is not None:
                report.rows.append(_as_known(row, existing))
                continue
            try:
                candidate = _entering(row, cell)
            except DomainError as error:
                report.rows.append(refused(row.row, row.key, error, field_of(error)))
                continue
            new.append((candidate, events.candidate_introduced(candidate)))
            report.rows.append(RowOutcome(row.row, row.key, ImportOutcome.CREATED, candidate.id))
        if not dry_run and new:
            missed = await self.store.write_candidates(new)
            report = report.refusing(missed, "was added by someone else meanwhile", "fullName")
        return report


def _member_decision(
    row: MemberRow, cell: KnownOrganisation | None, existing: PartyMember | None
) -> tuple[tuple[PartyMember, Event] | None, RowOutcome]:
    """What becomes of one row: the member to write with their event (none when unchanged),
    and the row's outcome; a DomainError for a row refused."""
    key = row.card_number.strip()
    if cell is None:
        raise _unknown_cell(row.organisation_code)
    if existing is None:
        member = _registered(row, cell)
        created = RowOutcome(row.row, key, ImportOutcome.CREATED, member.id)
        return (member, events.member_registered(member)), created
    if existing.organisation_id != cell.id:  # as registerMember: the card is taken
        raise _registered_elsewhere(key)
    member = corrected(existing, row)
    if replace(member, version=existing.version) == existing:
        return None, RowOutcome(row.row, key, ImportOutcome.UNCHANGED, existing.id)
    updated = RowOutcome(row.row, key, ImportOutcome.UPDATED, member.id)
    return (member, events.member_updated(member)), updated


def _registered(row: MemberRow, cell: KnownOrganisation) -> PartyMember:
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


def _entering(row: CandidateRow, cell: KnownOrganisation) -> AdmissionCandidate:
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


def _as_known(row: CandidateRow, existing: AdmissionCandidate) -> RowOutcome:
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


def _unknown_cell(code: str) -> NotFound:
    return NotFound(
        f"No organisation with code {code.strip()} is known to the members service.",
        field="organisationCode",
    )


def _twice(key: str, first_row: int, field: str) -> Conflict:
    return Conflict(f"{key} is also on row {first_row} of this import.", field=field)


def _registered_elsewhere(card_number: str) -> Conflict:
    return Conflict(f"{card_number} {TAKEN}.", field="cardNumber")
