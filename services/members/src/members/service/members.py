"""Use cases on party members and on what this service knows of organisations."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from kit.pages import Page, checked_first
from kit.pseudonyms import KeyKind

from members import events
from members.domain import (
    Conflict,
    DomainError,
    KnownOrganisation,
    NotFound,
    PartyMember,
    Standing,
    citizen_id_of,
    citizen_id_taken,
)
from members.domain.admission import AdmissionDates, require_ceremony_on
from members.domain.calendar import IsHoliday
from members.service.commands import CorrectMember, RegisterMember
from members.service.ports import (
    CaseBook,
    Clock,
    MemberFilter,
    MemberRepository,
    OrganisationDirectory,
    Scope,
)

MAX_PAGE = 500
MAX_KEYS = 1000


@dataclass(frozen=True)
class KeyMatch:
    kind: KeyKind
    key: str
    member: PartyMember | None
    error: DomainError | None = None  # a key malformed


def _wanted(
    dates: AdmissionDates, ceremony_late: bool | None, recognition_overdue: bool | None
) -> bool:
    return (ceremony_late is None or dates.ceremony_late is ceremony_late) and (
        recognition_overdue is None or dates.recognition_overdue is recognition_overdue
    )


class MemberService:
    def __init__(
        self,
        members: MemberRepository,
        organisations: OrganisationDirectory,
        cases: CaseBook,
        clock: Clock,
        is_holiday: IsHoliday,
    ) -> None:
        self.members = members
        self.organisations = organisations
        self.cases = cases
        self.clock = clock
        self.is_holiday = is_holiday

    async def member(self, member_id: str) -> PartyMember:
        found = await self.members.get(member_id)
        if found is None:
            raise NotFound(f"No member with id {member_id}.", id=member_id)
        return found

    async def members_by_id(self, member_ids: list[str]) -> list[PartyMember | NotFound]:
        """The members of these ids, in order (a NotFound in place of an unknown id)."""
        found = {m.id: m for m in await self.members.get_many(member_ids)}
        return [found.get(i) or NotFound(f"No member with id {i}.", id=i) for i in member_ids]

    async def member_by_card(self, card_number: str) -> PartyMember:
        found = await self.members.get_by_card(card_number.strip())
        if found is None:
            raise NotFound(f"No member with card number {card_number}.", cardNumber=card_number)
        return found

    async def find_members(
        self, where: MemberFilter, first: int | None = 50, after: str | None = None
    ) -> Page[PartyMember]:
        """Members by cell, standing, and name or card number (diacritics ignored), a page
        at a time (all of them when `first` is None)."""
        if first is not None:
            checked_first(first, MAX_PAGE)
        return await self.members.page(where, first, after)

    async def member_count(self, organisation_id: str) -> int:
        """How many members a cell has, or a ward or a district over its whole subtree."""
        return await self.members.count(await self.organisations.within({organisation_id}))

    async def known_organisation(self, organisation_id: str) -> KnownOrganisation:
        found = await self.organisations.get(organisation_id)
        if found is None:
            raise NotFound(
                f"No organisation with id {organisation_id} is known to the members service.",
                organisationId=organisation_id,
            )
        return found

    async def cell_open_to_newcomers(self, organisation_id: str) -> KnownOrganisation:
        """The cell someone joins: active, and not one whose people were all relocated by its
        dissolution (CONFLICT); one whose dissolution is decided gives them their transfer."""
        cell = await self.known_organisation(organisation_id)
        cases = await self.cases.decided_for_cells([organisation_id]) if cell.is_cell else []
        cell.require_open_to_newcomers(next((c for c in cases if c.relocated), None))
        return cell

    async def register_member(self, command: RegisterMember) -> PartyMember:
        """Put a party member on the list of their cell and tell the other services."""
        c = command
        if c.admission_ceremony_on is not None:
            require_ceremony_on(c.admitted_on, c.admission_ceremony_on, self.clock.today())
        member = PartyMember.register(
            id=str(uuid.uuid4()),
            card_number=c.card_number,
            full_name=c.full_name,
            date_of_birth=c.date_of_birth,
            gender=c.gender,
            standing=c.standing,
            admitted_on=c.admitted_on,
            official_on=c.official_on,
            cell=await self.cell_open_to_newcomers(c.organisation_id),
            residence=c.residence,
            workplace=c.workplace,
            admission_ceremony_on=c.admission_ceremony_on,
            citizen_id=c.citizen_id,
        )
        await self._require_citizen_id_free(member)
        await self.members.add(member, [events.member_registered(member)])
        return member

    async def update_member(self, member: PartyMember, change: CorrectMember) -> PartyMember:
        """Correct a member's personal details, residence or workplace; the cell changes only
        through a transfer. `member` is the one the caller read: CONFLICT if it changed since."""
        changed = member.corrected(
            full_name=change.full_name,
            date_of_birth=change.date_of_birth,
            gender=change.gender,
            admitted_on=change.admitted_on,
            official_on=change.official_on,
            residence=change.residence,
            workplace=change.workplace,
            citizen_id=change.citizen_id,
        )
        await self._require_citizen_id_free(changed)
        await self._save(changed)
        return changed

    async def record_admission_ceremony(self, member: PartyMember, held_on: date) -> PartyMember:
        """Record the admission ceremony [lễ kết nạp] of a probationary member: the 12 months
        of probation count from it (CONFLICT if another date is recorded, or the member changed
        since the caller read them)."""
        changed = member.with_ceremony(held_on, self.clock.today())
        if changed is not member:
            await self._save(changed)
        return changed

    def admission_dates(self, member: PartyMember) -> AdmissionDates:
        """The admission's dates as of today: the ceremony due (or late), the probation's end,
        the recognition due (or overdue)."""
        return AdmissionDates.of(
            member.admitted_on,
            member.admission_ceremony_on,
            member.standing is Standing.PROBATIONARY,
            self.clock.today(),
            self.is_holiday,
        )

    async def probationers_due(
        self, scope: Scope, ceremony_late: bool | None, recognition_overdue: bool | None
    ) -> list[PartyMember]:
        """The probationary members of a scope, in name order, kept to those whose ceremony is
        (or is not) late and whose recognition is (or is not) overdue, as asked."""
        page = await self.members.page(
            MemberFilter(standing=Standing.PROBATIONARY, scope=scope), None, None
        )
        return [
            member
            for member in page.items
            if _wanted(self.admission_dates(member), ceremony_late, recognition_overdue)
        ]

    async def members_by_key(
        self, card_numbers: Sequence[str], citizen_ids: Sequence[str]
    ) -> list[KeyMatch]:
        """For systems that know people by card number or citizen ID: who holds each key, in
        the order asked (card numbers first); a key nobody holds is NOT_FOUND."""
        if len(card_numbers) + len(citizen_ids) > MAX_KEYS:
            raise DomainError(f"At most {MAX_KEYS} keys at once.", field="cardNumbers")
        cards = [card.strip() for card in card_numbers]
        citizens: list[str | DomainError] = []
        for given in citizen_ids:
            try:
                citizens.append(citizen_id_of(given))
            except DomainError as error:
                citizens.append(error)
        wanted = [c for c in citizens if isinstance(c, str)]
        found = await self.members.with_keys(cards, wanted)
        by_card = {m.card_number: m for m in found}
        by_citizen_id = {m.citizen_id: m for m in found if m.citizen_id}
        return [KeyMatch(KeyKind.CARD_NUMBER, card, by_card.get(card)) for card in cards] + [
            KeyMatch(KeyKind.CITIZEN_ID, "", None, citizen)
            if isinstance(citizen, DomainError)
            else KeyMatch(KeyKind.CITIZEN_ID, citizen, by_citizen_id.get(citizen))
            for citizen in citizens
        ]

    async def _require_citizen_id_free(self, member: PartyMember) -> None:
        if member.citizen_id is None:
            return
        holders = await self.members.with_keys([], [member.citizen_id])
        if any(holder.id != member.id for holder in holders):
            raise citizen_id_taken()

    async def recognize_official(self, member: PartyMember, official_on: date) -> PartyMember:
        """Recognise a probationary member as OFFICIAL once the 12 months of probation are over
        (CONFLICT if the member changed since the caller read them)."""
        changed = member.recognised_official(official_on)
        await self._save(changed)
        return changed

    async def subtree_scope(self, organisation_id: str) -> Scope:
        """An organisation's whole subtree, as a list's scope."""
        return Scope(
            await self.organisations.within({organisation_id}), None, frozenset({organisation_id})
        )

    async def _save(self, member: PartyMember) -> None:
        if not await self.members.save(member, [events.member_updated(member)]):
            raise Conflict(
                f"{member.full_name} was changed by someone else meanwhile: reload and retry.",
                memberId=member.id,
            )

    async def learn_organisations(self, organisations: Sequence[KnownOrganisation]) -> None:
        """Keep the organisations as told; those now under other ancestors (a restructuring
        moved them) have their members found under the new ones."""
        before = await self.organisations.remember_many(organisations)
        # read again only where the news moves one: a newer version kept meanwhile wins
        told = [o.id for o in organisations if o.id in before and o.ancestry != before[o.id]]
        after = await self.organisations.ancestries(told)
        moved = {i: ancestry for i, ancestry in after.items() if ancestry != before[i]}
        if moved:
            await self.members.follow_tree(moved)

    async def ancestries(self, organisation_ids: list[str]) -> list[frozenset[str]]:
        """Each organisation's id with its ancestors' ids, in order; an organisation this
        service has not heard of yet is only itself."""
        known = await self.organisations.ancestries(organisation_ids)
        return [known.get(i, frozenset((i,))) for i in organisation_ids]

    async def within(self, roots: Collection[str]) -> frozenset[str]:
        """The organisations of these subtrees, as far as this service knows them."""
        return await self.organisations.within(roots)
