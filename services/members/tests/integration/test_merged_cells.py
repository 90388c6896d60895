"""Members follow their cell: when a restructuring merges a cell into another, its members and
candidates move to the successor in bulk, once, without transfer letters; when a committee
above their cell is handed over, they stay in it. Either way their history (a candidate's
moves) shows the change with its decision, and the member.updated (candidate.updated) event
says so."""

from typing import Any

import pytest
from conftest import Published
from kit.identity import Grant, Principal, Role
from kit.testing import FINDS, ServiceUnderTest, eventually
from members import consumed_events, events
from members_support import Ward, add_candidate, applied, group_name, register
from pymongo.asynchronous.database import AsyncDatabase

pytestmark = pytest.mark.asyncio(loop_scope="session")

PEOPLE = """
query ($member: ID!, $candidate: ID!) {
  member(id: $member) { organisation { id } transfers { id } }
  candidate(id: $candidate) { organisation { id } }
}
"""
HISTORY = """
query ($id: ID!) {
  member(id: $id) {
    organisation { id }
    history {
      on kind restructuringCaseId
      organisation { id } fromOrganisation { id } toOrganisation { id }
      decision { number signer signedOn effectiveOn }
    }
  }
}
"""
MOVES = """
query ($id: ID!) {
  candidate(id: $id) {
    organisation { id }
    history { stage }
    moves {
      on kind restructuringCaseId transfer { id }
      organisation { id } fromOrganisation { id } toOrganisation { id }
      decision { number signer signedOn effectiveOn }
    }
  }
}
"""
DECISION = {
    "number": "1234-QĐ/TU",
    "signedOn": "2025-06-20",
    "signer": "Bí thư Thành ủy",
    "effectiveOn": "2025-07-01",
}


def completed(case_id: str, kind: str, **outcome: Any) -> dict[str, Any]:
    """A `restructuring.completed.v1` as the organisations service publishes it."""
    return {
        "caseId": case_id,
        "kind": kind,
        "campaignId": None,
        "sourceIds": outcome.pop("sourceIds"),
        "receivingId": outcome.pop("receivingId"),
        "newOrganisations": [],
        "stage": "COMPLETED",
        "fromStage": "HANDED_OVER",
        "at": "2025-07-01T08:00:00+07:00",
        "actor": "Bí thư Thành ủy",
        "note": None,
        "decision": DECISION,
        "effectiveOn": "2025-07-01",
        "acceptance": {"acceptedOn": "2025-07-01", "signer": "Bí thư", "decisionNumber": None},
        "moved": outcome.pop("moved", []),
        "ceased": outcome.pop("ceased", []),
    }


def moved_under(ward: Ward, parent: str) -> list[dict[str, Any]]:
    """The ward (under Ba Đình until then) placed under another parent."""
    return [{"organisationId": ward.id, "fromParentId": "bd", "toParentId": parent, "code": None}]


def told_of(published: Published, event_type: str, key: str, case_id: str) -> list[str]:
    """The people (by `key`) an event of this type told of following this case, sorted."""
    return sorted(
        e["data"][key]
        for e in published.of_type(event_type)
        if (e["data"].get("restructuring") or {}).get("caseId") == case_id
    )


async def test_the_people_of_a_merged_cell_move_to_its_successor_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    merged, successor = ward.residential[group_name(1)], ward.residential[group_name(2)]
    member = await register(service, merged)
    candidate = await add_candidate(service, merged)
    stays = await register(service, ward.agency, name="Lê Văn Ở")
    case_id = f"restructuring-{ward.suffix}"
    merger = completed(
        case_id,
        "MERGE_INTO",
        sourceIds=[merged],
        receivingId=successor,
        ceased=[{"organisationId": merged, "status": "MERGED", "successorIds": [successor]}],
    )
    await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, merger)

    async def moved() -> dict[str, object]:
        data = await service.execute_ok(PEOPLE, {"member": member, "candidate": candidate})
        assert data["member"]["organisation"]["id"] == successor
        assert data["candidate"]["organisation"]["id"] == successor
        return data

    first = await eventually(moved)
    assert first["member"]["transfers"] == []  # no transfer letters
    history = (await service.execute_ok(HISTORY, {"id": member}))["member"]["history"]
    assert [(e["on"], e["kind"]) for e in history] == [
        ("2008-03-02", "ADMITTED"),
        ("2025-07-01", "MERGED"),
    ]
    assert history[-1]["restructuringCaseId"] == case_id
    assert history[-1]["decision"] == DECISION
    assert history[-1]["fromOrganisation"] == {"id": merged}
    assert history[-1]["toOrganisation"] == {"id": successor}
    stored = await db["members"].find_one({"_id": member})
    assert stored is not None
    # the same completion again, under a new event id
    again = await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, merger)
    await applied(db, again)
    after = await db["members"].find_one({"_id": member})
    assert after is not None and after["version"] == stored["version"]
    other = await service.execute_ok(
        "query ($id: ID!) { member(id: $id) { organisation { id } } }", {"id": stays}
    )
    assert other["member"]["organisation"]["id"] == ward.agency  # not of the merged cell
    # the candidate's moves name the merger with its decision; their stages are untouched
    followed = (await service.execute_ok(MOVES, {"id": candidate}))["candidate"]
    assert followed["history"] == [{"stage": "SOURCE"}]
    assert followed["moves"] == [
        {
            "on": "2025-07-01",
            "kind": "MERGED",
            "restructuringCaseId": case_id,
            "transfer": None,
            "organisation": {"id": merged},
            "fromOrganisation": {"id": merged},
            "toOrganisation": {"id": successor},
            "decision": DECISION,
        }
    ]

    async def candidate_told_once() -> None:
        told = published.of_type(events.CANDIDATE_UPDATED, candidateId=candidate)
        assert [e["data"]["restructuring"]["caseId"] for e in told] == [case_id]
        assert told[0]["data"]["organisationId"] == successor

    await eventually(candidate_told_once)


