"""Citizen IDs [CCCD] on members — given on registration, correction and import, checked as 12
digits, one member's each — and the lookup city systems use to learn ids from the keys they
hold: scoped, logged as a personal read, and never a raw key in an event."""

import json
import random
import uuid
from typing import Any

from conftest import Published
from kit.identity import Grant, Principal, Role
from kit.pseudonyms import DEVELOPMENT_SECRET, KeyDigests, KeyKind
from kit.testing import ServiceUnderTest, eventually
from members_support import REGISTER, Ward, errors_of, register
from pymongo.asynchronous.database import AsyncDatabase
from test_import import import_members, member_row, outcomes

Db = AsyncDatabase[dict[str, Any]]
REGISTERED = "partyorg.members.member.registered.v1"
UPDATED = "partyorg.members.member.updated.v1"
DIGESTS = KeyDigests(DEVELOPMENT_SECRET)
KEYS = """
query ($cards: [String!], $citizens: [String!]) {
  memberKeys(cardNumbers: $cards, citizenIds: $citizens) {
    kind index memberId organisation { id } refusal { code field }
  }
}
"""


def citizen_id() -> str:
    return "".join(random.choices("0123456789", k=12))


def city_system(*organisation_ids: str | None) -> Principal:
    grants = tuple(Grant(Role.INTEGRATION, o) for o in organisation_ids)
    return Principal(f"svc-hr-{uuid.uuid4().hex[:6]}", "Hệ thống nhân sự thành phố", grants)


def registration(cell: str, card: str, citizen: str | None) -> dict[str, Any]:
    return {
        "input": {
            "cardNumber": card,
            "fullName": "Lê Thị Căn Cước",
            "dateOfBirth": "1985-02-03",
            "gender": "FEMALE",
            "standing": "OFFICIAL",
            "admittedOn": "2010-03-02",
            "officialOn": "2011-03-02",
            "organisationId": cell,
            "citizenId": citizen,
        }
    }


