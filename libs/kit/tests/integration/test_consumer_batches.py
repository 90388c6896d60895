"""Batches against real RabbitMQ and FerretDB: one inbox write per batch (its events looked up
by id), a failing event put back alone while the rest of its batch is applied, redeliveries skipped.

Each test holds its consumer on a first event (the gate) while it publishes the rest, so
that they wait, delivered, for the next batch."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import aio_pika
import pytest
import pytest_asyncio
from kit.bus import EventBus
from kit.consumer import BatchHandler, EventConsumer, Inbox
from kit.events import Event, new_event
from kit.mongo import connect, database
from kit.settings import ServiceSettings
from kit.testing import FINDS, drop_resources, eventually, isolated

pytestmark = pytest.mark.integration

GATE = "partyorg.test.gate.v1"
BATCHED = "partyorg.test.batched.v1"


@dataclass
class Recorded:
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    at_gate: asyncio.Event = field(default_factory=asyncio.Event)
    batches: list[list[str]] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)


@pytest_asyncio.fixture(loop_scope="session")
async def bus() -> AsyncIterator[EventBus]:
    settings = isolated(ServiceSettings, service_name="batches", max_deliveries=2)
    bus = EventBus(settings)
    await bus.connect()
    yield bus
    await bus.close()
    await drop_resources(settings)


async def start_consumer(bus: EventBus, recorded: Recorded) -> EventConsumer:
    async def wait_at_the_gate(event: Event) -> None:
        recorded.at_gate.set()
        await recorded.gate.wait()

    async def apply_many(events: Sequence[Event]) -> None:
        recorded.batches.append([event.id for event in events])
        if any(event.data.get("poison") for event in events):
            raise RuntimeError("the handler cannot apply a poisoned event")
        recorded.applied.extend(event.id for event in events)

    mongo = connect(bus.settings)
    consumer = EventConsumer(
        bus,
        Inbox(database(mongo, bus.settings)["inbox"]),
        {GATE: wait_at_the_gate, BATCHED: BatchHandler(apply_many)},
        max_deliveries=bus.settings.max_deliveries,
    )
    await consumer.start()
    return consumer


async def ready_messages(bus: EventBus) -> int:
    connection = await aio_pika.connect(bus.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(bus.settings.queue_name, passive=True)
        return int(queue.declaration_result.message_count or 0)


async def dead_letters(bus: EventBus) -> int:
    connection = await aio_pika.connect(bus.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(f"{bus.settings.queue_name}.dead", passive=True)
        return int(queue.declaration_result.message_count or 0)


async def publish_behind_the_gate(
    bus: EventBus, recorded: Recorded, events: list[dict[str, object]]
) -> None:
    """Publish the events while the consumer waits at the gate, until all are delivered to it."""
    await bus.publish(new_event(GATE, "/test", {}))
    await asyncio.wait_for(recorded.at_gate.wait(), 10)
    assert all(outcome is None for outcome in await bus.publish_many(events))

    async def all_delivered() -> None:
        assert await ready_messages(bus) == 0

    await eventually(all_delivered)


async def test_a_batch_takes_one_inbox_write_and_looks_each_event_up_by_id(
    bus: EventBus,
) -> None:
    recorded = Recorded()
    consumer = await start_consumer(bus, recorded)
    events = [new_event(BATCHED, "/test", {"n": n}) for n in range(100)]
    FINDS.watch(bus.settings.database_name)
    await publish_behind_the_gate(bus, recorded, events)
    recorded.gate.set()

    async def all_applied_and_remembered() -> None:
        assert consumer.applied == 101  # counted once the inbox has them

    await eventually(all_applied_and_remembered)
    assert recorded.batches == [[event["id"] for event in events]]
    assert FINDS.sent("insert", "inbox") == 2  # the gate's batch, then the hundred's
    assert FINDS.sent("find", "inbox") == 101  # by key, never an `$in` scan of the inbox
    FINDS.stop()


async def test_a_failing_event_is_dead_lettered_alone_while_the_rest_of_its_batch_applies(
    bus: EventBus,
) -> None:
    recorded = Recorded()
    consumer = await start_consumer(bus, recorded)
    events = [new_event(BATCHED, "/test", {"n": n, "poison": n == 7}) for n in range(20)]
    poisoned = events[7]["id"]
    await publish_behind_the_gate(bus, recorded, events)
    recorded.gate.set()

    async def dead_lettered() -> None:
        assert await dead_letters(bus) == 1

    await eventually(dead_lettered, timeout=30)
    assert recorded.batches[0] == [event["id"] for event in events]  # tried at once, then alone
    assert sorted(recorded.applied) == sorted(e["id"] for e in events if e["id"] != poisoned)
    assert 2 <= recorded.batches.count([poisoned]) <= 3  # alone: its deliveries, bounded
    assert await consumer.inbox.applied_among([e["id"] for e in events]) == set(recorded.applied)


async def test_events_delivered_again_are_not_applied_again(bus: EventBus) -> None:
    recorded = Recorded()
    consumer = await start_consumer(bus, recorded)
    first = [new_event(BATCHED, "/test", {"n": n}) for n in range(30)]
    await publish_behind_the_gate(bus, recorded, first)
    recorded.gate.set()

    async def applied(count: int) -> None:
        assert len(recorded.applied) == count

    await eventually(lambda: applied(30))
    again = [*first[:10], *(new_event(BATCHED, "/test", {"n": n}) for n in range(30, 35))]
    await bus.publish_many([*again, *again])  # each twice, once more for the first ten
    await eventually(lambda: applied(35))
    await asyncio.sleep(0.5)
    assert sorted(recorded.applied) == sorted(event["id"] for event in (*first, *again[10:]))
    assert consumer.applied == 1 + 35