async def test_a_handed_over_wards_members_stay_in_their_cell_with_the_hand_over_in_history(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.residential[group_name(1)]
    member = await register(service, cell)
    candidate = await add_candidate(service, cell)
    bystander = await register(service, ward.agency, name="Lê Văn Ở")
    receiving = f"city-committee-{ward.suffix}"
    await ward.organisation(receiving, "CITY_COMMITTEE", parent=None)
    case_id = f"hand-over-{ward.suffix}"
    hand_over = completed(
        case_id,
        "HAND_OVER",
        sourceIds=[ward.id],
        receivingId=receiving,
        moved=moved_under(ward, receiving),
    )
    await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, hand_over)

    async def handed_over() -> list[dict[str, Any]]:
        data = await service.execute_ok(HISTORY, {"id": member})
        assert data["member"]["history"][-1]["kind"] == "HANDED_OVER"
        assert data["member"]["organisation"] == {"id": cell}  # stays in the cell
        return list(data["member"]["history"])

    entry = (await eventually(handed_over))[-1]
    assert entry["organisation"] == {"id": ward.id}
    assert (entry["fromOrganisation"], entry["toOrganisation"]) == ({"id": "bd"}, {"id": receiving})
    assert entry["on"] == "2025-07-01" and entry["decision"]["number"] == "1234-QĐ/TU"
    agency = (await service.execute_ok(HISTORY, {"id": bystander}))["member"]["history"]
    assert [e["kind"] for e in agency] == ["ADMITTED", "HANDED_OVER"]  # the whole ward went

    async def told() -> dict[str, Any]:
        (event,) = [
            e
            for e in published.of_type(events.MEMBER_UPDATED, memberId=member)
            if e["data"].get("restructuring")
        ]
        return dict(event["data"]["restructuring"])

    said = await eventually(told)
    assert said["caseId"] == case_id and said["kind"] == "HAND_OVER"
    assert said["decision"]["effectiveOn"] == "2025-07-01"
    assert (said["fromOrganisationId"], said["toOrganisationId"]) == ("bd", receiving)
    again = await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, hand_over)
    await applied(db, again)
    history = (await service.execute_ok(HISTORY, {"id": member}))["member"]["history"]
    assert [e["kind"] for e in history] == ["ADMITTED", "HANDED_OVER"]  # once
    # the candidate stays in the cell too, the hand-over in their moves, once
    followed = (await service.execute_ok(MOVES, {"id": candidate}))["candidate"]
    assert followed["organisation"] == {"id": cell}
    assert [(m["kind"], m["organisation"]) for m in followed["moves"]] == [
        ("HANDED_OVER", {"id": ward.id})
    ]
    assert followed["moves"][0]["toOrganisation"] == {"id": receiving}


async def test_a_merged_cells_members_follow_it_in_bulk_each_told_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    merged, successor = ward.residential[group_name(1)], ward.residential[group_name(2)]
    people = [await register(service, merged, name=f"Đảng viên {n}") for n in range(20)]
    merger = completed(
        f"bulk-merger-{ward.suffix}",
        "MERGE_INTO",
        sourceIds=[merged],
        receivingId=successor,
        ceased=[{"organisationId": merged, "status": "MERGED", "successorIds": [successor]}],
    )
    await applied(db, await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, merger))
    wanted = {"organisation_id": 1, "outbox_writes": 1}
    found = [d async for d in db["members"].find({"_id": {"$in": people}}, wanted)]
    assert {d["organisation_id"] for d in found} == {successor} and len(found) == len(people)
    # written alike by bulk updates (kit.batched_saves), each stamping what it wrote, their
    # events in outbox batches rather than pushed on each member
    assert all(d.get("outbox_writes") for d in found)

    async def each_told_once() -> None:
        told = told_of(published, events.MEMBER_UPDATED, "memberId", merger["caseId"])
        assert told == sorted(people)

    await eventually(each_told_once, timeout=30)