async def test_a_citizen_id_is_twelve_digits_and_one_members_own(
    service: ServiceUnderTest, db: Db
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    taken = citizen_id()
    first = await service.execute(
        REGISTER, registration(ward.agency, f"01.{uuid.uuid4().hex[:8]}", taken)
    )
    assert "errors" not in first
    for bad, code in (
        ("0010860001", "BAD_USER_INPUT"),
        ("00108600012a", "BAD_USER_INPUT"),
        (taken, "CONFLICT"),
    ):
        card = f"01.{uuid.uuid4().hex[:8]}"
        body = await service.execute(REGISTER, registration(ward.agency, card, bad))
        assert errors_of(body) == [code]
        assert body["errors"][0]["extensions"]["field"] == "citizenId"
        assert await db["members"].count_documents({"card_number": card}) == 0

    other = await register(service, ward.agency)
    update = """mutation ($id: ID!, $c: String) {
      updateMember(id: $id, input: {citizenId: $c}) { citizenId } }"""
    assert errors_of(await service.execute(update, {"id": other, "c": taken})) == ["CONFLICT"]
    mine = citizen_id()
    corrected = await service.execute_ok(update, {"id": other, "c": f" {mine} "})
    assert corrected["updateMember"]["citizenId"] == mine

    request_id = uuid.uuid4().hex
    read = await service.client.post(
        "/graphql",
        json={
            "query": "query ($m: ID!) { member(id: $m) { citizenId } }",
            "variables": {"m": other},
        },
        headers={
            "x-partyorg-identity": service.identity_token(service.principal),
            "x-request-id": request_id,
        },
    )
    assert read.json()["data"]["member"]["citizenId"] == mine
    entries = await db["personal_data_access"].find({"requestId": request_id}).to_list()
    assert [(e["personId"], e["fields"]) for e in entries] == [(other, ["citizenId"])]


async def test_events_carry_the_keys_digests_never_the_keys(
    service: ServiceUnderTest, db: Db, published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    card, citizen = f"01.{uuid.uuid4().hex[:8]}", citizen_id()
    data = await service.execute_ok(REGISTER, registration(ward.agency, card, citizen))
    member = data["registerMember"]["id"]

    async def told() -> None:
        published.one(REGISTERED, memberId=member)

    await eventually(told)
    event = published.one(REGISTERED, memberId=member)
    assert event["data"]["keyDigests"] == {
        "cardNumber": DIGESTS.of(KeyKind.CARD_NUMBER, card),
        "citizenId": DIGESTS.of(KeyKind.CITIZEN_ID, citizen),
    }
    assert card not in json.dumps(event) and citizen not in json.dumps(event)


async def test_an_import_gives_citizen_ids_row_by_row(service: ServiceUnderTest, db: Db) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.agency.upper()
    taken = citizen_id()
    await service.execute_ok(
        REGISTER, registration(ward.agency, f"01.{uuid.uuid4().hex[:8]}", taken)
    )
    twice = citizen_id()
    rows = [
        member_row(1, cell, citizenId=citizen_id()),
        member_row(2, cell, citizenId=twice),
        member_row(3, cell, citizenId=twice),
        member_row(4, cell, citizenId="12345"),
        member_row(5, cell, citizenId=taken),
        member_row(6, cell),
    ]
    report = await import_members(service, rows)
    assert outcomes(report) == {
        1: ("CREATED", None, None),
        2: ("CREATED", None, None),
        3: ("REJECTED", "CONFLICT", "citizenId"),
        4: ("REJECTED", "BAD_USER_INPUT", "citizenId"),
        5: ("REJECTED", "CONFLICT", "citizenId"),
        6: ("CREATED", None, None),
    }
    again = await import_members(service, rows[:2] + rows[5:])
    assert [r["outcome"] for r in again["rows"]] == ["UNCHANGED"] * 3


async def test_a_city_system_learns_ids_from_the_keys_it_holds_within_its_grant(
    service: ServiceUnderTest, db: Db
) -> None:
    ward, elsewhere = (
        await Ward(service, db).set_up(groups=1),
        await Ward(service, db).set_up(groups=1),
    )
    card, citizen = f"01.{uuid.uuid4().hex[:8]}", citizen_id()
    data = await service.execute_ok(REGISTER, registration(ward.agency, card, citizen))
    member = data["registerMember"]["id"]
    outside_card = f"01.{uuid.uuid4().hex[:8]}"
    await register(service, elsewhere.agency, card=outside_card)
    system = city_system(ward.id)
    request_id = uuid.uuid4().hex

    body = await service.client.post(
        "/graphql",
        json={
            "query": KEYS,
            "variables": {
                "cards": [card, outside_card, "01.nobody"],
                "citizens": [citizen, "not-a-cccd"],
            },
        },
        headers={
            "x-partyorg-identity": service.identity_token(system),
            "x-request-id": request_id,
        },
    )
    answers = body.json()["data"]["memberKeys"]
    assert [(a["kind"], a["index"], a["memberId"], a["refusal"]) for a in answers] == [
        ("CARD_NUMBER", 0, member, None),
        ("CARD_NUMBER", 1, None, {"code": "FORBIDDEN", "field": "cardNumber"}),
        ("CARD_NUMBER", 2, None, {"code": "FORBIDDEN", "field": "cardNumber"}),
        ("CITIZEN_ID", 0, member, None),
        ("CITIZEN_ID", 1, None, {"code": "BAD_USER_INPUT", "field": "citizenId"}),
    ]
    assert answers[0]["organisation"] == {"id": ward.agency}
    entries = await db["personal_data_access"].find({"requestId": request_id}).to_list()
    assert [(e["personType"], e["personId"], e["organisationId"]) for e in entries] == [
        ("MemberKeyMatch", member, ward.agency)
    ]
    assert sorted(entries[0]["fields"]) == ["memberId", "organisation"]


async def test_only_city_systems_look_members_up_by_key(service: ServiceUnderTest) -> None:
    staff = Principal("u-ward", "Đảng ủy", (Grant(Role.WARD_COMMITTEE),))
    assessor = Principal("u-assessor", "UBND", (Grant(Role.WORKPLACE_ASSESSOR),))
    for caller in (staff, assessor):
        body = await service.execute(KEYS, {"cards": ["01.1"]}, principal=caller)
        assert errors_of(body) == ["FORBIDDEN"]
