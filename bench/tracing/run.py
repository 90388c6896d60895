"""What tracing costs a request while it is off (no OTEL_* variable set): the gateway's request
span and one subgraph fetch's (gateway.traces), a new event's trace context (kit.tracing), the
relay's publish and a consumer's handling — against the same work with a bare
`with nullcontext()` in place of each span (the event made alike: off, its trace context is
empty). And, for scale,
the same spans when tracing is on (an SDK provider whose spans go nowhere).

    uv run python bench/tracing/run.py [--rounds 5] [--number 20000]

Prints microseconds per request (best of the rounds) and the ratios to the untraced baseline."""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from contextlib import nullcontext

from kit import tracing
from kit.events import from_wire, new_event, to_wire
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from partyorg_logs import traces

from gateway import traces as gateway_traces

HEADERS = {"authorization": "Bearer x", "x-request-id": "r-1"}
EVENT = from_wire(to_wire(new_event("partyorg.bench.happened.v1", "/bench", {"n": 1})))


async def _handler() -> None:
    """a handler, for its name"""


def untraced() -> None:
    with nullcontext():
        with nullcontext():
            new_event("partyorg.bench.happened.v1", "/bench", {"n": 1})
        with nullcontext():
            pass
        with nullcontext():
            pass


def traced() -> None:
    with gateway_traces.answering(HEADERS, "Bench", "r-1"):
        with gateway_traces.fetching("members", 0, HEADERS):
            stored = new_event("partyorg.bench.happened.v1", "/bench", {"n": 1})
        with tracing.publishing(stored, "partyorg.events"):
            pass
        with tracing.handling(EVENT, "members", _handler):
            pass


def best(works: list[Callable[[], None]], rounds: int, number: int) -> list[float]:
    """Each work's best round in microseconds a call, the works' rounds taken in turn (a busy
    machine slows them alike)."""
    times = [[timeit.timeit(work, number=number) for work in works] for _ in range(rounds)]
    return [min(turn[i] for turn in times) / number * 1e6 for i in range(len(works))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--number", type=int, default=20_000)
    args = parser.parse_args()
    assert not traces.is_on(), "run it without OTEL_* variables"
    baseline, off = best([untraced, traced], args.rounds, args.number)
    trace.set_tracer_provider(TracerProvider())  # spans made and ended, exported nowhere
    traces._on = True
    [on] = best([traced], args.rounds, args.number // 10)
    print(f"{'per request':<34}{'µs':>8}{'× untraced':>12}")
    print(f"{'untraced (baseline)':<34}{baseline:>8.2f}{1:>12.2f}")
    print(f"{'tracing off (no OTEL_*)':<34}{off:>8.2f}{off / baseline:>12.2f}")
    print(f"{'tracing on (5 spans, no exporter)':<34}{on:>8.2f}{on / baseline:>12.2f}")


if __name__ == "__main__":
    main()
