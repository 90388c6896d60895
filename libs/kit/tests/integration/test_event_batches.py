"""Events of documents inserted in bulk ride in outbox batches: published once each, only
for the documents inserted, and finished after a writer stopped half-way."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from kit.event_batches import (
    ABANDONED_AFTER,
    BATCHES,
    READY,
    SENT,
    WRITING,
    insert_with_events,
    packed,
)
from kit.events import new_event
from kit.mongo import Document
from kit.outbox import PENDING, OutboxRelay
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated

from libs.kit.tests.integration import batch_support
from libs.kit.tests.integration.batch_support import Store, published

pytestmark = pytest.mark.integration
store = batch_support.store  # the fixture: a store and a bus of their own

ROUTING = "partyorg.test.batched.v1"


@pytest_asyncio.fixture(loop_scope="session")
async def settings() -> AsyncIterator[ServiceSettings]:
    settings = isolated(ServiceSettings, service_name="batches")
    yield settings
    await drop_resources(settings)


def event(n: int) -> Document:
    return new_event(ROUTING, "/t", {"n": n})


async def test_events_of_documents_inserted_in_bulk_are_published_once_from_their_batches(
    settings: ServiceSettings, store: Store
) -> None:
    db = store.db
    people = db["people"]
    await people.create_index("card", unique=True)
    await people.insert_one({"_id": "taken", "card": "C-3"})
    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    db.write_listeners.append(relay.note_write)  # type: ignore[attr-defined]
    assert await received(settings, relay) == []

    documents = [{"_id": f"p-{n}", "card": f"C-{n}"} for n in range(1200)]
    refused = await insert_with_events(
        people, documents, {f"p-{n}": [event(n)] for n in range(1200)}
    )

    assert refused == {"p-3"}  # its card number is taken: no document, no event
    numbers = await received(settings, relay)
    assert sorted(numbers) == [n for n in range(1200) if n != 3]
    assert await received(settings, relay) == []  # once
    batches = await db[BATCHES].find({}).to_list()
    assert len(batches) == 3 and {b["state"] for b in batches} == {SENT}
    assert not any("payload" in b for b in batches)  # a batch sent keeps no events
    assert await people.count_documents({PENDING: {"$exists": True}}) == 0


async def test_a_batch_left_half_written_is_finished_with_the_documents_that_were_inserted(
    settings: ServiceSettings, store: Store
) -> None:
    outbox, people = store.db[BATCHES], store.db["stopped"]
    now = datetime.now(UTC)
    await outbox.insert_many(
        [
            {
                "_id": f"{age}-batch",
                "state": WRITING,
                "collection": "stopped",
                "written_at": now - ABANDONED_AFTER * factor,
                "payload": packed(
                    [{"id": f"{age}-{n}", "events": [event(offset + n)]} for n in range(3)]
                ),
            }
            for age, factor, offset in (("old", 2, 0), ("recent", 0.1, 10))
        ]
    )
    # the writer stopped after inserting two of each batch's three documents
    await people.insert_many([{"_id": f"{age}-{n}"} for age in ("old", "recent") for n in (0, 2)])

    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    assert sorted(await received(settings, relay)) == [0, 2]  # the recent one may be writing
    recent = await outbox.find_one({"_id": "recent-batch"})
    assert recent is not None and recent["state"] == WRITING
    await outbox.update_one(
        {"_id": "recent-batch"}, {"$set": {"written_at": now - timedelta(hours=1)}}
    )
    restarted = OutboxRelay(store.bus, [people], full_scan_seconds=3600)  # looks at its start
    assert sorted(await received(settings, restarted)) == [10, 12]


async def test_batches_the_release_before_wrote_with_their_events_as_fields_are_still_published(
    settings: ServiceSettings, store: Store
) -> None:
    outbox, people = store.db[BATCHES], store.db["upgraded"]
    written_at = datetime.now(UTC) - ABANDONED_AFTER * 2
    await outbox.insert_many(
        [
            {
                "_id": f"{state}-batch",
                "state": state,
                "collection": "upgraded",
                "written_at": written_at,
                "documents": [
                    {"id": f"{state}-{n}", "events": [event(offset + n)]} for n in range(2)
                ],
            }
            for state, offset in ((READY, 0), (WRITING, 10))
        ]
    )
    await people.insert_one({"_id": f"{WRITING}-1"})  # the writer stopped after one insert

    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    assert sorted(await received(settings, relay)) == [0, 1, 11]
    assert {b["state"] async for b in outbox.find({})} == {SENT}


async def received(settings: ServiceSettings, relay: OutboxRelay) -> list[int]:
    return await published(settings, relay, ROUTING)
