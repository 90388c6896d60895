"""A restructuring moves committees to other parents (a ward handed over to the city
committee): the members of every cell under them are then found under their new ancestors —
in the lists and searches of the receiving side's scope — and no longer under the old ones."""

from typing import Any

import pytest
from kit.identity import Grant, Principal, Role
from kit.testing import FINDS, ServiceUnderTest, eventually
from members.repository import MongoOrganisationDirectory
from members_support import ORGANISATION_UPDATED, Ward, applied, group_name, register
from pymongo.asynchronous.database import AsyncDatabase

pytestmark = pytest.mark.asyncio(loop_scope="session")

LIST = "query ($search: String) { members(search: $search) { totalCount edges { node { id } } } }"


def committee(organisation_id: str) -> Principal:
    return Principal(
        f"u-{organisation_id}", "Thành ủy", (Grant(Role.CITY_COMMITTEE, organisation_id),)
    )


async def listed(service: ServiceUnderTest, principal: Principal, search: str | None) -> set[str]:
    data = await service.execute_ok(LIST, {"search": search}, principal=principal)
    return {edge["node"]["id"] for edge in data["members"]["edges"]}


def moved(organisation_id: str, kind: str, parent: str, ancestors: list[str]) -> dict[str, Any]:
    """`organisation.updated.v1` of an organisation under new ancestors, as a hand-over tells."""
    return {
        "organisationId": organisation_id,
        "code": organisation_id.upper(),
        "name": f"Tổ chức {organisation_id}",
        "kind": kind,
        "cellType": "RESIDENTIAL" if kind == "CELL" else None,
        "parentId": parent,
        "ancestorIds": ancestors,
        "status": "ACTIVE",
        "coverage": [],
        "dissolvedOn": None,
        "version": 2,
    }


async def test_members_of_a_handed_over_ward_are_found_within_the_receiving_committee(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.residential[group_name(1)]
    member = await register(service, cell, name="Phạm Thị Hồng Nhung")
    receiving = f"city-{ward.suffix}"
    await ward.organisation(receiving, "CITY_COMMITTEE", parent=None)
    city, district = committee(receiving), committee("bd")
    assert await listed(service, city, None) == set()
    assert member in await listed(service, district, "Hồng Nhung")

    await applied(
        db,
        await service.deliver(
            ORGANISATION_UPDATED, moved(ward.id, "WARD_COMMITTEE", receiving, [receiving])
        ),
    )
    await applied(
        db,
        await service.deliver(
            ORGANISATION_UPDATED, moved(cell, "CELL", ward.id, [receiving, ward.id])
        ),
    )

    async def found_by_the_receiving_side() -> None:
        assert await listed(service, city, None) == {member}
        assert await listed(service, city, "hong nhung") == {member}

    await eventually(found_by_the_receiving_side)
    assert member not in await listed(service, district, "Hồng Nhung")
    stored = await db["members"].find_one({"_id": member})
    assert stored is not None and sorted(stored["scope_ids"]) == sorted([cell, ward.id, receiving])


async def test_a_scope_kept_by_another_process_follows_the_moves_this_one_learns(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    """The subtrees a process keeps for its callers' scopes are read again once the tree
    changes, whichever process (replica) learnt of the change."""
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.residential[group_name(1)]
    receiving = f"city-{ward.suffix}"
    await ward.organisation(receiving, "CITY_COMMITTEE", parent=None)
    replica = MongoOrganisationDirectory(db)
    assert await replica.within({receiving}) == {receiving}
    assert await replica.within({receiving}) == {receiving}  # kept, while nothing moves

    await applied(
        db,
        await service.deliver(
            ORGANISATION_UPDATED, moved(ward.id, "WARD_COMMITTEE", receiving, [receiving])
        ),
    )
    assert await replica.within({receiving}) == {receiving, ward.id}
    await applied(
        db,
        await service.deliver(
            ORGANISATION_UPDATED, moved(cell, "CELL", ward.id, [receiving, ward.id])
        ),
    )
    assert cell in await replica.within({receiving})


async def test_news_of_an_organisation_reads_it_once_and_again_only_when_it_moves(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    """A restructuring tells of hundreds of organisations at once: each is read once, for
    what was kept and where it stood, and read again after it is kept only when the news puts
    it elsewhere (a newer version kept meanwhile would win)."""
    ward = await Ward(service, db).set_up(groups=1)
    receiving = f"city-{ward.suffix}"
    await ward.organisation(receiving, "CITY_COMMITTEE", parent=None)

    async def reads_when_told(news: str, **fields: Any) -> int:
        FINDS.watch(service.settings.database_name)
        try:
            await applied(
                db, await ward.organisation(ward.id, "WARD_COMMITTEE", event_type=news, **fields)
            )
        finally:
            FINDS.stop()
        return FINDS.reads_of("known_organisations", ward.id)

    # renamed where it stands (a new version, the same parent): read once
    assert await reads_when_told(ORGANISATION_UPDATED, parent="bd", version=2) == 1
    # handed over: read before and after
    assert await reads_when_told(ORGANISATION_UPDATED, parent=receiving, version=3) == 2
    stored = await db["known_organisations"].find_one({"_id": ward.id})
    assert stored is not None and stored["parent_id"] == receiving
