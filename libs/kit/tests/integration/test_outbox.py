"""The outbox against real FerretDB and RabbitMQ: published once confirmed, then removed by
id — in batches, each document's events in order, whatever else writes the document."""

import asyncio
from collections.abc import AsyncIterator, Sequence

import aio_pika
import pytest
import pytest_asyncio
from kit.aggregates import Change, save_aggregates
from kit.bus import EventBus
from kit.events import from_wire, new_event
from kit.mongo import Document, connect, database
from kit.outbox import PENDING, OutboxRelay
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.collection import AsyncCollection

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture(loop_scope="session")
async def settings() -> AsyncIterator[ServiceSettings]:
    settings = isolated(ServiceSettings, service_name="outbox")
    yield settings
    await drop_resources(settings)


async def test_pending_events_are_published_in_order_and_removed(
    settings: ServiceSettings,
) -> None:
    bus = EventBus(settings)
    await bus.connect()
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel()
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(settings.event_exchange, routing_key="partyorg.test.#")

    mongo = connect(settings)
    collection = database(mongo, settings)["aggregates"]
    events = [new_event(f"partyorg.test.step{n}.v1", "/test", {"n": n}) for n in range(3)]
    await collection.insert_one({"_id": "a-1", "name": "x", PENDING: events})

    relay = OutboxRelay(bus, [collection])
    assert await relay.drain() == 3
    assert await relay.drain() == 0
    document = await collection.find_one({"_id": "a-1"})
    assert document is not None and document[PENDING] == []

    received = []
    for _ in range(3):
        message = await queue.get(timeout=5, fail=True)
        assert message is not None
        received.append(from_wire(message.body).data["n"])
        await message.ack()
    assert received == [0, 1, 2]

    await connection.close()
    await bus.close()
    await mongo.close()


async def test_the_relay_waits_for_rabbitmq_and_keeps_the_events(
    settings: ServiceSettings,
) -> None:
    unreachable = settings.model_copy(update={"amqp_url": "amqp://guest:guest@127.0.0.1:1/"})
    bus = EventBus(unreachable)
    mongo = connect(settings)
    collection = database(mongo, settings)["aggregates"]
    await collection.insert_one(
        {"_id": "a-2", PENDING: [new_event("partyorg.test.x.v1", "/t", {})]}
    )
    relay = OutboxRelay(bus, [collection], poll_seconds=0.05)
    running = asyncio.create_task(relay.run())
    await asyncio.sleep(0.3)
    running.cancel()
    document = await collection.find_one({"_id": "a-2"})
    assert document is not None and len(document[PENDING]) == 1
    await mongo.close()


async def test_between_full_scans_the_relay_looks_only_at_what_was_written(
    settings: ServiceSettings,
) -> None:
    bus = EventBus(settings)
    await bus.connect()
    mongo = connect(settings)
    db = database(mongo, settings)
    collection = db["written"]
    relay = OutboxRelay(bus, [collection], full_scan_seconds=3600)
    db.write_listeners.append(relay.note_write)  # type: ignore[attr-defined]
    assert await relay.drain() == 0  # the first drain is a full scan

    unseen = db["written"]
    await AsyncCollection(db, "written").insert_one(  # a write the relay is not told of
        {"_id": "elsewhere", PENDING: [new_event("partyorg.test.a.v1", "/t", {})]}
    )
    await unseen.insert_one({"_id": "here", PENDING: [new_event("partyorg.test.b.v1", "/t", {})]})
    await unseen.update_one(
        {"_id": "here"}, {"$push": {PENDING: new_event("partyorg.test.c.v1", "/t", {})}}
    )

    assert await relay.drain() == 2
    here = await collection.find_one({"_id": "here"})
    elsewhere = await collection.find_one({"_id": "elsewhere"})
    assert here is not None and here[PENDING] == []
    assert elsewhere is not None and len(elsewhere[PENDING]) == 1
    await bus.close()
    await mongo.close()


class Reads(monitoring.CommandListener):
    """The queries a client sends (find and aggregate)."""

    def __init__(self) -> None:
        self.count = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.count += event.command_name in ("find", "aggregate")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_what_was_inserted_is_relayed_as_inserted_and_writes_of_no_event_are_let_be(
    settings: ServiceSettings,
) -> None:
    bus = EventBus(settings)
    await bus.connect()
    reads = Reads()
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(
        settings.mongodb_url, event_listeners=[reads]
    )
    db = database(mongo, settings)
    collection = db["inserted"]
    relay = OutboxRelay(bus, [collection], full_scan_seconds=3600)
    db.write_listeners.append(relay.note_write)  # type: ignore[attr-defined]
    assert await relay.drain() == 0  # the first drain is a full scan

    await collection.insert_many(
        {"_id": f"i-{n}", "n": n, PENDING: [new_event("partyorg.test.i.v1", "/t", {"n": n})]}
        for n in range(20)
    )
    await collection.update_one({"_id": "i-0"}, {"$set": {"name": "renamed"}})  # no event
    reads.count = 0
    assert await relay.drain() == 20
    assert reads.count == 0  # nothing read back: the events went as inserted

    await collection.update_many({"n": {"$gte": 0}}, {"$set": {"seen": True}})  # no event
    await collection.update_one(
        {"_id": "i-7"}, {"$push": {PENDING: new_event("partyorg.test.i.v1", "/t", {"n": 70})}}
    )
    reads.count = 0
    assert await relay.drain() == 1
    assert reads.count == 1  # the one document an event was pushed to, read back by id
    assert await collection.count_documents({f"{PENDING}.0": {"$exists": True}}) == 0
    await bus.close()
    await mongo.close()


