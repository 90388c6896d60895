"""The store and bus of the tests of the outbox's batches (each module names its service in
its own `settings` fixture)."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from kit.bus import EventBus
from kit.mongo import connect, database
from kit.settings import ServiceSettings

sys.path.insert(0, str(Path(__file__).parent))  # for batch_support
from batch_support import Store


@pytest_asyncio.fixture(loop_scope="session")
async def store(settings: ServiceSettings) -> AsyncIterator[Store]:
    bus = EventBus(settings)
    await bus.connect()
    mongo = connect(settings)
    yield Store(bus, database(mongo, settings))
    await bus.close()
    await mongo.close()
