"""Work a service repeats for its whole life (the organisations service's dissolution check)."""

import asyncio

import pytest
from kit.runtime import Runtime
from kit.settings import ServiceSettings
from kit.testing import drop_resources, eventually, isolated

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
