"""Organisation events arriving many at once are kept in one bulk write, the newest version of
each whatever the order: an older or repeated event changes nothing."""

import uuid
from typing import Any

from kit.events import new_event
from kit.mongo import Document
from kit.testing import FINDS, ServiceUnderTest, eventually
from members_support import ORGANISATION_REGISTERED, ORGANISATION_UPDATED
from pymongo.asynchronous.database import AsyncDatabase


def told(event_type: str, organisation_id: str, version: int) -> dict[str, Any]:
    return new_event(
        event_type,
        "/partyorg/organisations",
        {
            "organisationId": organisation_id,
            "code": organisation_id.upper(),
            "name": f"Chi bộ {organisation_id} v{version}",
            "kind": "CELL",
            "cellType": "RESIDENTIAL",
            "parentId": "ward",
            "ancestorIds": ["hn", "bd", "ward"],
            "status": "ACTIVE",
            "coverage": [],
            "dissolvedOn": None,
            "version": version,
        },
    )


async def test_many_organisation_events_keep_the_newest_version_of_each(
    service: ServiceUnderTest, db: AsyncDatabase[Document]
) -> None:
    cells = [f"cell-{uuid.uuid4().hex[:8]}" for _ in range(60)]
    events = [
        *(told(ORGANISATION_REGISTERED, cell, 1) for cell in cells),
        *(told(ORGANISATION_UPDATED, cell, 3) for cell in cells),
        *(told(ORGANISATION_UPDATED, cell, 2) for cell in cells),  # late, older
    ]
    FINDS.watch(service.settings.database_name)
    assert await service.publisher.publish_many(events) == [None] * len(events)

    async def newest_kept() -> None:
        found = db["known_organisations"].find({"_id": {"$in": cells}})
        assert sorted([(d["_id"], d["version"]) async for d in found]) == [
            (cell, 3) for cell in sorted(cells)
        ]
        assert await db["inbox"].count_documents({"_id": {"$in": [e["id"] for e in events]}}) == (
            len(events)
        )

    await eventually(newest_kept)
    assert FINDS.sent("update", "known_organisations") < len(events) / 2
    FINDS.stop()
    stored = await db["known_organisations"].find_one({"_id": cells[0]})
    assert stored is not None and stored["name"] == f"Chi bộ {cells[0]} v3"
