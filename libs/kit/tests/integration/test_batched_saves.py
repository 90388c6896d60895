"""Many aggregates saved with one update per group of like changes, their events in outbox
batches, against real FerretDB and RabbitMQ: each event published once and only for what was
written, a document's events in order with those of single writes, and a process killed
between the update and READY losing and inventing nothing."""

import asyncio
import os
import signal
import sys
import textwrap
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from kit.aggregates import Change, save_aggregate
from kit.batched_saves import save_in_batches
from kit.crash_points import CRASH_AT
from kit.event_batches import (
    ABANDONED_AFTER,
    BATCHES,
    SENT,
    STAMPS,
    WRITING,
    mark_ready,
    open_batches,
)
from kit.events import new_event
from kit.mongo import Document, database
from kit.outbox import PENDING, OutboxRelay
from kit.query_log import QUERY_LOG
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.collection import AsyncCollection

from libs.kit.tests.integration import batch_support
from libs.kit.tests.integration.batch_support import Store, published

pytestmark = pytest.mark.integration
store = batch_support.store  # the fixture: a store and a bus of their own

ROUTING = "partyorg.test.moved.v1"


@pytest_asyncio.fixture(loop_scope="session")
async def settings() -> AsyncIterator[ServiceSettings]:
    settings = isolated(ServiceSettings, service_name="batchedsaves")
    yield settings
    await drop_resources(settings)


class Statements(monitoring.CommandListener):
    """Update statements sent, by collection."""

    def __init__(self) -> None:
        self.updates: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "update":
            self.updates[event.command["update"]] += len(event.command["updates"])

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def event(n: int) -> Document:
    return new_event(ROUTING, "/t", {"n": n})


def person(n: int, cell: str, version: int) -> Document:
    return {"_id": f"p-{n}", "name": f"P {n}", "cell": cell, "version": version}


def moved(n: int, to: str) -> Change:
    """Person n read in cell A at version 1, moved to `to` with event n."""
    return Change(person(n, to, 2), [event(n)], read_document=person(n, "A", 1))


async def people_in_a(collection: AsyncCollection[Document], count: int) -> None:
    await collection.insert_many([person(n, "A", 1) for n in range(count)])


async def test_like_changes_go_in_one_update_each_and_their_events_once_from_batches(
    settings: ServiceSettings, store: Store
) -> None:
    people = store.db["alike"]
    await people_in_a(people, 600)
    await people.update_one({"_id": "p-7"}, {"$set": {"version": 5}})  # changed meanwhile
    counted = Statements()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        settings.mongodb_url, event_listeners=[counted]
    )
    counting = database(client, settings)
    relay = OutboxRelay(store.bus, [counting["alike"]], full_scan_seconds=3600)
    counting.write_listeners.append(relay.note_write)  # type: ignore[attr-defined]

    saved = await save_in_batches(
        counting["alike"],
        [moved(n, "B" if n % 2 else "C") for n in range(600)],
        narrowed_by="cell",
    )

    assert saved.written == {f"p-{n}" for n in range(600) if n != 7}
    assert sorted(await published(settings, relay, ROUTING)) == [n for n in range(600) if n != 7]
    assert await published(settings, relay, ROUTING) == []  # once
    stored = {d["_id"]: d async for d in people.find({})}
    assert stored["p-7"]["cell"] == "A" and STAMPS not in stored["p-7"]
    assert stored["p-8"]["cell"] == "C" and stored["p-9"]["cell"] == "B"
    assert stored["p-9"]["version"] == 2 and stored["p-9"]["name"] == "P 9"
    assert not any(d.get(PENDING) for d in stored.values())
    assert {b["state"] async for b in store.db[BATCHES].find({"collection": "alike"})} == {SENT}
    # two updates (to B, to C) wrote 599 people; no event was removed from a document
    assert counted.updates["alike"] == 2
    await client.close()


async def test_a_document_with_events_pending_is_saved_after_them_one_by_one(
    settings: ServiceSettings, store: Store
) -> None:
    people = store.db["pending"]
    await people_in_a(people, 3)
    # a single write pushed event 100 on p-1 (version 2), not published yet
    await save_aggregate(people, Change(person(1, "A", 2), [event(100)]))
    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    store.db.write_listeners.append(relay.note_write)  # type: ignore[attr-defined]
    read_again = Change(person(1, "B", 3), [event(1)], read_document=person(1, "A", 2))

    saved = await save_in_batches(people, [moved(0, "B"), read_again, moved(2, "B")])

    assert saved.written == {"p-0", "p-1", "p-2"}
    order = await published(settings, relay, ROUTING)
    assert sorted(order) == [0, 1, 2, 100]
    assert order.index(100) < order.index(1)  # p-1's events in the order written
    p1 = await people.find_one({"_id": "p-1"})
    assert p1 is not None and p1["cell"] == "B" and STAMPS not in p1


CRASHING_WRITER = """
import asyncio, sys
from kit.aggregates import Change
from kit import batched_saves
from kit.batched_saves import save_in_batches
from kit.events import new_event
from kit.mongo import connect, database
from kit.settings import ServiceSettings

settings = ServiceSettings(service_name="batchedsaves", mongodb_database=sys.argv[1])

def person(n, cell, version):
    return {"_id": f"p-{n}", "name": f"P {n}", "cell": cell, "version": version}

async def main():
    people = database(connect(settings), settings)["crashed"]
    await save_in_batches(
        people,
        [
            Change(person(n, "B", 2), [new_event("partyorg.test.moved.v1", "/t", {"n": n})],
                   read_document=person(n, "A", 1))
            for n in range(5)
        ],
        narrowed_by="cell",
    )

asyncio.run(main())
"""


