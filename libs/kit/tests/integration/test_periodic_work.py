"""Work a service repeats for its whole life (the organisations service's dissolution check)."""

import asyncio
import contextlib

import pytest
from kit.leases import Lease
from kit.mongo import Document
from kit.runtime import Runtime
from kit.settings import ServiceSettings
from kit.testing import drop_resources, eventually, isolated
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration


async def test_periodic_work_runs_from_start_survives_a_failure_and_stops_with_the_service() -> (
    None
):
    settings = isolated(ServiceSettings, service_name="periodic")
    runtime = Runtime(settings)
    ticks: list[int] = []

    async def work() -> None:
        ticks.append(len(ticks))
        if len(ticks) == 2:
            raise RuntimeError("a bad tick")

    runtime.every(0.05, work, name="tick")
    await runtime.start()
    try:

        async def ticked_past_the_failure() -> None:
            assert len(ticks) >= 4

        await eventually(ticked_past_the_failure, timeout=10)
    finally:
        await runtime.stop()
        await drop_resources(settings)
    stopped_at = len(ticks)
    await asyncio.sleep(0.2)
    assert len(ticks) == stopped_at


async def replicas_ticking(
    settings: ServiceSettings, ticks: list[tuple[int, float]], lease: float
) -> tuple[list[Runtime], int]:
    """Two replicas each running the leased work every 0.05 s, once one of them has ticked
    ten times: the replicas, and which one holds the lease."""
    replicas = [Runtime(settings), Runtime(settings)]
    loop = asyncio.get_running_loop()
    for n, runtime in enumerate(replicas):

        async def work(n: int = n) -> None:
            ticks.append((n, loop.time()))

        runtime.every(0.05, work, name="dissolution-check", leased_for=lease)
    for runtime in replicas:
        await runtime.start()

    async def ticked_a_while() -> None:
        assert len(ticks) >= 10

    await eventually(ticked_a_while, timeout=10)
    [holder] = {n for n, _ in ticks}
    return replicas, holder


async def taken_over_after(ticks: list[tuple[int, float]], other: int, stopped_at: float) -> float:
    async def taken_over() -> None:
        assert [t for n, t in ticks if n == other]

    await eventually(taken_over, timeout=10)
    return min(t for n, t in ticks if n == other) - stopped_at


async def test_leased_work_runs_in_one_replica_and_another_takes_over_once_the_lease_lapses() -> (
    None
):
    settings = isolated(ServiceSettings, service_name="periodic")
    ticks: list[tuple[int, float]] = []
    replicas, holder = await replicas_ticking(settings, ticks, lease=0.5)
    try:
        # the holder's ticks stop without a word (as when killed): its lease lapses, then the
        # other replica takes it
        for task in replicas[holder]._tasks:
            task.cancel()
        stopped_at = asyncio.get_running_loop().time()

        waited = await taken_over_after(ticks, 1 - holder, stopped_at)

        assert waited >= 0.3  # not before the lease (0.5 s from the last renewal) lapsed
        assert all(t <= stopped_at for n, t in ticks if n == holder)
    finally:
        for runtime in replicas:
            await runtime.stop()
        await drop_resources(settings)


async def test_a_replica_stopping_gives_its_lease_up_to_another_at_once() -> None:
    settings = isolated(ServiceSettings, service_name="periodic")
    ticks: list[tuple[int, float]] = []
    replicas, holder = await replicas_ticking(settings, ticks, lease=10)
    try:
        await replicas[holder].stop()
        stopped_at = asyncio.get_running_loop().time()

        waited = await taken_over_after(ticks, 1 - holder, stopped_at)

        assert waited < 5  # at the other's next tick, long before the lease (10 s) lapses
    finally:
        await replicas[1 - holder].stop()
        await drop_resources(settings)


async def test_a_task_that_will_not_stop_does_not_keep_the_lease() -> None:
    settings = isolated(ServiceSettings, service_name="periodic", stop_seconds=0.5)
    runtime = Runtime(settings)
    released = asyncio.Event()

    async def stubborn() -> None:  # swallows its cancellation until the test lets it go
        while not released.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await released.wait()

    runtime.every(60, stubborn, name="stubborn")
    runtime.every(0.05, lambda: asyncio.sleep(0), name="dissolution-check", leased_for=30)
    lease = runtime._leases[0]
    await runtime.start()
    try:

        async def holding() -> None:
            assert await lease.collection.find_one({"_id": lease.name, "holder": lease.holder})

        await eventually(holding, timeout=10)
        started = asyncio.get_running_loop().time()
        await runtime.stop()

        assert asyncio.get_running_loop().time() - started < 5
        client: AsyncMongoClient[Document] = AsyncMongoClient(settings.mongodb_url)
        async with client:
            leases = client[settings.database_name]["leases"]
            assert await Lease(leases, lease.name, 30, "another").hold()  # given up: at once
    finally:
        released.set()
        await drop_resources(settings)