async def test_aggregates_saved_in_bulk_are_relayed_as_saved_and_an_event_left_in_front_is_found(
    settings: ServiceSettings,
) -> None:
    bus = EventBus(settings)
    await bus.connect()
    reads = Reads()
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(
        settings.mongodb_url, event_listeners=[reads]
    )
    db = database(mongo, settings)
    collection = db["saved"]
    relay = OutboxRelay(bus, [collection], full_scan_seconds=3600)
    db.write_listeners.append(relay.note_write)  # type: ignore[attr-defined]
    await collection.insert_many({"_id": f"s-{n}", "version": 1, "n": n} for n in range(20))
    assert await relay.drain() == 0  # the first drain is a full scan
    left = new_event("partyorg.test.left.v1", "/t", {})  # a write the relay is not told of
    await AsyncCollection(db, "saved").update_one({"_id": "s-3"}, {"$push": {PENDING: left}})

    changes = [
        Change({"_id": f"s-{n}", "version": 2, "n": n + 100}, [saved_event(n)]) for n in range(20)
    ]
    assert await save_aggregates(collection, changes) == {f"s-{n}" for n in range(20)}
    reads.count = 0
    assert await relay.drain() == 19  # s-3's event is published, but the one in front stays
    assert reads.count == 0  # nothing read back: the events went as saved
    assert await relay.drain() == 2  # s-3 read back: both events, its own published again
    assert await collection.count_documents({f"{PENDING}.0": {"$exists": True}}) == 0
    await bus.close()
    await mongo.close()


def saved_event(n: int) -> Document:
    return new_event("partyorg.test.saved.v1", "/t", {"n": n})


async def received_from(queue: aio_pika.abc.AbstractQueue) -> list[dict[str, int]]:
    received = []
    while (message := await queue.get(timeout=5, fail=False)) is not None:
        received.append(from_wire(message.body).data)
        await message.ack()
    return received


async def test_batches_keep_each_documents_events_in_order(settings: ServiceSettings) -> None:
    bus = EventBus(settings)
    await bus.connect()
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel()
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(settings.event_exchange, routing_key="partyorg.test.ordered.v1")
    mongo = connect(settings)
    collection = database(mongo, settings)["ordered"]
    await collection.insert_many(
        {
            "_id": f"d-{d}",
            PENDING: [
                new_event("partyorg.test.ordered.v1", "/t", {"d": d, "n": n}) for n in range(d % 5)
            ],
        }
        for d in range(40)
    )

    relay = OutboxRelay(bus, [collection], batch_size=7)
    assert await relay.drain() == sum(d % 5 for d in range(40))
    assert await collection.count_documents({f"{PENDING}.0": {"$exists": True}}) == 0
    received = await received_from(queue)
    for d in range(40):
        assert [event["n"] for event in received if event["d"] == d] == list(range(d % 5))
    await connection.close()
    await bus.close()
    await mongo.close()


class PushingMeanwhile(EventBus):
    """A bus during whose publishes another process appends an event to each document."""

    def __init__(self, settings: ServiceSettings, other: AsyncCollection[Document]) -> None:
        super().__init__(settings)
        self.other = other
        self.pushed: list[str] = []

    async def publish_many(self, events: Sequence[Document]) -> list[BaseException | None]:
        outcomes = await super().publish_many(events)
        for event in events:
            late = new_event("partyorg.test.late.v1", "/t", {"after": event["id"]})
            await self.other.update_one({"_id": event["data"]["d"]}, {"$push": {PENDING: late}})
            self.pushed.append(late["id"])
        return outcomes


async def test_events_another_writer_pushes_while_the_relay_publishes_are_kept(
    settings: ServiceSettings,
) -> None:
    mongo = connect(settings)
    collection = database(mongo, settings)["concurrent"]
    bus = PushingMeanwhile(settings, AsyncCollection(collection.database, "concurrent"))
    await bus.connect()
    first = {
        d: [new_event("partyorg.test.first.v1", "/t", {"d": d, "n": n}) for n in range(3)]
        for d in ("a", "b", "c")
    }
    await collection.insert_many({"_id": d, PENDING: events} for d, events in first.items())

    relay = OutboxRelay(bus, [collection], batch_size=100)
    assert await relay.drain() == 9
    documents = [document async for document in collection.find({}).sort("_id")]
    kept = [event["id"] for document in documents for event in document[PENDING]]
    assert sorted(kept) == sorted(bus.pushed)  # one per wave and document: none lost
    assert len(kept) == 9
    await bus.close()
    await mongo.close()
