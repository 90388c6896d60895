"""The consumer against real RabbitMQ and FerretDB: at-least-once, idempotent, dead letters."""

import asyncio
from collections.abc import AsyncIterator

import aio_pika
import pytest
import pytest_asyncio
from kit.bus import EventBus
from kit.consumer import EventConsumer
from kit.events import Event, new_event
from kit.inbox import Inbox
from kit.mongo import connect, database
from kit.settings import ServiceSettings
from kit.testing import drop_resources, eventually, isolated

pytestmark = pytest.mark.integration

FAILING = "partyorg.test.always_fails.v1"
COUNTED = "partyorg.test.counted.v1"


@pytest_asyncio.fixture(loop_scope="session")
async def bus() -> AsyncIterator[EventBus]:
    settings = isolated(ServiceSettings, service_name="consumer", max_deliveries=2)
    bus = EventBus(settings)
    await bus.connect()
    yield bus
    await bus.close()
    await drop_resources(settings)


async def start_consumer(bus: EventBus, calls: list[str]) -> EventConsumer:
    async def always_fails(event: Event) -> None:
        calls.append(event.id)
        raise RuntimeError("the handler cannot apply this event")

    async def counted(event: Event) -> None:
        calls.append(event.id)

    mongo = connect(bus.settings)
    consumer = EventConsumer(
        bus,
        Inbox(database(mongo, bus.settings)["inbox"]),
        {FAILING: always_fails, COUNTED: counted},
        max_deliveries=bus.settings.max_deliveries,
    )
    await consumer.start()
    return consumer


async def dead_letters(bus: EventBus) -> int:
    connection = await aio_pika.connect(bus.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(f"{bus.settings.queue_name}.dead", passive=True)
        return int(queue.declaration_result.message_count or 0)


async def test_an_event_whose_handler_keeps_failing_is_dead_lettered_after_bounded_deliveries(
    bus: EventBus,
) -> None:
    calls: list[str] = []
    await start_consumer(bus, calls)
    event = new_event(FAILING, "/test", {"n": 1})
    await bus.publish(event)

    async def dead_lettered() -> None:
        assert await dead_letters(bus) == 1

    await eventually(dead_lettered, timeout=30)
    assert 2 <= calls.count(event["id"]) <= 3  # the first delivery and the bounded retries


async def test_a_redelivered_event_is_applied_once(bus: EventBus) -> None:
    calls: list[str] = []
    consumer = await start_consumer(bus, calls)
    event = new_event(COUNTED, "/test", {"n": 2})
    await bus.publish(event)
    await bus.publish(event)

    async def applied() -> None:
        assert await consumer.inbox.has_applied(event["id"])

    await eventually(applied)
    await asyncio.sleep(0.5)
    assert calls.count(event["id"]) == 1
