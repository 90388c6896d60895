"""Registrations and organisations arriving many at once are applied in bulk, each as it would
be alone: members known already from another event keep it, a cell whose event names no
ancestors takes those of its ward registered just before it."""

import uuid
from typing import Any

from kit.events import new_event
from kit.testing import FINDS, ServiceUnderTest, eventually

MEMBER_REGISTERED = "partyorg.members.member.registered.v1"
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
TRANSFER_RECEIVED = "partyorg.members.transfer.received.v1"


def registration(member_id: str, cell: str) -> dict[str, Any]:
    return new_event(
        MEMBER_REGISTERED,
        "/partyorg/members",
        {
            "memberId": member_id,
            "fullName": f"Trần Thị {member_id[-4:]}",
            "standing": "OFFICIAL",
            "organisationId": cell,
            "workplaceRole": "CADRE",
            "admittedOn": "2005-03-02",
            "version": 1,
        },
    )


def organisation(organisation_id: str, kind: str, parent: str | None) -> dict[str, Any]:
    return new_event(
        ORGANISATION_REGISTERED,
        "/partyorg/organisations",
        {
            "organisationId": organisation_id,
            "code": organisation_id.upper(),
            "name": organisation_id,
            "kind": kind,
            "cellType": "RESIDENTIAL" if kind == "CELL" else None,
            "parentId": parent,
            "ancestorIds": [],
            "status": "ACTIVE",
            "coverage": [],
            "dissolvedOn": None,
            "version": 1,
        },
    )


async def test_many_registrations_put_every_member_on_the_roster_in_bulk(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, residential, _) = await scenario.ward()
    early = f"member-early-{uuid.uuid4().hex[:8]}"
    await scenario.transfer(early, agency, residential, "2019-10-01")
    await scenario.until_evaluated_by(early, "2019-10", residential)
    members = [early, *(f"member-{uuid.uuid4().hex[:8]}" for _ in range(199))]

    FINDS.watch(service.settings.database_name)
    outcomes = await service.publisher.publish_many([registration(m, agency) for m in members])
    assert outcomes == [None] * len(members)
    roster = service.app.state.runtime.db["roster"]

    async def all_enrolled() -> None:
        assert await roster.count_documents({"cell_ids": agency}) == len(members)

    await eventually(all_enrolled)
    assert FINDS.sent("insert", "roster") < len(members) / 2  # a batch's members in one insert
    FINDS.stop()
    await scenario.until_evaluated_by(early, "2019-09", agency)
    await scenario.until_evaluated_by(early, "2019-10", residential)
    stored = await roster.find_one({"_id": members[1]})
    assert stored is not None and stored["full_name"] == f"Trần Thị {members[1][-4:]}"


async def test_cells_registered_with_their_ward_take_its_ancestors(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district = await scenario.organisation("DISTRICT_COMMITTEE")
    await scenario.until_known(district)
    ward = f"ward-{uuid.uuid4().hex[:8]}"
    cells = [f"cell-{uuid.uuid4().hex[:8]}" for _ in range(20)]
    events = [
        organisation(ward, "WARD_COMMITTEE", district),
        *(organisation(cell, "CELL", ward) for cell in cells),
    ]
    assert await service.publisher.publish_many(events) == [None] * len(events)
    await scenario.until_known(ward, *cells)
    known = service.app.state.runtime.db["known_organisations"]
    assert (await known.find_one({"_id": ward}))["ancestor_ids"] == [district]
    async for cell in known.find({"_id": {"$in": cells}}):
        assert cell["ancestor_ids"] == [district, ward]


def received(member_id: str, from_cell: str, to_cell: str, on: str) -> dict[str, Any]:
    return new_event(
        TRANSFER_RECEIVED,
        "/partyorg/members",
        {
            "transferId": f"transfer-{member_id}-{to_cell}",
            "memberId": member_id,
            "kind": "INTERNAL",
            "fromOrganisationId": from_cell,
            "toOrganisationId": to_cell,
            "destinationName": None,
            "receivedOn": on,
            "caseId": None,
        },
    )


async def test_transfers_received_at_once_move_each_member_once_and_in_order(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, first, second) = await scenario.ward()
    members = [f"member-{uuid.uuid4().hex[:8]}" for _ in range(60)]
    await service.publisher.publish_many([registration(m, agency) for m in members])
    roster = service.app.state.runtime.db["roster"]

    async def enrolled() -> None:
        assert await roster.count_documents({"_id": {"$in": members}}) == len(members)

    await eventually(enrolled)
    twice = members[0]
    transfers = [
        *(received(m, agency, first, "2019-10-01") for m in members),
        received(twice, first, second, "2019-11-01"),
    ]
    FINDS.watch(service.settings.database_name)
    await service.publisher.publish_many([*transfers, *transfers[:10]])  # ten of them twice

    async def all_moved() -> None:
        moved = await roster.count_documents({"_id": {"$in": members}, "cell_ids": first})
        assert moved == len(members)
        stored = await roster.find_one({"_id": twice})
        assert [p["cell_id"] for p in stored["placements"]] == [agency, first, second]

    await eventually(all_moved)
    assert FINDS.sent("update", "evaluations") < len(members) / 2  # one per cell and day
    FINDS.stop()
    async for document in roster.find({"_id": {"$in": members[1:]}}):
        assert [p["cell_id"] for p in document["placements"]] == [agency, first]
    await scenario.until_evaluated_by(twice, "2019-09", agency)
    await scenario.until_evaluated_by(twice, "2019-10", first)
    await scenario.until_evaluated_by(twice, "2019-11", second)
