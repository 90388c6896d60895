"""Use cases of the organisations service."""

import uuid
from collections.abc import Sequence
from typing import Any, Protocol

from organisations import events
from organisations.domain import CellType, NotFound, Organisation, OrganisationKind

Event = dict[str, Any]


class OrganisationRepository(Protocol):
    async def get(self, organisation_id: str) -> Organisation | None: ...

    async def add(self, organisation: Organisation, events: Sequence[Event]) -> None:
        """Store a new organisation with its events; raises Conflict on a taken code."""


class OrganisationService:
    def __init__(self, organisations: OrganisationRepository) -> None:
        self.organisations = organisations

    async def organisation(self, organisation_id: str) -> Organisation:
        found = await self.organisations.get(organisation_id)
        if found is None:
            raise NotFound(f"No organisation with id {organisation_id}.", id=organisation_id)
        return found

    async def create_organisation(
        self,
        *,
        code: str,
        name: str,
        kind: OrganisationKind,
        parent_id: str | None,
        cell_type: CellType | None = None,
        coverage: list[str] | None = None,
    ) -> Organisation:
        """Register a party organisation under its parent and tell the other services."""
        parent = await self.organisation(parent_id) if parent_id else None
        organisation = Organisation.register(
            id=str(uuid.uuid4()),
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            cell_type=cell_type,
            coverage=coverage,
        )
        await self.organisations.add(organisation, [events.organisation_registered(organisation)])
        return organisation
