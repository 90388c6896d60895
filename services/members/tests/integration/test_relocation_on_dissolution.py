"""A dissolution decision moves the agency cell's members and candidates to residential cells."""

from typing import Any

from conftest import Published
from kit.testing import ServiceUnderTest, eventually
from members_support import (
    Dissolution,
    Ward,
    add_candidate,
    applied,
    case_view,
    group_name,
    reception,
    register,
)
from pymongo.asynchronous.database import AsyncDatabase

INTRODUCE = """
mutation ($id: ID!) {
  issueIntroduction(id: $id, letterNo: "15-GGT/ĐU", issuedOn: "2019-10-01",
    checklist: {memberRecordSheet: true, sealedMemberFile: true,
      partyCardOrAdmissionFile: true, lastSelfReview: true, duesPaidThrough: "2019-09"}) {
    state reportBy checklist { complete }
  }
}
"""
RECEIVE = """
mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-08") { state } }
"""
PLACEMENTS = """
query ($case: ID!) {
  _entities(representations: [{__typename: "DissolutionCase", id: $case}]) {
    ... on DissolutionCase { proposedPlacements { personKind personId cell { id } } }
  }
}
"""


async def staffed_ward(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], members: int, candidates: int
) -> tuple[Ward, list[str], list[str]]:
    ward = await Ward(service, db).set_up(groups=3)
    member_ids = [
        await register(service, ward.agency, group=group_name(n % 3 + 1), name=f"Đảng viên {n}")
        for n in range(members)
    ]
    candidate_ids = [
        await add_candidate(service, ward.agency, group=group_name(n % 3 + 1))
        for n in range(candidates)
    ]
    return ward, member_ids, candidate_ids


