"""TEMPORARY activity [sinh hoạt tạm thời]: the member stays on the home cell's list, which shows
who is away today; the stay ends by its date (the service's day is 01/10/2019)."""

from typing import Any

from conftest import Published
from kit.testing import ServiceUnderTest, eventually
from members_support import Ward, errors_of, register
from pymongo.asynchronous.database import AsyncDatabase

REQUEST = """
mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }
"""
AWAY = """
query ($cell: ID!, $away: Boolean) {
  members(organisationId: $cell, away: $away) { totalCount nodes { id } }
  _entities(representations: [{__typename: "Organisation", id: $cell}]) {
    ... on Organisation { members(away: $away) { id } memberCount }
  }
}
"""


async def stay(
    service: ServiceUnderTest, member: str, host: str, on: str, until: str, received: str
) -> str:
    request = {
        "memberId": member,
        "kind": "TEMPORARY",
        "reason": "RELOCATION",
        "requestedOn": on,
        "toOrganisationId": host,
        "until": until,
    }
    transfer = (await service.execute_ok(REQUEST, {"input": request}))["requestTransfer"]["id"]
    await service.execute_ok(
        'mutation ($id: ID!, $on: Date!) { issueIntroduction(id: $id, letterNo: "5-GGT", '
        "issuedOn: $on) { id } }",
        {"id": transfer, "on": on},
    )
    await service.execute_ok(
        "mutation ($id: ID!, $on: Date!) { receiveTransfer(id: $id, receivedOn: $on) { id } }",
        {"id": transfer, "on": received},
    )
    return str(transfer)


async def test_the_home_cell_lists_who_is_away_today_and_keeps_them_all_on_its_list(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    home, host = ward.residential["Tổ dân phố 1"], ward.agency
    away = await register(service, home, name="Trần Văn Xa")
    back = await register(service, home, name="Lê Văn Về")
    stayed = await register(service, home, name="Phạm Văn Ở")
    current = await stay(service, away, host, "2019-09-02", "2020-03-31", "2019-09-10")
    await stay(service, back, host, "2019-05-02", "2019-09-30", "2019-05-10")  # ended yesterday

    def ids(found: dict[str, Any]) -> tuple[set[str], set[str]]:
        listed = {m["id"] for m in found["members"]["nodes"]}
        return listed, {m["id"] for m in found["_entities"][0]["members"]}

    everyone = await service.execute_ok(AWAY, {"cell": home, "away": None})
    assert ids(everyone) == ({away, back, stayed},) * 2
    assert everyone["_entities"][0]["memberCount"] == 3
    assert ids(await service.execute_ok(AWAY, {"cell": home, "away": True})) == ({away},) * 2
    assert (
        ids(await service.execute_ok(AWAY, {"cell": home, "away": False})) == ({back, stayed},) * 2
    )
    hosting = await service.execute_ok(AWAY, {"cell": host, "away": None})
    assert ids(hosting) == (set(), set())  # not counted in the host's list
    transfer = await service.execute_ok(
        "query ($id: ID!) { transfer(id: $id) { away temporaryUntil } }", {"id": current}
    )
    assert transfer["transfer"] == {"away": True, "temporaryUntil": "2020-03-31"}

    async def announced() -> None:
        event = published.one("partyorg.members.transfer.received.v1", memberId=away)
        assert (event["data"]["kind"], event["data"]["temporaryUntil"]) == (
            "TEMPORARY",
            "2020-03-31",
        )

    await eventually(announced, timeout=30)


async def test_a_temporary_stay_to_study_may_last_up_to_2_years(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.residential["Tổ dân phố 1"])
    request = {
        "memberId": member,
        "kind": "TEMPORARY",
        "requestedOn": "2019-09-02",
        "destinationName": "Đảng bộ Học viện Chính trị quốc gia Hồ Chí Minh",
        "until": "2021-06-30",
    }
    refused = await service.execute(REQUEST, {"input": {**request, "reason": "RELOCATION"}})
    assert errors_of(refused) == ["BAD_USER_INPUT"]
    await service.execute_ok(REQUEST, {"input": {**request, "reason": "STUDY"}})
