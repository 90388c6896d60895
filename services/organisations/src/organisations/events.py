"""The events this service publishes and the ones it consumes (its own copies of the contracts)."""

from typing import Any

from kit.events import new_event

from organisations.domain import Organisation

SOURCE = "/partyorg/organisations"
PREFIX = "partyorg.organisations."

ORGANISATION_REGISTERED = PREFIX + "organisation.registered.v1"


def organisation_snapshot(organisation: Organisation) -> dict[str, Any]:
    return {
        "organisationId": organisation.id,
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind.value,
        "cellType": organisation.cell_type.value if organisation.cell_type else None,
        "parentId": organisation.parent_id,
        "status": organisation.status.value,
        "coverage": organisation.coverage,
        "dissolvedOn": organisation.dissolved_on.isoformat() if organisation.dissolved_on else None,
    }


def organisation_registered(organisation: Organisation) -> dict[str, Any]:
    return new_event(
        ORGANISATION_REGISTERED,
        SOURCE,
        organisation_snapshot(organisation),
        subject=organisation.id,
    )
