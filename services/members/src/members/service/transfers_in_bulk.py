"""The steps of a dissolution that come in bulk: the introduction letters of a dissolved cell's
transfers and their reception, each answered per transfer and written in one bulk write.

They apply the same domain rules and store the same events as the one-by-one use cases in
service/transfers.py, so every consumer of those events keeps working."""

import asyncio
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
    TransferState,
)
from members.service.ports import Event, Saving, TransferFilter
from members.service.transfers import TransferService

MOST_AT_ONCE = 5_000
SETTLED_KEPT = 50_000  # receptions remembered as finished (a few megabytes)


@dataclass(frozen=True)
class Outcome:
    """What became of one transfer of a bulk step: done, unchanged (done already, as asked)
    or refused, with the domain's reason."""

    transfer_id: str
    transfer: Transfer | None = None
    refusal: DomainError | None = None
    unchanged: bool = False

    @classmethod
    def refused(cls, transfer_id: str, refusal: DomainError) -> "Outcome":
        return cls(transfer_id, refusal=refusal)


def letter_number(series: str, number: int) -> str:
    """The n-th letter of a series: `07-GGT/ĐU` for the 7th of `GGT/ĐU`."""
    return f"{number:02d}-{series.strip()}"


class TransfersInBulk:
    def __init__(self, transfers: TransferService) -> None:
        self.service = transfers
        self.transfers = transfers.transfers
        self.members = transfers.members
        self.candidates = transfers.candidates
        self.organisations = transfers.organisations
        # receptions whose people this process moved and whose cases it looked at: their
        # events need not be finished again (a hint; after a restart, each is looked at)
        self._settled: OrderedDict[str, None] = OrderedDict()

    async def selected(
        self,
        transfer_ids: Sequence[str] | None,
        case_id: str | None,
        to_organisation_id: str | None,
    ) -> list[Transfer | NotFound]:
        """The transfers a bulk step names: by id, in the order given (a NotFound in place of
        an unknown id), or those of a dissolution case, to one cell or all, in name order."""
        if (transfer_ids is None) == (case_id is None):
            raise DomainError("Name the transfers either by transferIds or by caseId.")
        if transfer_ids is not None and to_organisation_id is not None:
            raise DomainError("toOrganisationId narrows a caseId.", field="toOrganisationId")
        if transfer_ids is not None:
            if len(set(transfer_ids)) != len(transfer_ids):
                raise DomainError("A transfer is listed twice.", field="transferIds")
            found: list[Transfer | NotFound] = list(
                await self.service.transfers_by_id(list(transfer_ids))
            )
        else:
            assert case_id is not None
            await self.service.relocation.case(case_id)
            found = list(
                await self.transfers.find(
                    TransferFilter(case_id=case_id, to_organisation_id=to_organisation_id)
                )
            )
        if len(found) > MOST_AT_ONCE:
            raise DomainError(f"At most {MOST_AT_ONCE} transfers at once; {len(found)} named.")
        return found

    async def issue_introductions(
        self,
        letters: Sequence[tuple[Transfer, str]],
        issued_on: date,
        checklist: Checklist | None = None,
    ) -> list[Outcome]:
        """Record the introduction letter of each transfer (see issue_introduction); a transfer
        introduced already by the same letter is left unchanged."""
        outcomes: dict[str, Outcome] = {}
        savings: list[Saving[Transfer]] = []
        for transfer, letter_no in letters:
            if transfer.state is TransferState.INTRODUCED and transfer.letter_no == letter_no:
                outcomes[transfer.id] = Outcome(transfer.id, transfer, unchanged=True)
                continue
            try:
                changed = transfer.introduced(
                    letter_no, issued_on, self.service.is_holiday, checklist
                )
            except DomainError as refusal:
                outcomes[transfer.id] = Outcome.refused(transfer.id, refusal)
                continue
            savings.append(Saving(changed, [events.transfer_introduced(changed)], read=transfer))
        outcomes |= await self._save(savings)
        return [outcomes[transfer.id] for transfer, _ in letters]

    async def receive(self, transfers: Sequence[Transfer], received_on: date) -> list[Outcome]:
        """The receiving cells record each person on their list (see receive): the transfers,
        then the people moved, then the case relocated once all of it is received."""
        outcomes: dict[str, Outcome] = {}
        destinations = {
            cell.id: cell
            for cell in await self.organisations.get_many(
                sorted({t.to_organisation_id for t in transfers if t.to_organisation_id})
            )
        }
        savings: list[Saving[Transfer]] = []
        for transfer in transfers:
            if transfer.state is TransferState.RECEIVED and transfer.received_on == received_on:
                outcomes[transfer.id] = Outcome(transfer.id, transfer, unchanged=True)
                continue
            try:
                changed = transfer.received(received_on)
                if (destination := changed.to_organisation_id) is not None:
                    if destination not in destinations:
                        raise NotFound(
                            f"No organisation with id {destination} is known to the members "
                            "service.",
                            organisationId=destination,
                        )
                    destinations[destination].require_active_cell()
            except DomainError as refusal:
                outcomes[transfer.id] = Outcome.refused(transfer.id, refusal)
                continue
            savings.append(Saving(changed, [reception_event(changed)], read=transfer))
        # the receptions are told once the people are moved: told before, this service's own
        # handler of the events would race the bulk move, one person at a time. The members
        # are read while the receptions are written (the moves still wait for them)
        reading = asyncio.ensure_future(
            self._members_waiting(self._members_of(s.aggregate for s in savings))
        )
        try:
            saved = await self._save(savings, announce=False)
        finally:
            await asyncio.wait([reading])
        outcomes |= saved
        received = [o.transfer for o in saved.values() if o.transfer and not o.unchanged]
        try:
            await self.move_people(received, reading.result())
            await self._complete_cases_of(received)
            self._settle([t.id for t in received])
        finally:
            await self.transfers.announce([t.id for t in received])
        return [outcomes[transfer.id] for transfer in transfers]

    async def finish_receptions(self, transfer_ids: Sequence[str]) -> None:
        """After the events of received transfers: move the people not moved yet (a crash
        between a reception and its move) and close their cases, once per case; those this
        process received in bulk and finished are let be."""
        unsettled = [i for i in dict.fromkeys(transfer_ids) if i not in self._settled]
        if not unsettled:
            return
        received = [
            t for t in await self.transfers.get_many(unsettled) if t.state is TransferState.RECEIVED
        ]
        await self.move_people(received)
        await self._complete_cases_of(received)

    def _settle(self, transfer_ids: Sequence[str]) -> None:
        self._settled.update(dict.fromkeys(transfer_ids))
        while len(self._settled) > SETTLED_KEPT:
            self._settled.popitem(last=False)

    async def move_people(
        self, received: Sequence[Transfer], members_read: Mapping[str, PartyMember] | None = None
    ) -> None:
        """Move each person of these received transfers to the new cell, once: one bulk write
        per collection; those changed meanwhile go the one-by-one way, with its retries.
        `members_read`: their members as read already (by transfer id; see _members_waiting)."""
        members = self._members_of(received)
        candidates = [
            t
            for t in received
            if t.person_kind is PersonKind.CANDIDATE and t.to_organisation_id is not None
        ]
        if members_read is None:
            members_read = await self._members_waiting(members)
        left = [
            *await self._move_members(members, members_read),
            *await self._move_candidates(candidates),
        ]
        for transfer in left:
            await self.service.move_person(transfer)

    @staticmethod
    def _members_of(transfers: Iterable[Transfer]) -> list[Transfer]:
        return [
            t
            for t in transfers
            if t.person_kind is PersonKind.MEMBER and t.kind is not TransferKind.TEMPORARY
        ]

    async def _members_waiting(self, transfers: Sequence[Transfer]) -> dict[str, PartyMember]:
        """The members of these transfers not moved by them yet, by transfer id."""
        return await self.members.waiting_for(
            {t.id: t.person_id for t in transfers},
            sorted({t.from_organisation_id for t in transfers}),
            {t.id: t.applied_as for t in transfers},
        )

    async def _move_members(
        self, transfers: Sequence[Transfer], found: Mapping[str, PartyMember]
    ) -> list[Transfer]:
        waiting = [t for t in transfers if t.id in found]
        if not waiting:
            return []
        savings = []
        for transfer in waiting:
            member = found[transfer.id]
            moved = (
                member.moved_to(transfer.to_organisation_id)
                if transfer.to_organisation_id is not None
                else member.transferred_out(transfer.destination_name or "")
            )
            savings.append(
                Saving(
                    moved,
                    [events.member_updated(moved, transfer=transfer)],
                    applying=transfer.applied_as,
                    read=member,
                )
            )
        written = await self.members.save_received(savings)
        return [t for t in waiting if t.person_id not in written]

    async def _move_candidates(self, transfers: Sequence[Transfer]) -> list[Transfer]:
        found = await self.candidates.waiting_for({t.id: t.person_id for t in transfers})
        waiting = [t for t in transfers if t.id in found]
        if not waiting:
            return []
        savings = [
            Saving(found[t.id].rehomed(t.to_organisation_id), (), applying=t.id)
            for t in waiting
            if t.to_organisation_id is not None
        ]
        written = await self.candidates.save_many(savings)
        return [t for t in waiting if t.person_id not in written]

    async def _complete_cases_of(self, received: Sequence[Transfer]) -> None:
        for case_id in sorted({t.case_id for t in received if t.case_id is not None}):
            await self.service.relocation.complete_relocation_if_done(case_id)

    async def _save(
        self, savings: Sequence[Saving[Transfer]], announce: bool = True
    ) -> dict[str, Outcome]:
        """Write the changed transfers in one bulk write; one changed meanwhile is refused."""
        written = await self.transfers.save_many(savings, announce)
        return {
            s.aggregate.id: Outcome(s.aggregate.id, s.aggregate)
            if s.aggregate.id in written
            else Outcome.refused(
                s.aggregate.id,
                Conflict(
                    f"Transfer {s.aggregate.id} was changed by someone else meanwhile: reload "
                    "and retry.",
                    transferId=s.aggregate.id,
                ),
            )
            for s in savings
        }


def reception_event(transfer: Transfer) -> Event:
    if transfer.person_kind is PersonKind.MEMBER:
        return events.transfer_received(transfer)
    return events.candidate_rehomed(transfer)
