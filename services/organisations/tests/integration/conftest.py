from collections.abc import AsyncIterator

import pytest_asyncio
from kit.clock import Clock
from kit.testing import ServiceUnderTest, isolated, serve
from organisations.config import Settings
from organisations.main import create_app

from services.organisations.tests.integration.support import EventTap, tap


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def service(clock: Clock) -> AsyncIterator[ServiceUnderTest]:
    settings = isolated(Settings)
    # requests carry the gateway's token for kit.testing.STAFF unless a test names another
    async with serve(lambda s: create_app(s, clock), settings) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def events(service: ServiceUnderTest) -> AsyncIterator[EventTap]:
    async with tap(service.settings) as found:
        yield found


@pytest_asyncio.fixture(loop_scope="session", autouse=True)
async def real_today(clock: Clock) -> AsyncIterator[None]:
    yield
    clock.set_today(None)
