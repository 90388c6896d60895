"""A dissolution of 1,000 members with a service killed with SIGKILL at one seam of it — in
the relay, in a consumer, in the bulk writes of the transfers, letters, receptions and moves,
in the evaluations roster's moves, at the case's closing — and started again: every count the
dissolution ends with is exact, whatever the seam. The process kills itself at its crash point
(kit.crash_points), so that the seam is hit every run, not by luck. The caller of a step whose
service died under it calls again, as a screen would.

One case a dissolution, about two minutes each on a quiet machine (the four where the events of
a killed consumer wait out their inbox claim, a minute more); FAULT_DISSOLUTION_MEMBERS=100
runs them small, FAULT_DISSOLUTION_SEAMS some of them (below)."""

import os
import time
from dataclasses import dataclass
from typing import Any

import pytest
from kit.testing import STAFF, eventually

from bench.dissolution.run import Cell
from bench.dissolution.run import Gateway as BenchGateway
from infra.local.suite import SERVICES, Suite
from tests.faults.dissolution import (
    MEMBERS,
    TOLD,
    Dissolution,
    counted,
    expected_counts,
    told_of_the_case,
    told_once_each,
)
from tests.faults.world import (
    AMQP_URL,
    EventTally,
    age_writing_batches,
    died_of_sigkill,
    quiet,
    record,
    restart,
    unsent_events,
)

DECISION, LETTERS, RECEPTIONS = "decision", "letters", "receptions"


@dataclass(frozen=True)
class Kill:
    service: str
    point: str  # kit.crash_points: `point` or `point:n`, its n-th pass
    step: str  # the service is started to be killed just before this step
    seam: str  # what is written and what is not when it dies
    # killed between publishing and removing: told twice (True), or not (False); None: its
    # relay may be publishing as it dies (woken by the write just before: a letters' first
    # batch of two marked READY), or not yet
    publishes_again: bool | None = False

    def __str__(self) -> str:
        return f"{self.service}-{self.point}-{self.step}"


KILLS = [
    Kill("organisations", "relay.published", DECISION, "decision published, not removed", True),
    Kill("members", "consumer.handled", DECISION, "transfers made, decision not marked", None),
    Kill("members", "relay.published", DECISION, "transfers' batch published, not SENT", True),
    Kill("members", "batches.updated", LETTERS, "letters written, their batch left WRITING"),
    Kill("members", "batches.ready", LETTERS, "letters' batches READY, not published", None),
    Kill("members", "batches.updated", RECEPTIONS, "receptions written, batch left WRITING"),
    Kill("members", "batches.updated:2", RECEPTIONS, "members moved, their batch left WRITING"),
    Kill("members", "relay.published", RECEPTIONS, "moves' batch published, not SENT", True),
    Kill("evaluations", "consumer.handled", RECEPTIONS, "a batch of moves applied, not marked"),
    Kill("evaluations", "roster.moved", RECEPTIONS, "roster moved, summary counts not"),
    Kill("evaluations", "consumer.marked", RECEPTIONS, "moves marked applied, not acknowledged"),
    Kill("organisations", "consumer.handled", RECEPTIONS, "case CLOSED, not marked", None),
    Kill("organisations", "relay.published", RECEPTIONS, "closing published, not removed", True),
]


# FAULT_DISSOLUTION_SEAMS: the kills to run, by their ids, comma-separated (all when unset):
# `make faults` runs three of them small, to keep CI short; `make faults-dissolution` all 13
SEAMS = os.environ.get("FAULT_DISSOLUTION_SEAMS")
CHOSEN = [k for k in KILLS if SEAMS is None or str(k) in SEAMS.split(",")]


def done_or_unchanged(answer: dict[str, Any], mutation: str) -> int:
    outcome = answer["data"][mutation]
    assert outcome["refused"] == 0, outcome
    return int(outcome["done"]) + int(outcome.get("unchanged") or 0)


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("kill", CHOSEN, ids=str)
async def test_a_dissolution_with_a_service_killed_ends_with_every_count_exact(
    suite: Suite, kill: Kill
) -> None:
    started = time.monotonic()
    gateway = BenchGateway(suite.gateway_url, suite.authorization(STAFF))
    seen = {"refused_while_killed": 0, "batches_aged": 0}
    try:
        dissolution = await Dissolution.staffed(Cell(gateway, MEMBERS))

        async def killed_in(step: str, call: Any) -> dict[str, Any]:
            """The step, its service killed in it if it is the kill's, and called again once
            the service is back if its answer was lost."""
            if kill.step != step:
                answer: dict[str, Any] = await call()
                return answer
            await quiet(suite)  # the crash point is met by this step, not by what came before
            await restart(suite, kill.service, crash_at=kill.point)
            answer = await call()
            await died_of_sigkill(suite, kill.service, timeout=600)
            seen["batches_aged"] += await age_writing_batches(suite, "members")
            await restart(suite, kill.service)
            if answer.get("errors"):
                seen["refused_while_killed"] += 1
                answer = await call()
            assert not answer.get("errors"), answer
            return answer

        async with EventTally(AMQP_URL, suite.exchange, TOLD) as tally:
            await killed_in(DECISION, dissolution.decide)
            await dissolution.announce_once_every_transfer_is_made()
            letters = await killed_in(LETTERS, dissolution.introduce)
            assert done_or_unchanged(letters, "issueIntroductions") == MEMBERS
            receptions = await killed_in(RECEPTIONS, dissolution.receive)
            assert done_or_unchanged(receptions, "receiveTransfers") == MEMBERS

            counts: dict[str, int] = {}

            async def over() -> None:
                try:  # a busy store may time a read out meanwhile: asked again
                    assert (await dissolution.progress())["stage"] == "CLOSED"
                    assert await dissolution.cell.roster_moved()
                except RuntimeError as refused:
                    raise AssertionError(refused) from refused
                assert told_of_the_case(tally) == told_once_each(MEMBERS)
                for service in SERVICES:
                    assert await unsent_events(suite, service) == 0, service
                # an event a killed consumer held comes back once its claim lapses (a minute)
                counts.update(await counted(suite, dissolution, tally))
                assert {k: v for k, v in counts.items() if k != "again"} == expected_counts(MEMBERS)

            try:
                await eventually(over, timeout=900, interval=2)
            finally:
                again = counts.pop("again", -1)
                record(
                    f"{kill.service} killed at {kill.point}: {kill.seam}",
                    **counts,
                    published_again=again,
                    **seen,
                    seconds=round(time.monotonic() - started),
                )
    finally:
        await gateway.client.aclose()
    assert kill.publishes_again is None or (again > 0) == kill.publishes_again, again
