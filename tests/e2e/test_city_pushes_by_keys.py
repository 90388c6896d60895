"""A city HR system, as it would run: through the gateway with an INTEGRATION token, it pushes a
month's workplace rankings for the 1,000 members of a ward by their party card numbers — the
keys it holds — and sends the same bulk again; bad items are refused one by one. Then the city
reads the public event stream from the start of the day with the read-only account: every
ranking of the push recorded once, and neither card numbers nor citizen IDs anywhere."""

import json
import time
from datetime import datetime
from typing import Any

from kit.identity import Grant, Role

from examples.city_stream import VIET_NAM, follow, start_of
from infra.local.suite import Suite
from tests.e2e.conftest import ClientFor, Gateway, eventually
from tests.e2e.giang_vo import GiangVoTree
from tests.e2e.test_city_stream import city_account

MEMBERS = 1_000
PERIOD = "2019-10"
RECORDED = "partyorg.evaluations.workplace_assessment.recorded.v1"
REGISTERED = "partyorg.members.member.registered.v1"
IMPORT = """
mutation ($rows: [MemberImportRow!]!, $dryRun: Boolean!) {
  importMembers(input: {rows: $rows, dryRun: $dryRun}) { created rejected rows { code } }
}
"""
ON_ROSTER = """
query ($ward: ID!) {
  evaluationConnection(organisationId: $ward, period: "2019-10", first: 1) { totalCount }
}
"""
SUBMIT = """
mutation ($input: SubmitWorkplaceAssessmentsInput!) {
  submitWorkplaceAssessments(input: $input) {
    recorded alreadyRecorded rejected
    items { index outcome error { code field } assessment { member { id } } }
  }
}
"""
KEYS = """
query ($cards: [String!]) { memberKeys(cardNumbers: $cards) { memberId refusal { code } } }
"""
RATINGS = ("EXCELLENT", "GOOD", "GOOD", "GOOD", "COMPLETED", "GOOD", "GOOD", "NOT_COMPLETED")


def card(tag: str, n: int) -> str:
    return f"{tag}.{n:05d}"


def citizen_id(tag: str, n: int) -> str:
    return f"{int(tag, 16) % 10**6:06d}{n:06d}"


def member_row(tree: GiangVoTree, n: int) -> dict[str, Any]:
    return {
        "row": n,
        "cardNumber": card(tree.tag, n),
        "citizenId": citizen_id(tree.tag, n),
        "fullName": f"Đảng viên {n:04d}",
        "dateOfBirth": "1975-06-15",
        "gender": "MALE" if n % 2 else "FEMALE",
        "standing": "OFFICIAL",
        "admittedOn": "2001-02-03",
        "officialOn": "2002-02-03",
        "organisationCode": f"{tree.tag}-{('CQ', 'TDP01', 'TDP02')[n % 3]}",
        "workplace": {"name": "UBND phường Giảng Võ", "role": "CIVIL_SERVANT"},
    }


def ranking(tag: str, n: int, **key: str) -> dict[str, Any]:
    return {
        "externalId": f"hr-{tag}-{PERIOD}-{n}",
        "period": PERIOD,
        "assessorRole": "CITY_SYSTEM",
        "assessorName": "Hệ thống quản lý cán bộ, công chức Hà Nội",
        "rating": RATINGS[n % len(RATINGS)],
        **(key or {"cardNumber": card(tag, n)}),
    }


def pushed_by(events: list[dict[str, Any]], tag: str) -> list[dict[str, Any]]:
    """The workplace_assessment.recorded events of this ward's push."""
    return [
        e
        for e in events
        if e["type"] == RECORDED and e["data"].get("externalId", "").startswith(f"hr-{tag}-")
    ]


async def ward_of_1000(gateway: Gateway) -> GiangVoTree:
    tree = await GiangVoTree(gateway).build()
    rows = [member_row(tree, n) for n in range(1, MEMBERS + 1)]

    async def cells_known_to_members() -> None:  # from the organisations' events
        probe = await gateway.execute_ok(IMPORT, {"rows": rows[:3], "dryRun": True})
        assert probe["importMembers"]["rejected"] == 0, probe

    await eventually(cells_known_to_members, timeout=60)
    for chunk in (rows[:500], rows[500:]):  # as `partyorg import` sends them, in chunks
        imported = await gateway.execute_ok(IMPORT, {"rows": chunk, "dryRun": False})
        assert (imported["importMembers"]["created"], imported["importMembers"]["rejected"]) == (
            len(chunk),
            0,
        )

    async def all_on_the_evaluations_roster() -> None:  # from the member.registered events
        data = await gateway.execute_ok(ON_ROSTER, {"ward": tree.ids["GV"]})
        assert data["evaluationConnection"]["totalCount"] == MEMBERS

    await eventually(all_on_the_evaluations_roster, timeout=180, interval=1)
    return tree