async def test_a_handed_over_wards_cells_follow_in_one_bulk_save_candidates_too(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=3)
    cells = [ward.agency, *ward.residential.values()]
    people = [await register(service, c, name=f"Đảng viên {n}") for n, c in enumerate(cells * 3)]
    candidates = [await add_candidate(service, c) for c in cells]
    receiving = f"city-committee-{ward.suffix}"
    await ward.organisation(receiving, "CITY_COMMITTEE", parent=None)
    hand_over = completed(
        f"bulk-hand-over-{ward.suffix}",
        "HAND_OVER",
        sourceIds=[ward.id],
        receivingId=receiving,
        moved=moved_under(ward, receiving),
    )
    FINDS.watch(service.settings.database_name)
    try:
        await applied(db, await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, hand_over))
    finally:
        FINDS.stop()
    # they stay in their cells: where each is counted is neither read nor written
    assert FINDS.sent("find", "member_cells") == FINDS.sent("update", "member_cells") == 0
    wanted = {"outbox_writes": 1, "pending_events": 1}
    found = [d async for d in db["members"].find({"_id": {"$in": people}}, wanted)]
    # the ward's cells saved in one bulk save (one stamp), not a save per cell; the events
    # in outbox batches, none pushed on a member or a candidate
    assert len({d["outbox_writes"][-1] for d in found}) == 1 and len(found) == len(people)
    assert not any(d.get("pending_events") for d in found)
    followed = [d async for d in db["candidates"].find({"_id": {"$in": candidates}}, wanted)]
    assert len({d["outbox_writes"][-1] for d in followed}) == 1
    assert len(followed) == len(candidates)
    assert not any(d.get("pending_events") for d in followed)

    async def each_told_once() -> None:
        told = told_of(published, events.CANDIDATE_UPDATED, "candidateId", hand_over["caseId"])
        assert told == sorted(candidates)

    await eventually(each_told_once, timeout=30)


async def test_a_ward_handed_over_to_a_new_committee_has_its_members_found_under_it_at_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.residential[group_name(1)]
    people = [await register(service, cell, name=f"Đảng viên {n}") for n in range(3)]
    city, new_ward = f"city-{ward.suffix}", f"new-ward-{ward.suffix}"
    await ward.organisation(city, "CITY_COMMITTEE", parent=None)
    merger = completed(
        f"merge-new-{ward.suffix}",
        "MERGE_NEW",
        sourceIds=[ward.id],
        receivingId=None,
        moved=moved_under(ward, new_ward),
    )
    merger["newOrganisations"] = [
        {"organisationId": new_ward, "code": "NEW", "name": "Phường mới", "parentId": city}
    ]
    wanted = {"scope_ids": 1, "version": 1}

    # the organisations service tells of the case before its moves: the members are written
    # where their cell stands after them (the new ward not known here yet)
    await applied(db, await service.deliver(consumed_events.RESTRUCTURING_COMPLETED, merger))
    found = [d async for d in db["members"].find({"_id": {"$in": people}}, wanted)]
    placed = sorted([city, new_ward, ward.id, cell])
    assert [d["scope_ids"] for d in found] == [placed] * len(people)

    # then the moves: the tree here shows them, and the members stand where they were put
    for organisation_id, kind, parent, above in (
        (new_ward, "WARD_COMMITTEE", city, [city]),
        (ward.id, "WARD_COMMITTEE", new_ward, [city, new_ward]),
        (cell, "CELL", ward.id, [city, new_ward, ward.id]),
    ):
        told = {
            "organisationId": organisation_id, "code": organisation_id.upper(),
            "name": organisation_id, "kind": kind, "cellType": "RESIDENTIAL" if parent == ward.id
            else None, "parentId": parent, "ancestorIds": above, "status": "ACTIVE",
            "coverage": [], "dissolvedOn": None, "version": 5,
        }  # fmt: skip
        event_type = consumed_events.ORGANISATION_UPDATED
        if organisation_id == new_ward:
            event_type = consumed_events.ORGANISATION_REGISTERED
        await applied(db, await service.deliver(event_type, told))
    again = [d async for d in db["members"].find({"_id": {"$in": people}}, wanted)]
    assert again == found
    committee = Principal(
        f"u-{new_ward}", "Đảng ủy phường mới", (Grant(Role.WARD_COMMITTEE, new_ward),)
    )
    listed = await service.execute_ok(
        "{ members(first: 10) { totalCount edges { node { id } } } }", principal=committee
    )
    assert sorted(e["node"]["id"] for e in listed["members"]["edges"]) == sorted(people)
