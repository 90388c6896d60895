"""Members follow their cell: when a restructuring merges a cell into another, its members and
candidates move to the successor in bulk, once, without transfer letters."""

import pytest
from kit.testing import ServiceUnderTest, eventually
from members import consumed_events
from members_support import Ward, add_candidate, applied, group_name, register
from pymongo.asynchronous.database import AsyncDatabase

pytestmark = pytest.mark.asyncio(loop_scope="session")

PEOPLE = """
query ($member: ID!, $candidate: ID!) {
  member(id: $member) { organisation { id } transfers { id } }
  candidate(id: $candidate) { organisation { id } }
}
"""


async def test_the_people_of_a_merged_cell_move_to_its_successor_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    merged, successor = ward.residential[group_name(1)], ward.residential[group_name(2)]
    member = await register(service, merged)
    candidate = await add_candidate(service, merged)
    stays = await register(service, ward.agency, name="Lê Văn Ở")
    completed = {
        "caseId": f"restructuring-{ward.suffix}",
        "kind": "MERGE_INTO",
        "campaignId": f"campaign-{ward.suffix}",
        "sourceIds": [merged],
        "receivingId": successor,
        "newOrganisations": [],
        "stage": "COMPLETED",
        "fromStage": "HANDED_OVER",
        "at": "2025-07-01T08:00:00+07:00",
        "actor": "Bí thư Thành ủy",
        "note": None,
        "decision": {
            "number": "1234-QĐ/TU",
            "signedOn": "2025-06-20",
            "signer": "Bí thư",
            "effectiveOn": "2025-07-01",
        },
        "effectiveOn": "2025-07-01",
        "acceptance": {"acceptedOn": "2025-07-01", "signer": "Bí thư", "decisionNumber": None},
        "moved": [],
        "ceased": [{"organisationId": merged, "status": "MERGED", "successorIds": [successor]}],
    }
    await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, completed)

    async def moved() -> dict[str, object]:
        data = await service.execute_ok(PEOPLE, {"member": member, "candidate": candidate})
        assert data["member"]["organisation"]["id"] == successor
        assert data["candidate"]["organisation"]["id"] == successor
        return data

    first = await eventually(moved)
    assert first["member"]["transfers"] == []  # no transfer letters
    stored = await db["members"].find_one({"_id": member})
    assert stored is not None
    # the same completion again, under a new event id
    again = await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, completed)
    await applied(db, again)
    after = await db["members"].find_one({"_id": member})
    assert after is not None and after["version"] == stored["version"]
    other = await service.execute_ok(
        "query ($id: ID!) { member(id: $id) { organisation { id } } }", {"id": stays}
    )
    assert other["member"]["organisation"]["id"] == ward.agency  # not of the merged cell
