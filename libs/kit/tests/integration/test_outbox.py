"""The outbox against real FerretDB and RabbitMQ: published once confirmed, then removed."""

import asyncio
from collections.abc import AsyncIterator

import aio_pika
import pytest
import pytest_asyncio
from kit.bus import EventBus
from kit.events import from_wire, new_event
from kit.mongo import connect, database
from kit.outbox import PENDING, OutboxRelay
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated

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
