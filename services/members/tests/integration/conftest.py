"""The members service running in-process against real FerretDB and RabbitMQ."""

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest_asyncio
from kit.mongo import Document
from kit.testing import ServiceUnderTest, isolated, serve
from members.config import Settings
from members.main import create_app
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

sys.path.insert(0, str(Path(__file__).parent))  # for members_support


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def service() -> AsyncIterator[ServiceUnderTest]:
    async with serve(create_app, isolated(Settings, partyorg_today="2019-10-01")) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def db(service: ServiceUnderTest) -> AsyncIterator[AsyncDatabase[Document]]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(service.settings.mongodb_url)
    yield client[service.settings.database_name]
    await client.close()


class Published:
    """Every event the service publishes on its exchange, as another service would see them."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def of_type(self, event_type: str, **data: Any) -> list[dict[str, Any]]:
        return [
            event
            for event in self.events
            if event["type"] == event_type
            and all(event["data"].get(k) == v for k, v in data.items())
        ]

    def one(self, event_type: str, **data: Any) -> dict[str, Any]:
        found = self.of_type(event_type, **data)
        assert len(found) == 1, f"{len(found)} {event_type} events for {data}"
        return found[0]


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def published(service: ServiceUnderTest) -> AsyncIterator[Published]:
    seen = Published()
    connection = await aio_pika.connect(service.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            service.settings.event_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, routing_key="partyorg.members.#")

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                seen.events.append(json.loads(message.body))

        await queue.consume(collect)
        yield seen
