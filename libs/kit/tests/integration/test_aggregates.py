"""The one write path of an aggregate, against real FerretDB and RabbitMQ: inserted when new,
else written over the version it was read at with its events, refused (False, or the
caller's conflict) when that version is gone — and the relay hears of every write by itself,
in a held write turn too."""

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import pytest_asyncio
from kit.aggregates import Change, save_aggregate, save_aggregates
from kit.bus import EventBus
from kit.events import new_event
from kit.mongo import Document, SerialisedCollection, connect, database, exclusive_writes
from kit.outbox import PENDING, OutboxRelay
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated
from pymongo.asynchronous.collection import AsyncCollection

pytestmark = pytest.mark.integration


class Stale(Exception):
    code = "CONFLICT"


@pytest_asyncio.fixture(loop_scope="session")
async def collection() -> AsyncIterator[AsyncCollection[Document]]:
    settings = isolated(ServiceSettings, service_name="aggregates")
    mongo = connect(settings)
    yield database(mongo, settings)["aggregates"]
    await mongo.close()
    await drop_resources(settings)


def event(n: int) -> Document:
    return new_event(f"partyorg.test.step{n}.v1", "/test", {"n": n})


async def stored(collection: AsyncCollection[Document], aggregate_id: str) -> Document:
    document = await collection.find_one({"_id": aggregate_id})
    assert document is not None
    return document


async def test_a_new_aggregate_is_inserted_with_its_events(
    collection: AsyncCollection[Document],
) -> None:
    assert await save_aggregate(
        collection, Change({"_id": "n", "name": "a", "version": 1}, [event(1)])
    )
    assert await save_aggregate(collection, Change({"_id": "kept", "name": "b"}, [event(2)]))

    document = await stored(collection, "n")
    assert (document["name"], document["version"]) == ("a", 1)
    assert [e["type"] for e in document[PENDING]] == ["partyorg.test.step1.v1"]
    assert [e["type"] for e in (await stored(collection, "kept"))[PENDING]] == [
        "partyorg.test.step2.v1"
    ]


async def test_a_change_is_written_only_over_the_version_it_was_read_at(
    collection: AsyncCollection[Document],
) -> None:
    await save_aggregate(collection, Change({"_id": "c", "name": "a", "version": 1}, [event(1)]))
    second = Change({"_id": "c", "name": "b", "version": 2}, [event(2)])
    rival = Change({"_id": "c", "name": "x", "version": 2}, [event(3)])

    assert await save_aggregate(collection, second)
    assert not await save_aggregate(collection, rival)
    with pytest.raises(Stale):
        await save_aggregate(collection, rival, Stale("changed meanwhile"))

    document = await stored(collection, "c")
    assert (document["name"], document["version"]) == ("b", 2)
    assert [e["data"]["n"] for e in document[PENDING]] == [1, 2]


async def test_a_change_read_at_a_given_version_is_guarded_by_it(
    collection: AsyncCollection[Document],
) -> None:
    await save_aggregate(
        collection, Change({"_id": "r", "name": "a", "version": 3}, read_version=0)
    )
    assert not await save_aggregate(
        collection, Change({"_id": "r", "name": "b", "version": 4}, read_version=2)
    )
    assert await save_aggregate(
        collection, Change({"_id": "r", "name": "b", "version": 5}, read_version=3)
    )
    assert (await stored(collection, "r"))["version"] == 5


async def test_a_change_applying_an_id_is_written_once(
    collection: AsyncCollection[Document],
) -> None:
    await save_aggregate(collection, Change({"_id": "o", "home": "x", "version": 1}))
    moved = Change({"_id": "o", "home": "y", "version": 2}, applying="t-1", applied_in="moves")
    again = Change({"_id": "o", "home": "y", "version": 3}, applying="t-1", applied_in="moves")

    assert await save_aggregate(collection, moved)
    assert not await save_aggregate(collection, again)

    document = await stored(collection, "o")
    assert (document["version"], document["moves"]) == (2, ["t-1"])


async def test_many_changes_tell_which_were_written(
    collection: AsyncCollection[Document],
) -> None:
    ids = [f"m{n}" for n in range(20)]
    await collection.insert_many([{"_id": i, "version": 1, PENDING: []} for i in ids])
    await collection.update_one({"_id": "m3"}, {"$set": {"version": 2}})  # changed meanwhile
    changes = [
        Change({"_id": i, "version": 2, "seen": True}, [event(n)]) for n, i in enumerate(ids)
    ]

    written = await save_aggregates(collection, changes)

    assert written == set(ids) - {"m3"}
    assert await save_aggregates(collection, changes) == set()
    untouched = await stored(collection, "m3")
    assert "seen" not in untouched and untouched[PENDING] == []


async def test_changes_holding_times_are_told_written_as_the_store_keeps_them(
    collection: AsyncCollection[Document],
) -> None:
    ids = [f"t{n}" for n in range(4)]
    await collection.insert_many([{"_id": i, "version": 1} for i in ids])
    await collection.update_one({"_id": "t0"}, {"$set": {"version": 2}})  # changed meanwhile
    at = datetime(2019, 10, 31, 16, 5, 7, 123456, tzinfo=timezone(timedelta(hours=7)))
    changes = [Change({"_id": i, "version": 2, "at": at, "steps": [{"at": at}]}) for i in ids]

    # the store keeps a time to the millisecond, in UTC: read back, each still shows its change
    assert await save_aggregates(collection, changes) == set(ids) - {"t0"}


async def test_the_relay_hears_of_writes_made_in_a_held_write_turn() -> None:
    settings = isolated(ServiceSettings, service_name="aggregates")
    bus = EventBus(settings)
    await bus.connect()
    mongo = connect(settings)
    db = database(mongo, settings)
    collection = db["turns"]
    assert isinstance(collection, SerialisedCollection)
    relay = OutboxRelay(bus, [collection], full_scan_seconds=3600)
    db.write_listeners.append(relay.note_write)
    assert await relay.drain() == 0  # the first drain is a full scan: from here on, heard only
    heard: list[list[Any] | None] = []
    collection.write_listeners.append(lambda write: heard.append(write.ids))
    await collection.insert_many([{"_id": f"s{n}", "version": 1, PENDING: []} for n in range(3)])
    heard.clear()

    async with exclusive_writes(collection) as writes:
        outside = asyncio.create_task(collection.update_one({"_id": "s0"}, {"$set": {"o": 1}}))
        await save_aggregate(writes, Change({"_id": "top", "version": 1}, [event(0)]))
        subtree = [Change({"_id": f"s{n}", "version": 2}, [event(n)]) for n in range(3)]
        assert await save_aggregates(writes, subtree) == {"s0", "s1", "s2"}
        await asyncio.sleep(0.2)
        assert not outside.done()  # other writes wait for the turn
    await outside

    assert heard == [["top"], ["s0", "s1", "s2"], ["s0"]]
    assert await relay.drain() == 4
    await bus.close()
    await mongo.close()
    await drop_resources(settings)
