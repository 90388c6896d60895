"""The organisations service alone, on a store and broker URL of the test's choosing (a
private FerretDB, a fault proxy), called as the gateway would call it, with writers that
create organisations one after another and keep each outcome."""

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from kit.identity import IDENTITY_HEADER
from kit.testing import STAFF, delete_from_broker, eventually

from infra.local.suite import DEFAULT_PORTS, Suite, free_port
from tests.e2e.left_databases import LEFT
from tests.faults.world import (
    AMQP_URL,
    CREATE,
    ORGANISATION_REGISTERED,
    EventTally,
    city_committee,
    count_documents,
)


@contextlib.asynccontextmanager
async def organisations_alone(run_dir: Path, **urls: str) -> AsyncIterator[Suite]:
    """`urls`: MONGODB_URL and AMQP_URL to give the service instead of the shared ones."""
    run_id = uuid.uuid4().hex[:8]
    suite = Suite(
        ports={name: free_port() for name in DEFAULT_PORTS},
        database_prefix=f"faults_alone_{run_id}_",
        exchange=f"faults-alone.{run_id}",
        run_dir=run_dir,
        extra_env={"OUTBOX_POLL_SECONDS": "0.2", "LOG_LEVEL": "INFO", **urls},
    )
    try:
        suite.start("organisations")
        await asyncio.to_thread(suite.wait_ready, ("organisations",))
        yield suite
    finally:
        await asyncio.to_thread(suite.stop)
        await delete_from_broker(AMQP_URL, suite.exchange, ["organisations"])
        LEFT.append(suite.database_prefix)  # on the shared store: dropped at the session's end


def service_client(suite: Suite) -> httpx.AsyncClient:
    headers = {IDENTITY_HEADER: suite.keys.identity_for(STAFF, ttl_seconds=900)}
    return httpx.AsyncClient(base_url=suite.url("organisations"), headers=headers, timeout=60)


class Writers:
    """Organisations created one after another by a few writers, each outcome kept."""

    def __init__(self, client: httpx.AsyncClient, count: int = 4) -> None:
        self.client = client
        self.count = count
        self.acknowledged: list[tuple[float, str]] = []
        self.refusals: list[tuple[float, str, str]] = []  # time, code, message
        self._stopped = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._write()) for _ in range(self.count)]

    async def stop(self) -> None:
        self._stopped.set()
        await asyncio.gather(*self._tasks)
        self._tasks = []

    async def _write(self) -> None:
        while not self._stopped.is_set():
            code = f"S-{uuid.uuid4().hex[:8].upper()}"
            body = {"query": CREATE, "variables": city_committee(code)}
            try:
                answer = (await self.client.post("/graphql", json=body)).json()
            except httpx.HTTPError as error:
                self.refusals.append((time.monotonic(), "NO_ANSWER", type(error).__name__))
                continue
            if answer.get("errors"):
                first = answer["errors"][0]
                code_given = first.get("extensions", {}).get("code", "NO_CODE")
                self.refusals.append((time.monotonic(), code_given, first["message"]))
            else:
                self.acknowledged.append((time.monotonic(), code))

    def acknowledged_since(self, moment: float) -> int:
        return sum(1 for at, _ in self.acknowledged if at > moment)

    def refused_since(self, moment: float) -> list[tuple[float, str, str]]:
        return [refusal for refusal in self.refusals if refusal[0] > moment]

    @property
    def codes(self) -> list[str]:
        return [code for _, code in self.acknowledged]


@contextlib.asynccontextmanager
async def writing(
    suite: Suite, at_least: int
) -> AsyncIterator[tuple[httpx.AsyncClient, Writers, EventTally]]:
    """Writers at work on the service (`at_least` writes acknowledged before this yields),
    the service's client, and its organisations' events counted."""
    async with (
        service_client(suite) as client,
        EventTally(AMQP_URL, suite.exchange, (ORGANISATION_REGISTERED,)) as tally,
    ):
        writers = Writers(client)
        writers.start()

        async def some_acknowledged() -> None:
            assert len(writers.acknowledged) >= at_least

        await eventually(some_acknowledged, timeout=60)
        try:
            yield client, writers, tally
        finally:
            await writers.stop()


async def nothing_lost(suite: Suite, writers: Writers, tally: EventTally) -> int:
    """Every acknowledged write is stored, and every stored organisation's event published
    (some more than once, the same id): how many are stored."""
    acknowledged = writers.codes
    stored_acknowledged = await count_documents(
        suite, "organisations", "organisations", {"code": {"$in": acknowledged}}
    )
    assert stored_acknowledged == len(acknowledged)
    stored = await count_documents(suite, "organisations", "organisations")

    async def every_stored_one_told() -> None:
        assert tally.distinct == stored

    await eventually(every_stored_one_told, timeout=30, interval=0.5)
    return stored
