from collections.abc import AsyncIterator

import pytest_asyncio
from kit.testing import ServiceUnderTest, isolated, serve
from organisations.clock import SettableClock
from organisations.config import Settings
from organisations.main import create_app


@pytest_asyncio.fixture(loop_scope="session")
async def clock() -> SettableClock:
    return SettableClock()


@pytest_asyncio.fixture(loop_scope="session")
async def service(clock: SettableClock) -> AsyncIterator[ServiceUnderTest]:
    settings = isolated(Settings)
    async with serve(lambda s: create_app(s, clock), settings) as running:
        running.headers["x-actor"] = "secretary%20Nguy%E1%BB%85n%20V%C4%83n%20A"
        yield running