async def test_a_city_system_pushes_a_wards_month_by_card_number_and_a_resend_changes_nothing(
    suite: Suite, gateway: Gateway, client_for: ClientFor
) -> None:
    city_hr = client_for(grants=[Grant(Role.INTEGRATION)], name="Hệ thống nhân sự Hà Nội")
    today = datetime.now(VIET_NAM).date()
    tree = await ward_of_1000(gateway)
    tag = tree.tag
    bad = [
        ranking(tag, 90_001, cardNumber=f"{tag}.nobody"),  # a card nobody holds
        ranking(tag, 90_002, cardNumber=card(tag, 7)),  # member 7 twice in the bulk
        {**ranking(tag, 90_003, cardNumber=card(tag, 1)), "rating": "XUAT_SAC"},
        ranking(tag, 90_004, citizenId="0010860"),  # not 12 digits
    ]
    bulk = {
        "submitter": "Hệ thống nhân sự Hà Nội",
        "items": [ranking(tag, n) for n in range(1, MEMBERS + 1)] + bad,
    }

    started = time.perf_counter()
    first = (await city_hr.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]
    pushed = time.perf_counter() - started
    again = (await city_hr.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]
    print(f"\n{MEMBERS} rankings by card number pushed in {pushed:.2f}s through the gateway")

    assert (first["recorded"], first["alreadyRecorded"], first["rejected"]) == (MEMBERS, 0, 4)
    assert (again["recorded"], again["alreadyRecorded"], again["rejected"]) == (0, MEMBERS, 4)
    assert {i["outcome"] for i in again["items"][:MEMBERS]} == {"ALREADY_RECORDED"}
    for result in (first, again):
        assert [(i["error"]["code"], i["error"]["field"]) for i in result["items"][MEMBERS:]] == [
            ("NOT_FOUND", "cardNumber"),
            ("CONFLICT", "cardNumber"),
            ("BAD_USER_INPUT", "rating"),
            ("BAD_USER_INPUT", "citizenId"),
        ]

    # the ids the pushes resolved are those the lookup gives a system that keeps ids
    cards = [card(tag, n) for n in range(1, MEMBERS + 1)]
    keys = (await city_hr.execute_ok(KEYS, {"cards": cards}))["memberKeys"]
    resolved = [i["assessment"]["member"]["id"] for i in first["items"][:MEMBERS]]
    assert [k["memberId"] for k in keys] == resolved
    assert len(set(resolved)) == MEMBERS

    # the city reads the day's public events from the stream, at its own pace
    with city_account(suite) as url:

        async def the_push_is_in() -> list[dict[str, Any]]:
            read = follow(url, start_of(today), stream=f"{suite.exchange}.stream", idle_seconds=2)
            events = [event.event async for event in read]
            assert len(pushed_by(events, tag)) >= MEMBERS
            return events

        events = await eventually(the_push_is_in, timeout=120, interval=1)
    recorded = pushed_by(events, tag)
    # each once: the resend recorded nothing, and no event of the push is on the stream twice
    assert sorted(e["data"]["externalId"] for e in recorded) == sorted(
        f"hr-{tag}-{PERIOD}-{n}" for n in range(1, MEMBERS + 1)
    )
    assert {e["data"]["memberId"] for e in recorded} == set(resolved)
    registered = [e for e in events if e["type"] == REGISTERED and e["subject"] in resolved]
    assert len(registered) == MEMBERS
    seen = json.dumps(registered + recorded)
    assert not [n for n in range(1, MEMBERS + 1) if card(tag, n) in seen]
    assert not [n for n in range(1, MEMBERS + 1) if citizen_id(tag, n) in seen]

    # a ward's assessor names members by citizen ID, and cannot tell an unknown key from
    # one outside its ward
    assessor = client_for(grants=[Grant(Role.WORKPLACE_ASSESSOR, tree.ids["GV"])])
    own = {
        "items": [
            {**ranking(tag, 80_000 + n, citizenId=citizen_id(tag, n)), "assessorRole": role}
            for n, role in ((11, "PEOPLES_COMMITTEE_CHAIR"), (12, "WARD_PARTY_SECRETARY"))
        ]
        + [ranking(tag, 80_013, cardNumber=f"{tag}.nobody")]
    }
    sent = (await assessor.execute_ok(SUBMIT, {"input": own}))["submitWorkplaceAssessments"]
    assert [(i["outcome"], i["error"] and i["error"]["code"]) for i in sent["items"]] == [
        ("RECORDED", None),
        ("RECORDED", None),
        ("REJECTED", "FORBIDDEN"),
    ]
    assert [i["assessment"]["member"]["id"] for i in sent["items"][:2]] == resolved[10:12]
