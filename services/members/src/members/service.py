"""Use cases of the members service."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from members import events
from members.domain import (
    Gender,
    KnownOrganisation,
    NotFound,
    PartyMember,
    Residence,
    Standing,
    Workplace,
)

Event = dict[str, Any]


class MemberRepository(Protocol):
    async def get(self, member_id: str) -> PartyMember | None: ...

    async def in_organisation(self, organisation_id: str) -> list[PartyMember]: ...

    async def add(self, member: PartyMember, events: Sequence[Event]) -> None:
        """Store a new member with its events; raises Conflict on a taken card number."""


class OrganisationDirectory(Protocol):
    """The read model of organisations, kept from the organisations service's events."""

    async def get(self, organisation_id: str) -> KnownOrganisation | None: ...

    async def remember(self, organisation: KnownOrganisation) -> None: ...


class MemberService:
    def __init__(self, members: MemberRepository, organisations: OrganisationDirectory) -> None:
        self.members = members
        self.organisations = organisations

    async def member(self, member_id: str) -> PartyMember:
        found = await self.members.get(member_id)
        if found is None:
            raise NotFound(f"No member with id {member_id}.", id=member_id)
        return found

    async def members_of(self, organisation_id: str) -> list[PartyMember]:
        return await self.members.in_organisation(organisation_id)

    async def known_organisation(self, organisation_id: str) -> KnownOrganisation:
        found = await self.organisations.get(organisation_id)
        if found is None:
            raise NotFound(
                f"No organisation with id {organisation_id} is known to the members service.",
                organisationId=organisation_id,
            )
        return found

    async def register_member(
        self,
        *,
        card_number: str,
        full_name: str,
        date_of_birth: date,
        gender: Gender,
        standing: Standing,
        admitted_on: date,
        official_on: date | None,
        organisation_id: str,
        residence: Residence | None = None,
        workplace: Workplace | None = None,
    ) -> PartyMember:
        """Put a party member on the list of their cell and tell the other services."""
        member = PartyMember.register(
            id=str(uuid.uuid4()),
            card_number=card_number,
            full_name=full_name,
            date_of_birth=date_of_birth,
            gender=gender,
            standing=standing,
            admitted_on=admitted_on,
            official_on=official_on,
            cell=await self.known_organisation(organisation_id),
            residence=residence,
            workplace=workplace,
        )
        await self.members.add(member, [events.member_registered(member)])
        return member

    async def learn_organisation(self, organisation: KnownOrganisation) -> None:
        await self.organisations.remember(organisation)
