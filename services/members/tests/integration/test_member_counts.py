"""memberCount comes from counts kept with each change (registration, import, reception one by
one or in bulk, dissolution), over a ward's whole subtree, and a recount from the members
repairs them."""

from typing import Any

import pytest
from kit.testing import ServiceUnderTest, eventually
from members.repository import MongoMemberRepository, MongoTransferRepository
from members_support import (
    Dissolution,
    Ward,
    add_candidate,
    applied,
    group_name,
    reception,
    register,
)
from pymongo.asynchronous.database import AsyncDatabase
from test_import import import_members, member_row
from test_relocation_on_dissolution import INTRODUCE, RECEIVE, _with_total
from test_transfer_steps_in_bulk import INTRODUCE as INTRODUCE_ALL
from test_transfer_steps_in_bulk import RECEIVE as RECEIVE_ALL
from test_transfer_steps_in_bulk import decided_case, letters

COUNTS = """
query ($ids: [_Any!]!) {
  _entities(representations: $ids) { ... on Organisation { id memberCount } }
}
"""
RECEIVED = "partyorg.members.transfer.received.v1"


async def member_counts(service: ServiceUnderTest, *ids: str) -> dict[str, int]:
    representations = [{"__typename": "Organisation", "id": i} for i in ids]
    data = await service.execute_ok(COUNTS, {"ids": representations})
    return {entity["id"]: entity["memberCount"] for entity in data["_entities"]}


def cells(ward: Ward) -> list[str]:
    return [ward.agency, *ward.residential.values()]


async def test_a_cell_counts_its_registrations_and_a_ward_its_whole_subtree(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    tdp1, tdp2 = ward.residential[group_name(1)], ward.residential[group_name(2)]
    assert await member_counts(service, ward.id, ward.agency, tdp1) == {
        ward.id: 0,
        ward.agency: 0,
        tdp1: 0,
    }
    for n in range(3):
        await register(service, ward.agency, name=f"Đảng viên {n}")
    await register(service, tdp1)

    assert await member_counts(service, ward.id, ward.agency, tdp1, tdp2) == {
        ward.id: 4,
        ward.agency: 3,
        tdp1: 1,
        tdp2: 0,
    }


async def test_counts_follow_the_members_of_a_dissolved_cell_to_their_new_cells_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=3)
    for n in range(3):
        await register(service, ward.agency, group=group_name(n + 1), name=f"Đảng viên {n}")
    await add_candidate(service, ward.agency, group=group_name(1))
    await register(service, ward.residential[group_name(1)])
    dissolution = Dissolution(ward)
    await dissolution.open()
    await dissolution.decide()
    view = await eventually(lambda: _with_total(service, dissolution.case_id, 4), timeout=30)
    for transfer in view["transfers"]:
        await service.execute_ok(INTRODUCE, {"id": transfer["id"]})
        await service.execute_ok(RECEIVE, {"id": transfer["id"]})

    expected = {
        ward.id: 4,
        ward.agency: 0,
        ward.residential[group_name(1)]: 2,
        ward.residential[group_name(2)]: 1,
        ward.residential[group_name(3)]: 1,
    }
    assert await member_counts(service, *expected) == expected

    moved = next(t for t in view["transfers"] if t["member"])
    data = reception(
        moved["id"], moved["member"]["id"], ward.agency, moved["to"]["id"], dissolution.case_id
    )
    await applied(db, await service.deliver(RECEIVED, data))
    await applied(db, await service.deliver(RECEIVED, data))
    assert await member_counts(service, *expected) == expected


async def test_a_recount_from_the_members_repairs_wrong_or_missing_counts(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    tdp1 = ward.residential[group_name(1)]
    for _ in range(2):
        await register(service, tdp1)
    await db["member_counts"].update_one({"_id": tdp1}, {"$set": {"count": 99}})
    assert (await member_counts(service, tdp1))[tdp1] == 99  # what is shown is what is kept

    repository = MongoMemberRepository(db)
    await repository.counts.recount(repository.collection)
    assert (await member_counts(service, tdp1, ward.id)) == {tdp1: 2, ward.id: 2}

    await db["member_counts"].drop()
    await repository.create_indexes()  # what start-up does: counts missing, so made again
    assert (await member_counts(service, tdp1, ward.id)) == {tdp1: 2, ward.id: 2}


async def test_the_total_of_an_unfiltered_page_is_every_member(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    await register(service, ward.agency)
    page = await service.execute_ok("{ members(first: 1) { totalCount } }")
    assert page["members"]["totalCount"] == await db["members"].count_documents({}) >= 1


async def test_imported_members_are_counted_on_their_cells_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    await register(service, ward.agency)
    cell = await db["known_organisations"].find_one({"_id": ward.agency})
    assert cell is not None
    # more than a list of ids in one index key could hold on FerretDB
    rows = [member_row(n, cell["code"], fullName=f"Đảng viên nhập {n}") for n in range(1, 151)]

    await import_members(service, rows)
    await import_members(service, rows)  # the same list again: nobody twice

    assert await member_counts(service, ward.id, ward.agency) == {ward.id: 151, ward.agency: 151}


async def received_in_bulk(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> tuple[Ward, list[dict[str, Any]]]:
    """A dissolved cell of 6 members, introduced and received in bulk; the ward, the transfers."""
    ward, dissolution, transfers = await decided_case(service, db, 6)
    await service.execute_ok(INTRODUCE_ALL, letters([t["id"] for t in transfers]))
    by_case = {"input": {"transfers": {"caseId": dissolution.case_id}, "receivedOn": "2019-10-08"}}
    await service.execute_ok(RECEIVE_ALL, by_case)
    return ward, transfers


async def test_a_bulk_reception_moves_the_counts_of_a_dissolved_cell(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward, _ = await received_in_bulk(service, db)

    expected = {ward.id: 6, ward.agency: 0, **{cell: 2 for cell in ward.residential.values()}}
    assert await member_counts(service, *expected) == expected


@pytest.mark.parametrize("placed", [False, True], ids=["move-not-placed", "number-not-moved"])
async def test_moves_a_kill_left_uncounted_are_counted_when_their_transfers_are_looked_at_again(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], placed: bool
) -> None:
    """Killed between the members' bulk move and their placement (`placed` False), or between
    their placements and the cells' numbers (True)."""
    ward, transfers = await received_in_bulk(service, db)
    moved = {t["id"]: t["member"]["id"] for t in transfers if t["member"]}
    if not placed:
        await db["member_cells"].update_many(
            {"_id": {"$in": list(moved.values())}}, {"$set": {"cell_id": ward.agency}}
        )
    await db["member_counts"].update_one({"_id": ward.agency}, {"$set": {"count": 6}})
    for cell in ward.residential.values():
        await db["member_counts"].update_one({"_id": cell}, {"$set": {"count": 0}})
    assert (await member_counts(service, ward.agency))[ward.agency] == 6

    # what their receptions' events do after the restart: look for the members still to move
    marks = {t.id: t.applied_as for t in await MongoTransferRepository(db).get_many(list(moved))}
    assert await MongoMemberRepository(db).waiting_for(moved, [ward.agency], marks) == {}

    expected = {ward.id: 6, ward.agency: 0, **{cell: 2 for cell in ward.residential.values()}}
    assert await member_counts(service, *expected) == expected
