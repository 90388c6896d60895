"""Use cases on transfers of party activity, ordinary and on a cell's dissolution."""

import uuid
from dataclasses import replace
from datetime import date

from members import events
from members.domain import (
    Checklist,
    Conflict,
    DomainError,
    NotFound,
    PartyMember,
    PersonKind,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)
from members.domain.calendar import IsHoliday
from members.domain.organisations import KnownOrganisation, ward_committee_of
from members.domain.reception_corrections import reception_corrected
from members.domain.transfer_requests import require_requestable_reason, require_temporary_period
from members.service.ports import (
    EVERYWHERE,
    CandidateRepository,
    Clock,
    Event,
    MemberRepository,
    OrganisationDirectory,
    Scope,
    TransferFilter,
    TransferRepository,
)
from members.service.relocation import Relocation

SAVE_ATTEMPTS = 5


class TransferService:
    def __init__(
        self,
        transfers: TransferRepository,
        members: MemberRepository,
        candidates: CandidateRepository,
        organisations: OrganisationDirectory,
        relocation: Relocation,
        clock: Clock,
        is_holiday: IsHoliday,
    ) -> None:
        self.transfers = transfers
        self.members = members
        self.candidates = candidates
        self.organisations = organisations
        self.relocation = relocation
        self.clock = clock
        self.is_holiday = is_holiday

    def today(self) -> date:
        return self.clock.today()

    async def transfer(self, transfer_id: str) -> Transfer:
        found = await self.transfers.get(transfer_id)
        if found is None:
            raise NotFound(f"No transfer with id {transfer_id}.", id=transfer_id)
        return found

    async def transfers_by_id(self, transfer_ids: list[str]) -> list[Transfer | NotFound]:
        """The transfers of these ids, in order (a NotFound in place of an unknown id)."""
        found = {t.id: t for t in await self.transfers.get_many(transfer_ids)}
        return [found.get(i) or NotFound(f"No transfer with id {i}.", id=i) for i in transfer_ids]

    async def find_transfers(
        self,
        *,
        state: TransferState | None = None,
        overdue: bool | None = None,
        reason_recorded: bool | None = None,
        organisation_id: str | None = None,
        to_organisation_id: str | None = None,
        case_id: str | None = None,
        person_id: str | None = None,
        scope: Scope = EVERYWHERE,
    ) -> list[Transfer]:
        """Transfers by state, lateness (and a reason for it), cell, or case, in the scope."""
        found = await self.transfers.find(
            TransferFilter(
                state=state,
                overdue_on=self.today() if overdue else None,
                organisation_id=organisation_id,
                to_organisation_id=to_organisation_id,
                case_id=case_id,
                person_id=person_id,
                scope=scope,
            )
        )
        if overdue is False:
            found = [t for t in found if not t.is_overdue(self.today())]
        if reason_recorded is not None:
            found = [t for t in found if (t.overdue_reason is not None) is reason_recorded]
        return found

    async def members_away(
        self, organisation_id: str | None, scope: Scope = EVERYWHERE
    ) -> frozenset[str]:
        """Who is away today on a TEMPORARY stay [sinh hoạt tạm thời] from the cell (or from
        any within the scope): received by the host and not past the stay's end — read from
        the date, so a member is back in full the day after `temporaryUntil`, with no step."""
        return frozenset(await self.transfers.away_on(self.today(), organisation_id, scope))

    async def request_transfer(
        self,
        *,
        member: PartyMember,
        kind: TransferKind,
        reason: TransferReason,
        requested_on: date,
        to_organisation_id: str | None = None,
        destination_name: str | None = None,
        until: date | None = None,
        note: str | None = None,
    ) -> Transfer:
        """Open an ordinary transfer of a member's party activity: OFFICIAL (possibly out of
        the district), TEMPORARY (3 months to under a year, to study up to 2 years: the member
        stays on the home cell's list) or INTERNAL (within the ward), for `member` as the
        caller read them."""
        require_requestable_reason(reason)
        if member.organisation_id is None:
            raise DomainError(f"{member.full_name} has left the district's organisations.")
        if await self.transfers.open_for(member.id) is not None:
            raise Conflict(
                f"{member.full_name} already has a transfer under way.", memberId=member.id
            )
        if kind is TransferKind.TEMPORARY:
            require_temporary_period(requested_on, until, reason)
        elif until is not None:
            raise DomainError("Only a TEMPORARY transfer has an end date.", field="until")
        origin = await self._organisation(member.organisation_id)
        transfer = Transfer(
            id=str(uuid.uuid4()),
            person_kind=PersonKind.MEMBER,
            person_id=member.id,
            person_name=member.full_name,
            kind=kind,
            reason=reason,
            from_organisation_id=origin.id,
            ward_committee_id=ward_committee_of(origin),
            state=TransferState.NEEDS_DESTINATION,
            requested_on=requested_on,
            temporary_until=until,
            note=note,
            version=0,
        )
        if to_organisation_id is not None:
            transfer = transfer.with_destination(await self._organisation(to_organisation_id))
        elif kind is TransferKind.INTERNAL or not (destination_name or "").strip():
            raise DomainError(
                "Give the receiving cell (toOrganisationId); an OFFICIAL or TEMPORARY transfer "
                "out of the district may name it instead (destinationName).",
                field="toOrganisationId",
            )
        else:
            transfer = replace(
                transfer,
                destination_name=(destination_name or "").strip(),
                state=TransferState.AWAITING_INTRODUCTION,
                version=1,
            )
        await self.transfers.add(transfer, [events.transfer_created(transfer)])
        return transfer

    async def set_destination(self, transfer: Transfer, organisation_id: str) -> Transfer:
        """Settle where a member or candidate goes (the ward's residential cell for INTERNAL).

        This use case and the ones below take the transfer as the caller read it: CONFLICT if
        it changed since."""
        changed = transfer.with_destination(await self._organisation(organisation_id))
        await self._save(changed, events.transfer_destination_set(changed))
        return changed

    async def issue_introduction(
        self,
        transfer: Transfer,
        letter_no: str,
        issued_on: date,
        checklist: Checklist | None = None,
    ) -> Transfer:
        """Record the introduction letter [giấy giới thiệu]; the member must report to the new
        cell within 30 working days (weekends and Vietnamese public holidays excluded)."""
        changed = transfer.introduced(letter_no, issued_on, self.is_holiday, checklist)
        await self._save(changed, events.transfer_introduced(changed))
        return changed

    async def record_checklist(self, transfer: Transfer, checklist: Checklist) -> Transfer:
        """Record what travels with the member: letter, record sheet, file, card, review, dues."""
        changed = transfer.with_checklist(checklist)
        await self._save(changed, None)
        return changed

    async def receive(self, transfer: Transfer, received_on: date) -> Transfer:
        """The receiving cell records the member (or candidate) on its list; the person's cell
        changes here."""
        changed = transfer.received(received_on)
        if changed.to_organisation_id is not None:
            (await self._organisation(changed.to_organisation_id)).require_active_cell()
        event = (
            events.transfer_received(changed)
            if changed.person_kind is PersonKind.MEMBER
            else events.candidate_rehomed(changed)
        )
        await self._save(changed, event)
        await self.apply_reception(changed)
        return changed

    async def correct_reception(
        self,
        transfer: Transfer,
        received_on: date,
        reason: str,
        by: str,
        subject: str | None = None,
    ) -> Transfer:
        """The receiving side corrects the day it received the person; the old date, who, when
        and why stay on the transfer, and others (the evaluations roster) hear of it."""
        changed = reception_corrected(transfer, received_on, reason, by, self.today(), subject)
        await self._save(changed, events.reception_corrected(changed))
        return changed

    async def cancel(self, transfer: Transfer, reason: str) -> Transfer:
        """Cancel a transfer not yet received."""
        changed = transfer.cancelled(self.today(), reason)
        await self._save(changed, events.transfer_cancelled(changed))
        if changed.case_id is not None:  # the person still has to go somewhere
            await self.transfers.add_many_once(
                [changed.again(self.today())], events.transfer_created
            )
        return changed

    async def record_overdue_reason(self, transfer: Transfer, reason: str) -> Transfer:
        """Record why a member did not report to the new cell by the report-by date."""
        changed = transfer.with_overdue_reason(reason, self.today())
        await self._save(changed, None)
        return changed

    async def apply_reception(self, transfer: Transfer) -> None:
        """Move the received person to the new cell, once, and close the case when all are."""
        await self.move_person(transfer)
        if transfer.case_id is not None:
            await self.relocation.complete_relocation_if_done(transfer.case_id)

    async def move_person(self, transfer: Transfer) -> None:
        """Move the person of a received transfer to the new cell, once."""
        for _ in range(SAVE_ATTEMPTS):
            if await self._move_person(transfer):
                return
        raise Conflict(f"Could not move the person of transfer {transfer.id}; retry.")

    async def _move_person(self, transfer: Transfer) -> bool:
        destination = transfer.to_organisation_id
        if transfer.person_kind is PersonKind.CANDIDATE:
            candidate = await self.candidates.get(transfer.person_id)
            if candidate is None or destination is None:
                return True
            rehomed = candidate.rehomed(destination)
            return await self.candidates.save(rehomed, [], applying=transfer.id) or (
                await self._candidate_has(transfer)
            )
        if transfer.kind is TransferKind.TEMPORARY:
            return True  # a temporary member stays on the home cell's list
        marks = {transfer.id: transfer.applied_as}  # moved in bulk: kept as applied_as
        waiting = await self.members.waiting_for({transfer.id: transfer.person_id}, (), marks)
        member = waiting.get(transfer.id)
        if member is None:  # gone, or moved by this transfer already
            return True
        moved: PartyMember = (
            member.moved_to(destination)
            if destination is not None
            else member.transferred_out(transfer.destination_name or "")
        )
        return await self.members.save(
            moved, [events.member_updated(moved, transfer=transfer)], applying=transfer.id
        )

    async def _candidate_has(self, transfer: Transfer) -> bool:
        candidate = await self.candidates.get(transfer.person_id)
        return candidate is not None and candidate.organisation_id == transfer.to_organisation_id

    async def _save(self, transfer: Transfer, event: Event | None) -> None:
        if not await self.transfers.save(transfer, [event] if event else []):
            raise Conflict(
                f"Transfer {transfer.id} was changed by someone else meanwhile: reload and retry.",
                transferId=transfer.id,
            )

    async def _organisation(self, organisation_id: str) -> KnownOrganisation:
        found = await self.organisations.get(organisation_id)
        if found is None:
            raise NotFound(
                f"No organisation with id {organisation_id} is known to the members service.",
                organisationId=organisation_id,
            )
        return found
