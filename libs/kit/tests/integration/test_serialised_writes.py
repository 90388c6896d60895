"""Why the kit serialises writes on FerretDB: FerretDB 1.24 loses concurrent updates of one
document; and that it does so only there (MongoDB's writes go as they come)."""

import asyncio

import pytest
from kit.mongo import SerialisedDatabase, connect, database, exclusive_writes
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration


async def test_concurrent_pushes_to_one_document_all_land() -> None:
    settings = isolated(ServiceSettings, service_name="writes")
    mongo = connect(settings)
    db = database(mongo, settings)
    assert isinstance(db, SerialisedDatabase)
    await db.follow_the_store()
    collection = db["aggregates"]
    await collection.insert_one({"_id": "a", "events": []})

    await asyncio.gather(
        *(collection.update_one({"_id": "a"}, {"$push": {"events": n}}) for n in range(100))
    )

    document = await collection.find_one({"_id": "a"})
    assert document is not None and sorted(document["events"]) == list(range(100))
    await mongo.close()
    await drop_resources(settings)


async def test_a_pop_racing_pushes_loses_nothing() -> None:
    settings = isolated(ServiceSettings, service_name="writes")
    mongo = connect(settings)
    collection = database(mongo, settings)["aggregates"]
    await collection.insert_one({"_id": "a", "events": list(range(50))})

    pops = [
        collection.update_one({"_id": "a", "events.0": n}, {"$pop": {"events": -1}})
        for n in range(50)
    ]
    pushes = [
        collection.update_one({"_id": "a"}, {"$push": {"events": 100 + n}}) for n in range(50)
    ]
    await asyncio.gather(*pops, *pushes)

    document = await collection.find_one({"_id": "a"})
    assert document is not None
    assert sorted(document["events"]) == [100 + n for n in range(50)]
    await mongo.close()
    await drop_resources(settings)


async def test_the_raw_driver_on_ferretdb_is_why() -> None:
    """Documents the server's behaviour; on MongoDB 7 every push lands and this would fail."""
    settings = isolated(ServiceSettings, service_name="writes")
    raw: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url)
    info = await raw.admin.command("buildInfo")
    if "ferretdb" not in str(info).lower():
        pytest.skip("only FerretDB loses concurrent updates")
    collection = raw[settings.database_name]["aggregates"]
    await collection.insert_one({"_id": "a", "events": []})
    await asyncio.gather(
        *(collection.update_one({"_id": "a"}, {"$push": {"events": n}}) for n in range(100))
    )
    document = await collection.find_one({"_id": "a"})
    assert document is not None and len(document["events"]) < 100  # type: ignore[arg-type]
    await raw.close()
    await drop_resources(settings)


async def test_the_store_here_is_ferretdb_so_writes_take_turns() -> None:
    settings = isolated(ServiceSettings, service_name="writes")
    mongo = connect(settings)
    db = database(mongo, settings)
    assert isinstance(db, SerialisedDatabase)

    await db.follow_the_store()

    assert db.serialises_writes
    await mongo.close()


@pytest.mark.parametrize("ferretdb", [True, False])
async def test_a_write_waits_for_the_turn_held_only_where_writes_take_turns(
    ferretdb: bool,
) -> None:
    settings = isolated(ServiceSettings, service_name="writes")
    mongo = connect(settings)
    db = database(mongo, settings)
    assert isinstance(db, SerialisedDatabase)
    db.serialises_writes = ferretdb  # as follow_the_store sets it from the store's build info
    collection = db["aggregates"]

    async with exclusive_writes(collection):
        write = asyncio.create_task(collection.insert_one({"_id": "b"}))
        done, _ = await asyncio.wait([write], timeout=2)
        went_through = bool(done)
    await write

    assert went_through is not ferretdb
    await mongo.close()
    await drop_resources(settings)
