"""The events this service publishes and the ones it consumes (its own copies of the contracts)."""

from typing import Any

from evaluations.domain import Placement, RosterEntry

SOURCE = "/partyorg/evaluations"
PREFIX = "partyorg.evaluations."

# consumed: the members service's contract, as this service reads it
MEMBER_REGISTERED = "partyorg.members.member.registered.v1"


def roster_entry_of_registration(data: dict[str, Any]) -> RosterEntry:
    return RosterEntry(
        member_id=data["memberId"],
        full_name=data["fullName"],
        workplace_role=data.get("workplaceRole"),
        placements=[Placement(cell_id=data["organisationId"], since=None)],
    )
