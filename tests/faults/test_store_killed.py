"""The store killed with `kill -9` while writes go on: the service says it is not ready,
refuses writes with SERVICE_UNAVAILABLE (a plain message, no stack), recovers by itself once
the store is back, and loses no acknowledged write nor its event. A FerretDB of the test's
own (tests/faults/private_store.py); the organisations service is called as the gateway would."""

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from kit.testing import eventually

from infra.local.suite import Suite
from tests.faults.alone import Writers, organisations_alone, service_client
from tests.faults.private_store import PrivateStore, ferretdb_binary
from tests.faults.world import (
    AMQP_URL,
    ORGANISATION_REGISTERED,
    EventTally,
    count_documents,
    record,
)

RECOVERY_SECONDS = 30


@pytest_asyncio.fixture
async def on_a_private_store(tmp_path: Path) -> AsyncIterator[tuple[Suite, PrivateStore]]:
    if ferretdb_binary() is None:
        pytest.fail("no FerretDB binary: `make infra` builds it")
    store = PrivateStore(tmp_path / "ferretdb")
    store.start()
    try:
        async with organisations_alone(tmp_path / "suite", MONGODB_URL=store.url) as suite:
            yield suite, store
    finally:
        store.stop()


async def test_the_store_killed_during_writes_loses_no_acknowledged_write(
    on_a_private_store: tuple[Suite, PrivateStore],
) -> None:
    suite, store = on_a_private_store
    async with (
        service_client(suite) as client,
        EventTally(AMQP_URL, suite.exchange, (ORGANISATION_REGISTERED,)) as tally,
    ):
        writers = Writers(client)
        writers.start()

        async def some_acknowledged() -> None:
            assert len(writers.acknowledged) >= 20

        await eventually(some_acknowledged, timeout=60)
        store.kill_9()
        killed_at = time.monotonic()

        async def not_ready() -> None:
            answer = await client.get("/readyz")
            assert answer.status_code == 503 and answer.json()["mongodb"] is False

        await eventually(not_ready, timeout=20, interval=0.5)

        async def writes_refused() -> None:
            assert len(writers.refused_since(killed_at + 1)) >= 2 * writers.count

        await eventually(writes_refused, timeout=60, interval=0.5)
        store.start()
        back_at = time.monotonic()

        async def ready_and_writing() -> None:
            assert (await client.get("/readyz")).status_code == 200
            assert writers.acknowledged_since(time.monotonic() - 0.5) >= 1

        await eventually(ready_and_writing, timeout=RECOVERY_SECONDS, interval=0.5)
        recovered_in = time.monotonic() - back_at
        await asyncio.sleep(2)
        await writers.stop()

        acknowledged = writers.codes
        stored_acknowledged = await count_documents(
            suite, "organisations", "organisations", {"code": {"$in": acknowledged}}
        )
        assert stored_acknowledged == len(acknowledged)
        stored = await count_documents(suite, "organisations", "organisations")

        async def every_stored_one_told() -> None:
            assert tally.distinct == stored

        await eventually(every_stored_one_told, timeout=30, interval=0.5)

    during = Counter(code for _, code, _ in writers.refused_since(killed_at + 1))
    assert set(during) <= {"SERVICE_UNAVAILABLE"}, during
    messages = {message for *_, message in writers.refusals}
    assert not any("Traceback" in m or 'File "' in m for m in messages), messages
    record(
        "the store (FerretDB) killed with kill -9 during writes",
        acknowledged=len(acknowledged),
        stored=stored,
        acknowledged_and_stored=stored_acknowledged,
        refused_unavailable=during["SERVICE_UNAVAILABLE"],
        events_distinct=tally.distinct,
        seconds_to_recover=round(recovered_in),
    )
