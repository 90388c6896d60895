"""What the fault tests share: the events of a type counted off the suite's exchange, the
store read directly, a component killed or restarted, and the table of every fault's counts."""

import asyncio
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
from prometheus_client.parser import text_string_to_metric_families
from pymongo import AsyncMongoClient

from infra.local.suite import Suite

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
CREATE = """
mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }
"""

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


async def count_documents(
    suite: Suite, service: str, collection: str, where: dict[str, Any] | None = None
) -> int:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        suite.environment(service).get("MONGODB_URL", MONGODB_URL)
    )
    try:
        database = client[suite.environment(service)["MONGODB_DATABASE"]]
        return await database[collection].count_documents(where or {})
    finally:
        await client.close()


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
