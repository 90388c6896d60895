"""What the tests of the outbox's batches share: a store and a bus of their own (each module
names its service in its own `settings` fixture, and imports `store`), and what the relay
publishes at a drain."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import aio_pika
import pytest_asyncio
from kit.bus import EventBus
from kit.events import from_wire
from kit.mongo import Document, connect, database
from kit.outbox import OutboxRelay
from kit.settings import ServiceSettings
from pymongo.asynchronous.database import AsyncDatabase


@dataclass
class Store:
    bus: EventBus
    db: AsyncDatabase[Document]


@pytest_asyncio.fixture(loop_scope="session")
async def store(settings: ServiceSettings) -> AsyncIterator[Store]:
    bus = EventBus(settings)
    await bus.connect()
    mongo = connect(settings)
    yield Store(bus, database(mongo, settings))
    await bus.close()
    await mongo.close()


async def published(settings: ServiceSettings, relay: OutboxRelay, routing: str) -> list[int]:
    """What the relay publishes at its next drain, as the numbers the events carry, in order."""
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel()
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(settings.event_exchange, routing_key=routing)
    await relay.drain()
    numbers = []
    while (message := await queue.get(timeout=3, fail=False)) is not None:
        numbers.append(from_wire(message.body).data["n"])
        await message.ack()
    await connection.close()
    return numbers
