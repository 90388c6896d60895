"""What the tests of the outbox's batches share: a store and a bus of their own, and what the
relay publishes at a drain."""

from dataclasses import dataclass

import aio_pika
from kit.bus import EventBus
from kit.events import from_wire
from kit.mongo import Document
from kit.outbox import OutboxRelay
from kit.settings import ServiceSettings
from pymongo.asynchronous.database import AsyncDatabase


@dataclass
class Store:
    bus: EventBus
    db: AsyncDatabase[Document]


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
