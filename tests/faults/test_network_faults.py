"""Network faults between a service and its store and broker, through toxiproxy: latency,
connections cut, half-open connections (toxiproxy's `timeout` toxic at 0: nothing passes and
nothing is closed until the fault is taken off). After each the service is ready and writes
again within 30 s, and no acknowledged write nor its event is lost."""

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest_asyncio
from kit.testing import eventually

from infra.local.suite import Suite
from tests.faults.alone import Writers, nothing_lost, organisations_alone, writing
from tests.faults.fault_proxy import FaultProxy
from tests.faults.world import (
    AMQP_URL,
    MONGODB_URL,
    record,
)

RECOVERY_SECONDS = 30
FAULT_SECONDS = 6
BOTH = ("store", "broker")


def through(url: str, port: int) -> str:
    """The URL with 127.0.0.1:`port` (the proxy) in place of its host and port."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{port}" if credentials else f"127.0.0.1:{port}"
    return parts._replace(netloc=netloc).geturl()


@dataclass
class Faulted:
    client: httpx.AsyncClient
    writers: Writers

    async def survive(self, fault: str, put: Callable[[], None], take: Callable[[], None]) -> None:
        """The fault on for FAULT_SECONDS while the writers write, then off: the service is
        ready and acknowledges writes again within RECOVERY_SECONDS."""
        before = len(self.writers.acknowledged)
        started = time.monotonic()
        put()
        await asyncio.sleep(FAULT_SECONDS)
        during = self.writers.acknowledged_since(started)
        take()
        mended = time.monotonic()

        async def writing_again() -> None:
            assert (await self.client.get("/readyz")).status_code == 200
            assert self.writers.acknowledged_since(mended) >= 1

        await eventually(writing_again, timeout=RECOVERY_SECONDS, interval=0.5)
        recovered_in = time.monotonic() - mended
        refused = self.writers.refused_since(started)
        record(
            fault,
            acknowledged_during=during,
            refused_during=len(refused),
            seconds_to_recover=round(recovered_in),
        )
        assert len(self.writers.acknowledged) > before


@pytest_asyncio.fixture
async def behind_a_fault_proxy(tmp_path: Path) -> AsyncIterator[tuple[Suite, FaultProxy]]:
    """The organisations service reaching its store and broker through toxiproxy."""
    with FaultProxy(tmp_path / "toxiproxy") as proxy:
        store = proxy.proxy("store", urlsplit(MONGODB_URL).port or 27017)
        broker = proxy.proxy("broker", urlsplit(AMQP_URL).port or 5672)
        urls = {"MONGODB_URL": through(MONGODB_URL, store), "AMQP_URL": through(AMQP_URL, broker)}
        async with organisations_alone(tmp_path / "suite", **urls) as suite:
            yield suite, proxy


async def test_latency_cuts_and_half_open_connections_are_survived_with_nothing_lost(
    behind_a_fault_proxy: tuple[Suite, FaultProxy],
) -> None:
    suite, proxy = behind_a_fault_proxy
    async with writing(suite, at_least=10) as (client, writers, tally):
        faulted = Faulted(client, writers)
        await faulted.survive(
            "latency 300 ms to the store and the broker",
            lambda: proxy.add_to(BOTH, "slow", "latency", latency=300),
            lambda: proxy.remove_from(BOTH, "slow"),
        )
        await faulted.survive(
            "connections to the store and the broker cut",
            lambda: proxy.cut(*BOTH),
            lambda: proxy.mend(*BOTH),
        )
        for name in BOTH:
            await faulted.survive(
                f"half-open connections to the {name}",
                partial(proxy.add_to, (name,), "mute", "timeout", timeout=0),
                partial(proxy.remove_from, (name,), "mute"),
            )
        await writers.stop()
        stored = await nothing_lost(suite, writers, tally)
    refusals = Counter(code for _, code, _ in writers.refusals)
    record(
        "after the network faults",
        acknowledged=len(writers.acknowledged),
        stored=stored,
        events_distinct=tally.distinct,
        published_again=tally.again,
        **{f"refused_{code.lower()}": n for code, n in refusals.items()},
    )
    assert set(refusals) <= {"SERVICE_UNAVAILABLE", "NO_ANSWER"}, refusals


SOCKET_TIMEOUT_SECONDS = 2
DEAD_SECONDS = 12


async def test_a_store_call_on_a_dead_connection_is_refused_not_held(tmp_path: Path) -> None:
    """The store's connections die without a word (nothing passes, nothing is closed) for
    longer than MONGODB_SOCKET_TIMEOUT_SECONDS: the writes sent meanwhile are refused
    SERVICE_UNAVAILABLE while it lasts, rather than held until it ends (with no socket timeout
    they wait for ever); then writing resumes and nothing acknowledged is lost."""
    with FaultProxy(tmp_path / "toxiproxy") as proxy:
        store = proxy.proxy("store", urlsplit(MONGODB_URL).port or 27017)
        settings = {
            "MONGODB_URL": through(MONGODB_URL, store),
            "MONGODB_SOCKET_TIMEOUT_SECONDS": str(SOCKET_TIMEOUT_SECONDS),
        }
        async with (
            organisations_alone(tmp_path / "suite", **settings) as suite,
            writing(suite, at_least=5) as (_, writers, tally),
        ):
            died = time.monotonic()
            proxy.add_to(("store",), "dead", "timeout", timeout=0)
            await asyncio.sleep(DEAD_SECONDS)
            refused = writers.refused_since(died)
            proxy.remove_from(("store",), "dead")
            mended = time.monotonic()

            async def writing_again() -> None:
                assert writers.acknowledged_since(mended) >= 1

            await eventually(writing_again, timeout=RECOVERY_SECONDS, interval=0.5)
            await writers.stop()
            stored = await nothing_lost(suite, writers, tally)
    record(
        f"store connections dead for {DEAD_SECONDS} s, socket timeout {SOCKET_TIMEOUT_SECONDS} s",
        refused_while_dead=len(refused),
        acknowledged=len(writers.acknowledged),
        stored=stored,
    )
    assert refused, "every write waited for the dead connections to come back"
    assert {code for _, code, _ in refused} == {"SERVICE_UNAVAILABLE"}, refused