async def test_a_process_killed_between_the_update_and_ready_loses_and_invents_no_event(
    settings: ServiceSettings, store: Store
) -> None:
    people = store.db["crashed"]
    await people_in_a(people, 5)
    await people.update_one({"_id": "p-3"}, {"$set": {"version": 9}})  # will be refused
    env = {**os.environ, CRASH_AT: "batches.updated", "MONGODB_URL": settings.mongodb_url}
    env.pop(QUERY_LOG, None)
    writer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        textwrap.dedent(CRASHING_WRITER),
        settings.database_name,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await asyncio.wait_for(writer.communicate(), timeout=120)

    assert writer.returncode == -signal.SIGKILL, errors.decode()  # killed at the seam
    (batch,) = await store.db[BATCHES].find({"collection": "crashed"}).to_list()
    assert batch["state"] == WRITING
    assert await people.count_documents({"cell": "B"}) == 4
    # the relay finishes a WRITING batch once no write can still be under way
    await store.db[BATCHES].update_one(
        {"_id": batch["_id"]}, {"$set": {"written_at": datetime.now(UTC) - 2 * ABANDONED_AFTER}}
    )
    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    assert sorted(await published(settings, relay, ROUTING)) == [0, 1, 2, 4]
    finished = await store.db[BATCHES].find_one({"_id": batch["_id"]})
    assert finished is not None and finished["state"] == SENT
    assert finished["refused"] == ["p-3"]
    assert await published(settings, relay, ROUTING) == []  # once


async def an_unsent_batch(people: AsyncCollection[Document], n: int) -> None:
    """Person n's event 100 rides in a batch READY, not published yet (an import's, an earlier
    step's)."""
    opened = await open_batches(people, [{"id": f"p-{n}", "events": [event(100)]}])
    await mark_ready(people, opened, set())


async def test_a_bulk_save_behind_an_unsent_batch_is_published_after_it(
    settings: ServiceSettings, store: Store
) -> None:
    people = store.db["earlier"]
    await people_in_a(people, 3)
    await an_unsent_batch(people, 0)

    saved = await asyncio.wait_for(save_in_batches(people, [moved(n, "B") for n in range(3)]), 5)

    assert saved.written == {"p-0", "p-1", "p-2"}  # in bulk, without waiting for the relay
    p0 = await people.find_one({"_id": "p-0"})
    assert p0 is not None and PENDING not in p0
    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    order = await published(settings, relay, ROUTING)
    assert sorted(order) == [0, 1, 2, 100] and order.index(100) < order.index(0)


async def test_batches_that_share_a_document_are_published_oldest_first_one_at_a_time(
    settings: ServiceSettings, store: Store
) -> None:
    people = store.db["in_turn"]
    await people_in_a(people, 6)
    written = datetime.now(UTC)
    for step in (3, 2, 1, 0):  # p-0's events 0..3 in four batches, stored newest first
        entries = [{"id": "p-0", "events": [event(step)]}]
        entries.append({"id": f"p-{step + 1}", "events": [event(10 + step)]})
        [batch] = await open_batches(people, entries)
        await mark_ready(people, [batch], set())
        await store.db[BATCHES].update_one(
            {"_id": batch.id}, {"$set": {"written_at": written + timedelta(seconds=step)}}
        )

    relay = OutboxRelay(store.bus, [people], full_scan_seconds=3600)
    order = await published(settings, relay, ROUTING)

    assert sorted(order) == [0, 1, 2, 3, 10, 11, 12, 13]
    assert [n for n in order if n < 10] == [0, 1, 2, 3]


async def test_changes_alike_are_split_by_what_they_share_besides_and_each_update_narrowed_by_it(
    settings: ServiceSettings, store: Store
) -> None:
    people = store.db["narrowed"]
    homes = {n: {"group": f"G{n % 2}"} if n < 8 else None for n in range(10)}
    await people.insert_many([{**person(n, "A", 1), "home": homes[n]} for n in range(10)])
    # p-3's group changed meanwhile, its version not (a field it is found by)
    await people.update_one({"_id": "p-3"}, {"$set": {"home.group": "G9"}})
    counted = Statements()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        settings.mongodb_url, event_listeners=[counted]
    )
    changes = [
        Change(
            {**person(n, "B", 2), "home": homes[n]},
            [event(n)],
            read_document={**person(n, "A", 1), "home": homes[n]},
        )
        for n in range(10)
    ]

    saved = await save_in_batches(
        database(client, settings)["narrowed"],
        changes,
        narrowed_by="cell",
        narrowed_also=("home.group",),
    )

    assert saved.written == {f"p-{n}" for n in range(10) if n != 3}
    # one update for G0, one for G1, one for those with no home: each looks up its own
    assert counted.updates["narrowed"] == 3
    stored = {d["_id"]: d async for d in people.find({})}
    assert stored["p-3"]["cell"] == "A" and stored["p-9"]["cell"] == "B"
    assert {d["cell"] for n, d in stored.items() if n != "p-3"} == {"B"}
    await client.close()