async def test_each_person_is_proposed_the_residential_cell_covering_their_group(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward, member_ids, candidate_ids = await staffed_ward(service, db, 2, 1)
    await register(service, ward.agency, group="Tổ dân phố 99", name="Không ai phủ")
    dissolution = Dissolution(ward)
    await dissolution.open()

    async def proposed() -> list[dict[str, Any]]:
        data = await service.execute_ok(PLACEMENTS, {"case": dissolution.case_id})
        placements: list[dict[str, Any]] = data["_entities"][0]["proposedPlacements"]
        assert len(placements) == 4
        return placements

    placements = {p["personId"]: p for p in await eventually(proposed, timeout=30)}
    assert placements[member_ids[0]]["cell"]["id"] == ward.residential[group_name(1)]
    assert placements[candidate_ids[0]]["personKind"] == "CANDIDATE"
    unplaced = [p for p in placements.values() if p["cell"] is None]
    assert len(unplaced) == 1


async def test_the_decision_creates_a_transfer_per_member_and_a_re_homing_per_candidate(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward, member_ids, _ = await staffed_ward(service, db, 4, 2)
    dissolution = Dissolution(ward)
    await dissolution.open()
    override = {
        "personId": member_ids[0],
        "personKind": "MEMBER",
        "destinationCellId": ward.residential[group_name(3)],
    }
    await dissolution.decide([override])

    async def created() -> dict[str, Any]:
        view = await case_view(service, dissolution.case_id)
        assert view["transferProgress"]["total"] == 6
        return view

    view = await eventually(created, timeout=30)
    assert view["transferProgress"] | {} == {
        "total": 6,
        "members": 4,
        "candidates": 2,
        "needingDestination": 0,
        "awaitingIntroduction": 6,
        "introduced": 0,
        "received": 0,
        "overdue": 0,
    }
    first = next(t for t in view["transfers"] if t["member"] and t["member"]["id"] == member_ids[0])
    assert first["to"]["id"] == ward.residential[group_name(3)]


async def test_the_decided_event_delivered_twice_creates_no_duplicate_transfer(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward, _, _ = await staffed_ward(service, db, 3, 1)
    dissolution = Dissolution(ward)
    await dissolution.decide(event_id=f"decided-{ward.suffix}")
    await dissolution.decide(event_id=f"decided-{ward.suffix}")  # the same event redelivered
    await dissolution.decide()  # the same decision under another event id
    last = await dissolution.decide()
    await applied(db, last)
    assert await db["transfers"].count_documents({"case_id": dissolution.case_id}) == 4

    async def announced_once() -> None:
        created = [
            e
            for e in published.of_type("partyorg.members.transfer.created.v1")
            if e["data"]["caseId"] == dissolution.case_id
        ]
        assert len(created) == 4

    await eventually(announced_once, timeout=30)


async def test_introducing_and_receiving_everyone_moves_them_and_tells_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward, member_ids, candidate_ids = await staffed_ward(service, db, 3, 1)
    dissolution = Dissolution(ward)
    await dissolution.open()
    await dissolution.decide()
    view = await eventually(lambda: _with_total(service, dissolution.case_id, 4), timeout=30)
    for transfer in view["transfers"]:
        introduced = await service.execute_ok(INTRODUCE, {"id": transfer["id"]})
        assert introduced["issueIntroduction"]["reportBy"] == "2019-11-12"
        assert introduced["issueIntroduction"]["checklist"]["complete"]
    for transfer in view["transfers"]:
        await service.execute_ok(RECEIVE, {"id": transfer["id"]})

    after = await case_view(service, dissolution.case_id)
    assert after["transferProgress"]["received"] == 4
    for member_id in member_ids:
        member = await db["members"].find_one({"_id": member_id})
        assert member is not None and member["organisation_id"] != ward.agency
    candidate = await db["candidates"].find_one({"_id": candidate_ids[0]})
    assert candidate is not None and candidate["organisation_id"] in ward.residential.values()
    # the re-homing received is the candidate's move, with its transfer
    moves = await service.execute_ok(
        "query ($id: ID!) { candidate(id: $id) { moves {"
        " kind on fromOrganisation { id } toOrganisation { id } transfer { id } } } }",
        {"id": candidate_ids[0]},
    )
    [move] = moves["candidate"]["moves"]
    assert (move["kind"], move["fromOrganisation"]) == ("TRANSFERRED", {"id": ward.agency})
    assert move["toOrganisation"] == {"id": candidate["organisation_id"]}
    rehoming = [t["id"] for t in view["transfers"] if t["id"] == move["transfer"]["id"]]
    assert rehoming, move

    async def relocated_once() -> None:
        event = published.one(
            "partyorg.members.dissolution.members_relocated.v1", caseId=dissolution.case_id
        )
        assert (event["data"]["members"], event["data"]["candidates"]) == (3, 1)
        received = published.of_type("partyorg.members.transfer.received.v1")
        assert {e["data"]["memberId"] for e in received} >= set(member_ids)
        for e in received:  # each member's update names the transfer that moved them
            if e["data"]["memberId"] in member_ids:
                [updated] = published.of_type(
                    "partyorg.members.member.updated.v1", memberId=e["data"]["memberId"]
                )
                assert updated["data"]["transfer"]["transferId"] == e["data"]["transferId"]

    await eventually(relocated_once, timeout=30)


async def _with_total(service: ServiceUnderTest, case_id: str, total: int) -> dict[str, Any]:
    view = await case_view(service, case_id)
    assert view["transferProgress"]["total"] == total
    return view


async def test_a_reception_interrupted_before_the_move_is_finished_by_its_own_event(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward, [member_id], _ = await staffed_ward(service, db, 1, 0)
    dissolution = Dissolution(ward)
    await dissolution.decide()
    [transfer] = (
        await eventually(lambda: _with_total(service, dissolution.case_id, 1), timeout=30)
    )["transfers"]
    await service.execute_ok(INTRODUCE, {"id": transfer["id"]})

    async def relayed() -> None:  # (a write racing the relay's on FerretDB could be lost)
        stored = await db["transfers"].find_one({"_id": transfer["id"]})
        assert stored is not None and stored["pending_events"] == []

    await eventually(relayed, timeout=30)
    # the service stopped right after writing the reception, before moving the member
    await db["transfers"].update_one(
        {"_id": transfer["id"]},
        {"$set": {"state": "RECEIVED", "received_on": "2019-10-08"}, "$inc": {"version": 1}},
    )
    to_cell = transfer["to"]["id"]
    data = reception(transfer["id"], member_id, ward.agency, to_cell, dissolution.case_id)
    first = await service.deliver("partyorg.members.transfer.received.v1", data)
    again = await service.deliver("partyorg.members.transfer.received.v1", data)
    await applied(db, first)
    await applied(db, again)

    moved = await db["members"].find_one({"_id": member_id})
    assert moved is not None
    assert (moved["organisation_id"], moved["version"]) == (transfer["to"]["id"], 2)

    async def told_once() -> None:
        event = published.one("partyorg.members.member.updated.v1", memberId=member_id)
        assert event["data"]["organisationId"] == transfer["to"]["id"]
        published.one(
            "partyorg.members.dissolution.members_relocated.v1", caseId=dissolution.case_id
        )

    await eventually(told_once, timeout=30)


async def test_a_member_already_moving_elsewhere_keeps_that_transfer_and_gets_no_second(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward, [leaving, staying], _ = await staffed_ward(service, db, 2, 0)
    await service.execute_ok(
        """mutation ($id: ID!) {
          requestTransfer(input: {memberId: $id, kind: OFFICIAL, reason: WORKPLACE_CHANGE,
            requestedOn: "2019-09-16", destinationName: "Đảng bộ Sở Nội vụ Hà Nội"}) { id }
        }""",
        {"id": leaving},
    )
    dissolution = Dissolution(ward)
    await applied(db, await dissolution.decide())
    view = await case_view(service, dissolution.case_id)
    assert [t["member"]["id"] for t in view["transfers"]] == [staying]
    assert await db["transfers"].count_documents({"person_id": leaving}) == 1


async def test_a_cell_with_nobody_to_move_is_relocated_with_the_decision(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward, _, _ = await staffed_ward(service, db, 0, 0)
    dissolution = Dissolution(ward)
    await applied(db, await dissolution.decide())

    async def relocated() -> None:
        event = published.one(
            "partyorg.members.dissolution.members_relocated.v1", caseId=dissolution.case_id
        )
        assert (event["data"]["members"], event["data"]["candidates"]) == (0, 0)

    await eventually(relocated, timeout=30)


async def test_a_cancelled_transfer_of_the_case_is_replaced_by_one_needing_a_destination(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward, [member_id], _ = await staffed_ward(service, db, 1, 0)
    dissolution = Dissolution(ward)
    await applied(db, await dissolution.decide())
    [transfer] = (await case_view(service, dissolution.case_id))["transfers"]
    await service.execute_ok(
        'mutation ($id: ID!) { cancelTransfer(id: $id, reason: "Nhầm nơi") { id } }',
        {"id": transfer["id"]},
    )
    view = await case_view(service, dissolution.case_id)
    states = sorted((t["member"]["id"], t["state"]) for t in view["transfers"])
    assert states == [(member_id, "CANCELLED"), (member_id, "NEEDS_DESTINATION")]
    assert (
        published.of_type(
            "partyorg.members.dissolution.members_relocated.v1", caseId=dissolution.case_id
        )
        == []
    )
