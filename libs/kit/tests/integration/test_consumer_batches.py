"""Batches against real RabbitMQ and FerretDB: two inbox writes per batch (its claim, then its
mark), a failing event put back alone while the rest of its batch is applied, redeliveries
skipped, an event claimed by a batch that never finished taken over once its claim lapses.

Each test holds its consumer on a first event (the gate) while it publishes the rest, so
that they wait, delivered, for the next batch."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aio_pika
import pytest
import pytest_asyncio
from kit.bus import EventBus
from kit.consumer import BatchHandler, EventConsumer
from kit.events import Event, from_wire, new_event, to_wire
from kit.inbox import Claim, Inbox
from kit.mongo import Document, connect, database
from kit.settings import ServiceSettings
from kit.testing import FINDS, drop_resources, eventually, isolated
from pymongo.asynchronous.collection import AsyncCollection

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


class MarksAtAGate(Inbox):
    """The inbox, its marks held until the gate opens: batches applied and not yet marked."""

    def __init__(self, collection: AsyncCollection[Document], gate: asyncio.Event) -> None:
        super().__init__(collection)
        self.gate = gate

    async def mark_applied(self, claim: Claim, applied: int) -> None:
        await self.gate.wait()
        await super().mark_applied(claim, applied)


async def start_consumer(
    bus: EventBus, recorded: Recorded, lease: float = 60.0, marks: asyncio.Event | None = None
) -> EventConsumer:
    async def wait_at_the_gate(event: Event) -> None:
        recorded.at_gate.set()
        await recorded.gate.wait()

    async def apply_many(events: Sequence[Event]) -> None:
        recorded.batches.append([event.id for event in events])
        if any(event.data.get("poison") for event in events):
            raise RuntimeError("the handler cannot apply a poisoned event")
        recorded.applied.extend(event.id for event in events)

    inbox = database(connect(bus.settings), bus.settings)["inbox"]
    consumer = EventConsumer(
        bus,
        Inbox(inbox, lease=lease) if marks is None else MarksAtAGate(inbox, marks),
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


async def test_a_batch_claims_its_events_in_one_inbox_write_and_marks_them_in_another(
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
    assert FINDS.sent("insert", "inbox") == 4  # claimed and marked: the gate's, the hundred's
    assert FINDS.sent("find", "inbox") == 0  # nothing read when no event was claimed before
    FINDS.stop()


async def test_the_next_batch_is_applied_while_one_is_marked_and_none_is_acked_before_its_mark(
    bus: EventBus,
) -> None:
    recorded, marks = Recorded(), asyncio.Event()
    consumer = await start_consumer(bus, recorded, marks=marks)
    events = [new_event(BATCHED, "/test", {"n": n}) for n in range(10)]
    await publish_behind_the_gate(bus, recorded, events)
    recorded.gate.set()  # the gate's batch applied, its mark held

    async def applied_while_the_first_is_marked() -> None:
        assert recorded.applied == [event["id"] for event in events]

    await eventually(applied_while_the_first_is_marked)
    await asyncio.sleep(0.3)
    assert consumer.applied == 0  # counted, then acknowledged, only once marked
    assert await consumer.inbox.applied_among([e["id"] for e in events]) == set()
    marks.set()

    async def all_marked_and_acknowledged() -> None:
        assert consumer.applied == 11
        assert await ready_messages(bus) == 0

    await eventually(all_marked_and_acknowledged)
    assert await consumer.inbox.applied_among([e["id"] for e in events]) == set(recorded.applied)


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


async def test_an_event_claimed_by_a_batch_that_never_finished_is_applied_once_its_claim_lapses(
    bus: EventBus,
) -> None:
    recorded = Recorded()
    consumer = await start_consumer(bus, recorded, lease=2.0)
    stranded, fresh = (new_event(BATCHED, "/test", {"n": n}) for n in range(2))
    claimed = {"claim": "claim:stopped", "claimed_at": datetime.now(UTC), "type": BATCHED}
    await consumer.inbox.collection.insert_one({"_id": stranded["id"], **claimed})
    await publish_behind_the_gate(bus, recorded, [stranded, fresh])
    recorded.gate.set()

    async def applied(ids: list[object]) -> None:
        assert recorded.applied == ids

    await eventually(lambda: applied([fresh["id"]]))  # the stranded one waits for its claim
    await eventually(lambda: applied([fresh["id"], stranded["id"]]), timeout=10)
    assert await consumer.inbox.applied_among([stranded["id"], fresh["id"]]) == {
        stranded["id"],
        fresh["id"],
    }
    await asyncio.sleep(0.5)
    assert recorded.applied == [fresh["id"], stranded["id"]]


async def test_an_event_another_batch_claimed_and_applied_is_acknowledged_unapplied(
    bus: EventBus,
) -> None:
    recorded = Recorded()
    consumer = await start_consumer(bus, recorded)
    done, fresh = (new_event(BATCHED, "/test", {"n": n}) for n in range(2))
    claimed = {"claim": "claim:elsewhere", "claimed_at": datetime.now(UTC), "type": BATCHED}
    await consumer.inbox.collection.insert_one({"_id": done["id"], **claimed})
    await consumer.inbox.collection.insert_one(
        {"_id": "claim:elsewhere", "applied_at": datetime.now(UTC), "events": 1}
    )
    await publish_behind_the_gate(bus, recorded, [done, fresh])
    recorded.gate.set()

    async def applied_and_settled() -> None:
        assert recorded.applied == [fresh["id"]]
        assert consumer.applied == 2  # the gate and the fresh one
        assert await ready_messages(bus) == 0

    await eventually(applied_and_settled)
    assert await consumer.inbox.has_applied(done["id"])


async def test_two_batches_claiming_the_same_events_at_once_share_them_out(
    bus: EventBus,
) -> None:
    collection = database(connect(bus.settings), bus.settings)["inbox_race"]
    events = [from_wire(to_wire(new_event(BATCHED, "/test", {"n": n}))) for n in range(40)]
    one, other = Inbox(collection), Inbox(collection)
    first, second = await asyncio.gather(one.claim(events[:30]), other.claim(events[10:]))
    assert not set(first.fresh) & set(second.fresh)
    assert set(first.fresh) | set(second.fresh) == {e.id for e in events}
    overlap = {e.id for e in events[10:30]}
    # an event the other claimed first is held, not applied: that batch has not marked it
    assert set(first.held) | set(second.held) == overlap
    await one.mark_applied(first, len(first.fresh))
    assert (await other.claim(events[:10])).applied == {e.id for e in events[:10]}
    await collection.drop()
