"""A bulk write of many documents sent in parts at once: every update lands, once, in the
collection's write turn, and the relay hears of exactly the documents written."""

import asyncio
from typing import Any

import pytest
from kit.mongo import SerialisedCollection, connect, database
from kit.mongo.bulk import bulk_write_in_parts, tell_written
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated
from pymongo import UpdateOne

pytestmark = pytest.mark.integration


async def test_every_update_lands_and_the_listeners_hear_of_the_ids_when_told() -> None:
    settings = isolated(ServiceSettings, service_name="writes")
    mongo = connect(settings)
    collection = database(mongo, settings)["aggregates"]
    assert isinstance(collection, SerialisedCollection)
    heard: list[tuple[str, list[Any] | None]] = []
    collection.write_listeners.append(lambda write: heard.append((write.collection, write.ids)))
    ids = [f"a{n}" for n in range(50)]
    await collection.insert_many([{"_id": i, "version": 1, "events": []} for i in ids])
    heard.clear()
    updates = [
        UpdateOne({"_id": i, "version": 1}, {"$set": {"version": 2}, "$push": {"events": i}})
        for i in ids
    ]

    first = await bulk_write_in_parts(collection, updates, ids, tell=False)
    assert heard == []
    tell_written(collection, ids)
    again = await bulk_write_in_parts(collection, updates, ids)  # the guard refuses them all

    assert (first, again) == ((50, 50), (0, 0))
    assert heard == [("aggregates", ids), ("aggregates", ids)]
    stored = await collection.find({}, {"events": 1, "version": 1}).to_list()
    assert sorted((d["_id"], d["version"], d["events"]) for d in stored) == sorted(
        (i, 2, [i]) for i in ids
    )
    await mongo.close()
    await drop_resources(settings)


async def test_it_waits_for_the_collections_write_turn() -> None:
    settings = isolated(ServiceSettings, service_name="writes")
    mongo = connect(settings)
    collection = database(mongo, settings)["aggregates"]
    assert isinstance(collection, SerialisedCollection)
    await collection.insert_one({"_id": "a", "n": 0})

    assert collection.write_lock is not None
    async with collection.write_lock:
        writing = asyncio.create_task(
            bulk_write_in_parts(collection, [UpdateOne({"_id": "a"}, {"$inc": {"n": 1}})], ["a"])
        )
        await asyncio.sleep(0.3)
        assert not writing.done()
    assert await writing == (1, 1)
    await mongo.close()
    await drop_resources(settings)
