"""Bad input gets a clear error with its code, and nothing is written."""

from typing import Any

from kit.testing import ServiceUnderTest, eventually
from members_support import Dissolution, Ward, add_candidate, case_view, errors_of, register
from pymongo.asynchronous.database import AsyncDatabase

REQUEST = """
mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id state } }
"""
SET_DESTINATION = """
mutation ($id: ID!, $to: ID!) { setTransferDestination(id: $id, organisationId: $to) { id } }
"""
ASSIGN = """
mutation ($candidate: ID!, $member: ID!) {
  assignMentor(candidateId: $candidate, memberId: $member) { mentors { id } }
}
"""


async def test_a_transfer_of_an_unknown_member_is_not_found(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    before = await db["transfers"].count_documents({})
    body = await service.execute(
        REQUEST,
        {
            "input": {
                "memberId": "no-such-member",
                "kind": "OFFICIAL",
                "reason": "RELOCATION",
                "requestedOn": "2019-10-01",
                "destinationName": "Đảng bộ phường Dịch Vọng, quận Cầu Giấy",
            }
        },
    )
    assert errors_of(body) == ["NOT_FOUND"]
    assert await db["transfers"].count_documents({}) == before


async def test_a_destination_outside_the_ward_is_refused_and_the_transfer_is_unchanged(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    other_ward = await Ward(service, db).set_up(groups=1)
    await register(service, ward.agency, group="Tổ dân phố 42")  # covered by no cell
    dissolution = Dissolution(ward)
    await dissolution.decide()

    async def needing_destination() -> dict[str, Any]:
        view = await case_view(service, dissolution.case_id)
        assert view["transferProgress"]["needingDestination"] == 1
        return view

    [transfer] = (await eventually(needing_destination, timeout=30))["transfers"]
    body = await service.execute(
        SET_DESTINATION,
        {"id": transfer["id"], "to": other_ward.residential["Tổ dân phố 1"]},
    )
    assert errors_of(body) == ["BAD_USER_INPUT"]
    assert "outside the ward" in body["errors"][0]["message"]
    stored = await db["transfers"].find_one({"_id": transfer["id"]})
    assert stored is not None
    assert (stored["state"], stored["to_organisation_id"], stored["version"]) == (
        "NEEDS_DESTINATION",
        None,
        1,
    )


async def test_a_probationary_mentor_is_refused_and_the_candidate_keeps_no_mentor(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    probationary = await register(service, ward.agency, standing="PROBATIONARY")
    candidate = await add_candidate(service, ward.agency)
    body = await service.execute(ASSIGN, {"candidate": candidate, "member": probationary})
    assert errors_of(body) == ["BAD_USER_INPUT"]
    assert "only OFFICIAL members" in body["errors"][0]["message"]
    stored = await db["candidates"].find_one({"_id": candidate})
    assert stored is not None and (stored["mentor_ids"], stored["version"]) == ([], 1)


async def test_receiving_a_cancelled_transfer_is_an_invalid_transition_and_moves_no_one(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    member = await register(service, ward.agency)
    requested = await service.execute_ok(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "INTERNAL",
                "reason": "RELOCATION",
                "requestedOn": "2019-09-20",
                "toOrganisationId": ward.residential["Tổ dân phố 2"],
            }
        },
    )
    transfer = requested["requestTransfer"]["id"]
    await service.execute_ok(
        """mutation ($id: ID!) {
          issueIntroduction(id: $id, letterNo: "3-GGT/ĐU", issuedOn: "2019-09-23") { id }
        }""",
        {"id": transfer},
    )
    await service.execute_ok(
        """mutation ($id: ID!) { cancelTransfer(id: $id, reason: "Đồng chí chuyển công tác") {
          state } }""",
        {"id": transfer},
    )
    body = await service.execute(
        """mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-01") { id } }""",
        {"id": transfer},
    )
    assert errors_of(body) == ["INVALID_TRANSITION"]
    assert body["errors"][0]["extensions"]["state"] == "CANCELLED"
    stored = await db["members"].find_one({"_id": member})
    assert stored is not None and stored["organisation_id"] == ward.agency
    cancelled = await db["transfers"].find_one({"_id": transfer})
    assert cancelled is not None and cancelled["state"] == "CANCELLED"


async def test_an_internal_transfer_needs_a_residential_cell_of_the_same_ward(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    other_ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency)
    body = await service.execute(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "INTERNAL",
                "reason": "RELOCATION",
                "requestedOn": "2019-09-20",
                "toOrganisationId": other_ward.residential["Tổ dân phố 1"],
            }
        },
    )
    assert errors_of(body) == ["BAD_USER_INPUT"]
    assert await db["transfers"].count_documents({"person_id": member}) == 0
