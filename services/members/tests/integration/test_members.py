"""Members through the subgraph: registration, look-ups, search, pages, corrections."""

import uuid

from conftest import Published
from kit.testing import ServiceUnderTest, eventually
from members_support import Ward, applied, errors_of, register
from pymongo.asynchronous.database import AsyncDatabase

MEMBER = """
query ($id: ID!) { member(id: $id) { fullName cardNumber standing organisation { id } } }
"""
BY_CARD = "query ($card: String!) { memberByCard(cardNumber: $card) { id fullName } }"
SEARCH = """
query ($org: ID, $search: String, $first: Int!, $after: String) {
  members(organisationId: $org, search: $search, first: $first, after: $after) {
    totalCount
    nodes { fullName }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_a_registered_member_is_found_by_id_and_by_card_number(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    card = f"01.{uuid.uuid4().hex[:6]}"
    member_id = await register(service, ward.agency, card=card, name="Lê Thị Hồng")
    by_id = await service.execute_ok(MEMBER, {"id": member_id})
    by_card = await service.execute_ok(BY_CARD, {"card": card})
    assert by_id["member"]["organisation"]["id"] == ward.agency
    assert by_card["memberByCard"] == {"id": member_id, "fullName": "Lê Thị Hồng"}

    async def announced() -> None:
        event = published.one("partyorg.members.member.registered.v1", memberId=member_id)
        assert "cardNumber" not in event["data"] and "dateOfBirth" not in event["data"]
        assert event["data"]["version"] == 1

    await eventually(announced, timeout=30)


async def test_a_card_number_is_registered_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    card = f"01.{uuid.uuid4().hex[:6]}"
    await register(service, ward.agency, card=card)
    body = await service.execute(
        """mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }""",
        {
            "input": {
                "cardNumber": card,
                "fullName": "Người Khác",
                "dateOfBirth": "1970-01-01",
                "gender": "MALE",
                "standing": "PROBATIONARY",
                "admittedOn": "2019-01-01",
                "organisationId": ward.agency,
            }
        },
    )
    assert errors_of(body) == ["CONFLICT"]
    assert await db["members"].count_documents({"card_number": card}) == 1


async def test_search_ignores_diacritics_and_case_and_matches_card_numbers(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    await register(service, ward.agency, name="Nguyễn Thị Hằng", card="01.777001")
    await register(service, ward.agency, name="Đặng Văn Đức", card="01.777002")
    await register(service, ward.agency, name="Phạm Minh Tuấn", card="01.888003")

    async def found(search: str) -> list[str]:
        data = await service.execute_ok(SEARCH, {"org": ward.agency, "search": search, "first": 10})
        return [node["fullName"] for node in data["members"]["nodes"]]

    assert await found("nguyen thi hang") == ["Nguyễn Thị Hằng"]
    assert await found("ĐỨC") == ["Đặng Văn Đức"]
    assert await found("dang van") == ["Đặng Văn Đức"]
    assert await found("777") == ["Đặng Văn Đức", "Nguyễn Thị Hằng"]


async def test_members_come_a_page_at_a_time_with_the_total_count(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    names = ["An", "Bình", "Chi", "Dũng", "Giang"]
    for name in names:
        await register(service, ward.agency, name=f"Trần {name}")
    seen: list[str] = []
    after = None
    while True:
        data = await service.execute_ok(SEARCH, {"org": ward.agency, "first": 2, "after": after})
        page = data["members"]
        assert page["totalCount"] == 5
        seen += [node["fullName"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"Trần {name}" for name in names]


async def test_a_correction_is_saved_and_announced_with_the_next_version(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member_id = await register(service, ward.agency, name="Vũ Văn Hải")
    data = await service.execute_ok(
        """mutation ($id: ID!) {
          updateMember(id: $id, input: {fullName: "Vũ Văn Hải Nam",
            residence: {address: "Ngõ 12", residentialGroup: "Tổ dân phố 4"}}) {
            fullName residence { residentialGroup }
          }
        }""",
        {"id": member_id},
    )
    assert data["updateMember"]["residence"]["residentialGroup"] == "Tổ dân phố 4"

    async def announced() -> None:
        event = published.one("partyorg.members.member.updated.v1", memberId=member_id)
        assert (event["data"]["fullName"], event["data"]["version"]) == ("Vũ Văn Hải Nam", 2)

    await eventually(announced, timeout=30)


async def test_an_unknown_member_is_not_found(service: ServiceUnderTest) -> None:
    body = await service.execute(MEMBER, {"id": "nobody"})
    assert errors_of(body) == ["NOT_FOUND"]


async def test_an_organisation_event_older_than_what_is_known_changes_nothing(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.residential["Tổ dân phố 1"]
    newer = await ward.organisation(
        cell,
        "CELL",
        parent=ward.id,
        cell_type="RESIDENTIAL",
        status="DISSOLVED",
        version=3,
        event_type="partyorg.organisations.organisation.updated.v1",
    )
    older = await ward.organisation(
        cell,
        "CELL",
        parent=ward.id,
        cell_type="RESIDENTIAL",
        status="ACTIVE",
        version=2,
        event_type="partyorg.organisations.organisation.updated.v1",
    )
    await applied(db, newer)
    await applied(db, older)
    known = await db["known_organisations"].find_one({"_id": cell})
    assert known is not None and (known["status"], known["version"]) == ("DISSOLVED", 3)
