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
from tests.faults.alone import nothing_lost, organisations_alone, writing
from tests.faults.private_store import PrivateStore, ferretdb_binary
from tests.faults.world import (
    record,
)

RECOVERY_SECONDS = 30


@pytest_asyncio.fixture
async def on_a_private_store(tmp_path: Path) -> AsyncIterator[tuple[Suite, PrivateStore]]:
    if ferretdb_binary() is None:
        pytest.fail("no FerretDB binary: `make infra` builds it")
    with PrivateStore(tmp_path / "ferretdb") as store:
        async with organisations_alone(tmp_path / "suite", MONGODB_URL=store.url) as suite:
            yield suite, store


async def test_the_store_killed_during_writes_loses_no_acknowledged_write(
    on_a_private_store: tuple[Suite, PrivateStore],
) -> None:
    suite, store = on_a_private_store
    async with writing(suite, at_least=20) as (client, writers, tally):
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
        stored = await nothing_lost(suite, writers, tally)

    during = Counter(code for _, code, _ in writers.refused_since(killed_at + 1))
    assert set(during) <= {"SERVICE_UNAVAILABLE"}, during
    messages = {message for *_, message in writers.refusals}
    assert not any("Traceback" in m or 'File "' in m for m in messages), messages
    record(
        "the store (FerretDB) killed with kill -9 during writes",
        acknowledged=len(writers.acknowledged),
        stored=stored,
        refused_unavailable=during["SERVICE_UNAVAILABLE"],
        events_distinct=tally.distinct,
        seconds_to_recover=round(recovered_in),
    )
