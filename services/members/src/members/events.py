"""The events this service publishes and the ones it consumes (its own copies of the contracts)."""

from typing import Any

from kit.events import new_event

from members.domain import KnownOrganisation, PartyMember

SOURCE = "/partyorg/members"
PREFIX = "partyorg.members."

MEMBER_REGISTERED = PREFIX + "member.registered.v1"

# consumed: the organisations service's contract, as this service reads it
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"


def known_organisation(data: dict[str, Any]) -> KnownOrganisation:
    return KnownOrganisation(
        id=data["organisationId"],
        code=data["code"],
        name=data["name"],
        kind=data["kind"],
        cell_type=data.get("cellType"),
        parent_id=data.get("parentId"),
        status=data["status"],
        coverage=list(data.get("coverage") or []),
    )


def member_snapshot(member: PartyMember) -> dict[str, Any]:
    """What other services may know of a member: no card number, no birth date."""
    return {
        "memberId": member.id,
        "fullName": member.full_name,
        "standing": member.standing.value,
        "organisationId": member.organisation_id,
        "workplaceRole": member.workplace.role.value if member.workplace else None,
    }


def member_registered(member: PartyMember) -> dict[str, Any]:
    return new_event(MEMBER_REGISTERED, SOURCE, member_snapshot(member), subject=member.id)
