"""What the services have not finished at the end of a load: messages in their queues (and
dead-letter queues), and documents still holding events to publish (the outboxes)."""

import asyncio
import contextlib
import time
from typing import Any

import aio_pika
from pymongo import AsyncMongoClient

from infra.local.suite import SERVICES, Suite


async def _queued(amqp_url: str, exchange: str) -> dict[str, int]:
    counts = {}
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        for service in SERVICES:
            for queue in (f"{exchange}.{service}", f"{exchange}.{service}.dead"):
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.ChannelClosed):
                    declared = await channel.declare_queue(queue, passive=True)
                    counts[f"queue {queue}"] = declared.declaration_result.message_count or 0
    return counts


async def _pending(mongo_url: str, database_prefix: str) -> dict[str, int]:
    counts = {}
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    try:
        for service in SERVICES:
            database = mongo[f"{database_prefix}{service}"]
            for name in await database.list_collection_names():
                waiting = {"pending_events.0": {"$exists": True}}
                counts[f"outbox {service}.{name}"] = await database[name].count_documents(waiting)
    finally:
        await mongo.close()
    return counts


async def left_over(suite: Suite, mongo_url: str, amqp_url: str, timeout: float) -> dict[str, int]:
    """Queues and outboxes not empty after waiting up to `timeout` seconds for them."""
    deadline = time.monotonic() + timeout
    while True:
        counts = await _queued(amqp_url, suite.exchange)
        counts |= await _pending(mongo_url, suite.database_prefix)
        left = {name: count for name, count in counts.items() if count}
        if not left or time.monotonic() > deadline:
            return left
        await asyncio.sleep(1)
