"""What the fault tests share: the events of a type counted off the suite's exchange, the
store read directly, a component killed or restarted, and the table of every fault's counts."""

import asyncio
import contextlib
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
from kit.testing import eventually
from prometheus_client.parser import text_string_to_metric_families
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from infra.local.suite import SERVICES, Suite

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
CREATE = """
mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }
"""

WRITING = {"state": "WRITING"}  # outbox batches (kit.event_batches)
UNSENT = {"state": {"$ne": "SENT"}}
HAS_PENDING = {"pending_events.id": {"$exists": True}}  # kit.outbox

FAULTS: list[tuple[str, dict[str, int]]] = []  # printed at the end of the run (conftest)


def record(fault: str, **counts: int) -> None:
    """One row of the fault table: what the fault was, what was counted after it."""
    FAULTS.append((fault, counts))
    print(f"\n{fault}: {counts}")


def city_committee(code: str) -> dict[str, Any]:
    return {"input": {"code": code, "name": f"Thành uỷ {code}", "kind": "CITY_COMMITTEE"}}


@dataclass
class EventTally:
    """Every message of some event types published on an exchange: ids and how often each."""

    amqp_url: str
    exchange: str
    types: tuple[str, ...]
    seen: Counter[str] = field(default_factory=Counter)
    bodies: dict[str, bytes] = field(default_factory=dict)
    _connection: aio_pika.abc.AbstractRobustConnection | None = None

    async def __aenter__(self) -> "EventTally":
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel()
        exchange = await channel.get_exchange(self.exchange)
        queue = await channel.declare_queue(exclusive=True)
        for event_type in self.types:
            await queue.bind(exchange, routing_key=event_type)

        async def count(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                event_id = message.message_id or ""
                self.seen[event_id] += 1
                self.bodies[event_id] = message.body

        await queue.consume(count)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._connection is not None:
            await self._connection.close()

    @property
    def distinct(self) -> int:
        return len(self.seen)

    @property
    def again(self) -> int:
        """Messages published more than once (the same event id)."""
        return sum(self.seen.values()) - len(self.seen)


@contextlib.asynccontextmanager
async def database_of(suite: Suite, service: str) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    """The service's database, read and written behind its back."""
    environment = suite.environment(service)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        environment.get("MONGODB_URL", MONGODB_URL)
    )
    try:
        yield client[environment["MONGODB_DATABASE"]]
    finally:
        await client.close()


async def count_documents(
    suite: Suite, service: str, collection: str, where: dict[str, Any] | None = None
) -> int:
    async with database_of(suite, service) as database:
        return await database[collection].count_documents(where or {})


async def age_writing_batches(suite: Suite, service: str) -> int:
    """Make the service's WRITING outbox batches look older than any write still under way, as
    they are ten minutes after a kill (kit.event_batches.ABANDONED_AFTER) — instead of waiting;
    how many there were."""
    async with database_of(suite, service) as database:
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        aged = await database["outbox"].update_many(WRITING, {"$set": {"written_at": long_ago}})
        return aged.modified_count


async def unsent_events(suite: Suite, service: str) -> int:
    """Events the service has stored and not published: pending in documents, and outbox
    batches not SENT (counted as one each)."""
    async with database_of(suite, service) as database:
        unsent = await database["outbox"].count_documents(UNSENT)
        for name in await database.list_collection_names():
            if name not in ("outbox", "inbox"):
                unsent += await database[name].count_documents(HAS_PENDING)
        return unsent


async def waiting_in_queues(suite: Suite) -> int:
    """Messages ready in the services' queues (not those delivered and not acknowledged)."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        waiting = 0
        for service in SERVICES:
            queue = await channel.declare_queue(f"{suite.exchange}.{service}", passive=True)
            waiting += int(queue.declaration_result.message_count or 0)
        return waiting


async def quiet(suite: Suite) -> None:
    """Wait until every service has published what it stored and every queue is empty, twice
    in a row a second apart: a crash point met next is met by what the test does next."""

    async def still() -> None:
        for _ in range(2):
            for service in SERVICES:
                assert await unsent_events(suite, service) == 0, f"{service} has events unsent"
            assert await waiting_in_queues(suite) == 0, "events wait in a queue"
            await asyncio.sleep(1)

    await eventually(still, timeout=180, interval=1)


async def applied_in_inbox(suite: Suite, service: str, event_ids: Collection[str]) -> int:
    """Of these events, how many the service's inbox holds as applied (claimed by a batch
    whose claim is marked, or marked themselves)."""
    wanted = set(event_ids)
    async with database_of(suite, service) as database:
        inbox = database["inbox"]
        records = [
            r async for r in inbox.find({"claim": {"$exists": True}}, {"claim": 1, "applied_at": 1})
        ]
        records = [r for r in records if r["_id"] in wanted]
        claims = sorted({r["claim"] for r in records})
        marked = {c["_id"] async for c in inbox.find({"_id": {"$in": claims}}, {"_id": 1})}
        return sum(1 for r in records if "applied_at" in r or r["claim"] in marked)


async def died_of_sigkill(suite: Suite, name: str, timeout: float = 60.0) -> None:
    """Wait until the component has killed itself at its crash point."""
    process = suite.processes[name]
    returncode = await asyncio.to_thread(process.wait, timeout)
    assert returncode == -signal.SIGKILL, f"{name} ended with {returncode}, not SIGKILL"


def kill_9(suite: Suite, name: str) -> None:
    process = suite.processes[name]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


async def restart(suite: Suite, name: str, crash_at: str | None = None) -> None:
    """Start the component again (its last process is gone), crashing at `crash_at` if given;
    wait for it to be ready."""
    process = suite.processes.get(name)
    if process is not None and process.poll() is None:
        kill_9(suite, name)
    env = {"PARTYORG_CRASH_AT": crash_at} if crash_at else {}
    suite.start(name, env=env)
    await asyncio.to_thread(suite.wait_ready, (name,), 90.0)


async def applied_by(suite: Suite, service: str, event_type: str) -> int:
    """Events of this type the service's process has applied since it started (its /metrics)."""
    async with httpx.AsyncClient() as client:
        text = (await client.get(f"{suite.url(service)}/metrics")).text
    return sum(
        int(sample.value)
        for family in text_string_to_metric_families(text)
        if family.name == "partyorg_events_applied"
        for sample in family.samples
        if sample.name.endswith("_total") and sample.labels.get("type") == event_type
    )
