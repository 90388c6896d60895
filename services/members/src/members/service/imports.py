"""Bulk import of a ward's or district's lists of members and admission candidates: each row
checked by the rules registerMember and addCandidate apply, the new and changed ones written
in bulk with the events the one-by-one mutations emit. A bad row never stops the others."""

from collections.abc import Callable, Sequence
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
    DomainError,
    KnownOrganisation,
    PartyMember,
    citizen_id_taken,
    optional_citizen_id,
)
from members.domain.organisations import normalised
from members.service.import_rows import (
    TAKEN,
    CandidateRow,
    MemberRow,
    as_known,
    entering,
    field_of,
    member_decision,
    twice,
    unknown_cell,
)
from members.service.ports import Event, ImportStore

TAKEN_OR_CHANGED = f"{TAKEN}, or the member was changed meanwhile"
CITIZEN_ID_TAKEN = "gives a citizen ID another member holds"

MayChange = Callable[[KnownOrganisation | None], bool]
"""Whether the caller may change the people of this cell (None: a code no one knows, which
only a whole-tree grant hears of)."""


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
                report.rows.append(refused(row.row, key, twice(key, seen[key], "cardNumber")))
                continue
            seen[key] = row.row
            try:
                citizen_id = optional_citizen_id(row.citizen_id)
                if citizen_id is not None:
                    if citizen_id in seen_citizen_ids:
                        raise twice("The citizen ID", seen_citizen_ids[citizen_id], "citizenId")
                    seen_citizen_ids[citizen_id] = row.row
                    if holders.get(citizen_id, key) != key:
                        raise citizen_id_taken()
                write, outcome = member_decision(row, cell, registered.get(key))
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
                report.rows.append(refused(row.row, row.key, unknown_cell(row.organisation_code)))
                continue
            identity = (normalised(row.full_name), row.date_of_birth, cell.id)
            if identity in seen:
                refusal = twice(row.key, seen[identity], "fullName")
                report.rows.append(refused(row.row, row.key, refusal))
                continue
            seen[identity] = row.row
            existing = known.get(identity)
            if existing is not None:
                report.rows.append(as_known(row, existing))
                continue
            try:
                candidate = entering(row, cell)
            except DomainError as error:
                report.rows.append(refused(row.row, row.key, error, field_of(error)))
                continue
            new.append((candidate, events.candidate_introduced(candidate)))
            report.rows.append(RowOutcome(row.row, row.key, ImportOutcome.CREATED, candidate.id))
        if not dry_run and new:
            missed = await self.store.write_candidates(new)
            report = report.refusing(missed, "was added by someone else meanwhile", "fullName")
        return report
