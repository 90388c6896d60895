"""Job results naming members by the keys a city system holds — party card number or citizen
ID — found on the roster by their keyed digests; each bad item refused on its own, with its
code and field, the rest recorded."""

import random
import uuid
from typing import Any

from kit.identity import Role
from kit.pseudonyms import DEVELOPMENT_SECRET, KeyDigests
from kit.testing import ServiceUnderTest, eventually

from services.evaluations.tests.integration.support import acting_as

DIGESTS = KeyDigests(DEVELOPMENT_SECRET)
SUBMIT = """
mutation($input: SubmitWorkplaceAssessmentsInput!) {
  submitWorkplaceAssessments(input: $input) {
    recorded alreadyRecorded rejected
    items { index outcome error { code field allowedValues } assessment { member { id } } }
  }
}"""


def citizen_id() -> str:
    return "".join(random.choices("0123456789", k=12))


def card() -> str:
    return f"01.{uuid.uuid4().hex[:8]}"


def item(
    external_id: str, rating: str = "GOOD", role: str = "CITY_SYSTEM", **key: str
) -> dict[str, Any]:
    return {
        "externalId": external_id,
        "period": "2019-10",
        "assessorRole": role,
        "assessorName": "Hệ thống nhân sự thành phố",
        "rating": rating,
        **key,
    }


def outcomes(result: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [
        (i["outcome"], i["error"] and i["error"]["code"], i["error"] and i["error"]["field"])
        for i in result["items"]
    ]


async def test_members_named_by_card_number_or_citizen_id_are_found_and_bad_items_refused(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, cell, _) = await scenario.ward()
    cards, citizen = [card(), card(), card()], citizen_id()
    by_card = await scenario.member(cell, card_number=cards[0])
    by_citizen = await scenario.member(cell, card_number=cards[1], citizen_id=citizen)
    shared = citizen_id()  # two members' events disagree: the key is ambiguous
    sharing = [
        await scenario.member(cell, card_number=number, citizen_id=shared)
        for number in (cards[2], card())
    ]
    for member in (by_card, by_citizen, *sharing):  # their events applied, in whatever order
        await scenario.until_evaluated_by(member, "2019-10", cell)
    tag = uuid.uuid4().hex[:6]
    bulk = {
        "submitter": "HR system",
        "items": [
            item(f"{tag}-1", cardNumber=cards[0]),
            item(f"{tag}-2", citizenId=citizen),
            item(f"{tag}-3", cardNumber="01.nobody"),
            item(f"{tag}-4", citizenId="0010860"),
            item(f"{tag}-5", citizenId=shared),
            item(f"{tag}-6", rating="BRILLIANT", cardNumber=cards[1]),
            item(f"{tag}-7", role="MAYOR", cardNumber=cards[1]),
            item(f"{tag}-1", rating="COMPLETED", cardNumber=cards[1]),  # its external id again
            item(f"{tag}-9", memberId=by_card),  # the member of item 0 again, by id
            item(f"{tag}-10", cardNumber=cards[1], citizenId=citizen),
        ],
    }

    result = (await service.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]

    assert outcomes(result) == [
        ("RECORDED", None, None),
        ("RECORDED", None, None),
        ("REJECTED", "NOT_FOUND", "cardNumber"),
        ("REJECTED", "BAD_USER_INPUT", "citizenId"),
        ("REJECTED", "CONFLICT", "citizenId"),
        ("REJECTED", "BAD_USER_INPUT", "rating"),
        ("REJECTED", "BAD_USER_INPUT", "assessorRole"),
        ("REJECTED", "CONFLICT", "externalId"),
        ("REJECTED", "CONFLICT", "memberId"),
        ("REJECTED", "BAD_USER_INPUT", "citizenId"),
    ]
    assert [i["assessment"]["member"]["id"] for i in result["items"][:2]] == [by_card, by_citizen]
    assert result["items"][5]["error"]["allowedValues"] == [
        "EXCELLENT",
        "GOOD",
        "COMPLETED",
        "NOT_COMPLETED",
    ]
    assert "CITY_SYSTEM" in result["items"][6]["error"]["allowedValues"]
    stored = service.app.state.runtime.db["workplace_assessments"]
    assert await stored.count_documents({"external_id": {"$regex": f"^{tag}-"}}) == 2

    again = (await service.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]
    assert [o for o, _, _ in outcomes(again)[:2]] == ["ALREADY_RECORDED"] * 2
    assert (again["recorded"], again["alreadyRecorded"], again["rejected"]) == (0, 2, 8)


async def test_a_ward_scoped_city_system_cannot_tell_a_key_outside_its_ward_from_an_unknown_one(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ours, (_, our_cell, _) = await scenario.ward()
    _, theirs, (_, their_cell, _) = await scenario.ward(district=district)
    inside, outside = card(), card()
    member = await scenario.member(our_cell, card_number=inside)
    other = await scenario.member(their_cell, card_number=outside)
    await scenario.until_evaluated_by(member, "2019-10", our_cell)
    await scenario.until_evaluated_by(other, "2019-10", their_cell)
    await scenario.until_known(district, ours, theirs, our_cell, their_cell)
    tag = uuid.uuid4().hex[:6]
    bulk = {
        "items": [
            item(f"{tag}-in", cardNumber=inside),
            item(f"{tag}-out", cardNumber=outside),
            item(f"{tag}-nobody", cardNumber="01.nobody"),
        ]
    }

    result = await service.execute_ok(
        SUBMIT, {"input": bulk}, principal=acting_as(Role.INTEGRATION, ours)
    )

    assert outcomes(result["submitWorkplaceAssessments"]) == [
        ("RECORDED", None, None),
        ("REJECTED", "FORBIDDEN", "cardNumber"),
        ("REJECTED", "FORBIDDEN", "cardNumber"),
    ]


async def test_a_members_new_citizen_id_replaces_the_old_one_on_the_roster(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, cell, _) = await scenario.ward()
    number, old, new = card(), citizen_id(), citizen_id()
    member = await scenario.member(cell, card_number=number, citizen_id=old)
    await scenario.until_evaluated_by(member, "2019-10", cell)
    await service.deliver(
        "partyorg.members.member.updated.v1",
        {
            "memberId": member,
            "fullName": "Nguyễn Văn Mới",
            "standing": "OFFICIAL",
            "organisationId": cell,
            "workplaceRole": "CADRE",
            "keyDigests": DIGESTS.of_keys(number, new),
            "version": 2,
            "admittedOn": "2005-03-02",
        },
    )
    roster = service.app.state.runtime.db["roster"]

    async def updated() -> None:
        entry = await roster.find_one({"_id": member})
        assert entry is not None and entry["version"] == 2

    await eventually(updated)
    tag = uuid.uuid4().hex[:6]
    result = await service.execute_ok(
        SUBMIT,
        {
            "input": {
                "items": [item(f"{tag}-old", citizenId=old), item(f"{tag}-new", citizenId=new)]
            }
        },
    )
    assert outcomes(result["submitWorkplaceAssessments"]) == [
        ("REJECTED", "NOT_FOUND", "citizenId"),
        ("RECORDED", None, None),
    ]
