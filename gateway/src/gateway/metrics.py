"""Prometheus metrics of the gateway.

With several worker processes (GATEWAY_WORKERS), each writes its figures to files in
PROMETHEUS_MULTIPROC_DIR, which `python -m gateway` sets before the workers start, and /metrics
adds up every worker's, whichever of them answers."""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

registry = CollectorRegistry()

requests = Counter(
    "gateway_requests_total", "GraphQL requests answered", ["outcome"], registry=registry
)
request_seconds = Histogram(
    "gateway_request_duration_seconds", "Time to answer a GraphQL request", registry=registry
)
fetch_seconds = Histogram(
    "gateway_subgraph_fetch_duration_seconds",
    "Time of one subgraph fetch",
    ["subgraph"],
    registry=registry,
)
fetch_failures = Counter(
    "gateway_subgraph_fetch_failures_total",
    "Subgraph fetches that failed",
    ["subgraph"],
    registry=registry,
)
_fetch_seconds: dict[str, Histogram] = {}
_fetch_failures: dict[str, Counter] = {}


def observe_fetch(subgraph: str, seconds: float, failed: bool) -> None:
    timer = _fetch_seconds.get(subgraph)
    if timer is None:
        timer = _fetch_seconds[subgraph] = fetch_seconds.labels(subgraph)
    timer.observe(seconds)
    if failed:
        failures = _fetch_failures.get(subgraph)
        if failures is None:
            failures = _fetch_failures[subgraph] = fetch_failures.labels(subgraph)
        failures.inc()


def exposition() -> bytes:
    """The text /metrics answers: this process's figures, or all workers' when there are
    several."""
    folder = os.environ.get(MULTIPROCESS_DIR)
    if not folder:
        return generate_latest(registry)
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, folder)  # type: ignore[no-untyped-call]
    return generate_latest(collected)
