"""Prometheus metrics of the gateway.

With several worker processes (GATEWAY_WORKERS), each writes its figures to files in
PROMETHEUS_MULTIPROC_DIR, which `python -m gateway` sets before the workers start, and /metrics
adds up every worker's, whichever of them answers."""

from __future__ import annotations

import os
import re

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

registry = CollectorRegistry()

# from 100 µs: a cached operation is answered in well under a millisecond
LATENCY_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip
# operation names are the clients' to choose: past this many, new ones count as "other"
MAX_OPERATIONS = 500
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")

requests = Counter(
    "gateway_requests_total", "GraphQL requests answered", ["outcome"], registry=registry
)
request_seconds = Histogram(
    "gateway_request_duration_seconds",
    "Time to answer a GraphQL request",
    registry=registry,
    buckets=LATENCY_BUCKETS,
)
operations = Counter(
    "gateway_operations_total",
    "GraphQL requests answered, by operation name",
    ["operation", "outcome"],
    registry=registry,
)
operation_seconds = Histogram(
    "gateway_operation_duration_seconds",
    "Time to answer a GraphQL request, by operation name",
    ["operation"],
    registry=registry,
    buckets=LATENCY_BUCKETS,
)
fetch_seconds = Histogram(
    "gateway_subgraph_fetch_duration_seconds",
    "Time of one subgraph fetch",
    ["subgraph"],
    registry=registry,
    buckets=LATENCY_BUCKETS,
)
fetch_failures = Counter(
    "gateway_subgraph_fetch_failures_total",
    "Subgraph fetches that failed",
    ["subgraph"],
    registry=registry,
)
fetches = Counter(
    "gateway_subgraph_fetches_total", "Subgraph fetches made", ["subgraph"], registry=registry
)
_fetch_series: dict[str, tuple[Histogram, Counter, Counter]] = {}
_operations: dict[str, tuple[Histogram, Counter, Counter]] = {}


def operation_label(name: object) -> str:
    """The operation's name as a label: `anonymous` without one, `other` for a name that is no
    GraphQL name or comes once MAX_OPERATIONS names have (a client making names up adds no
    series)."""
    if not isinstance(name, str) or not name:
        return "anonymous"
    if name in _operations or (_NAME.fullmatch(name) and len(_operations) < MAX_OPERATIONS):
        return name
    return "other"


def observe_operation(name: object, seconds: float, failed: bool) -> None:
    label = operation_label(name)
    series = _operations.get(label)
    if series is None:
        series = _operations[label] = (
            operation_seconds.labels(label),
            operations.labels(label, "ok"),
            operations.labels(label, "error"),
        )
    timer, answered, refused = series
    timer.observe(seconds)
    (refused if failed else answered).inc()


def observe_fetch(subgraph: str, seconds: float, failed: bool) -> None:
    series = _fetch_series.get(subgraph)
    if series is None:
        series = _fetch_series[subgraph] = (
            fetch_seconds.labels(subgraph),
            fetches.labels(subgraph),
            fetch_failures.labels(subgraph),
        )
    timer, made, failures = series
    timer.observe(seconds)
    made.inc()
    if failed:
        failures.inc()


def collected() -> CollectorRegistry:
    """This process's figures, or all workers' when there are several."""
    folder = os.environ.get(MULTIPROCESS_DIR)
    if not folder:
        return registry
    workers = CollectorRegistry()
    multiprocess.MultiProcessCollector(workers, folder)  # type: ignore[no-untyped-call]
    return workers


def exposition() -> bytes:
    """The text /metrics answers."""
    return generate_latest(collected())


def serve_apart(host: str, port: int) -> None:
    """/metrics on a port of its own, from a thread of the process that starts the workers
    (which then answers for all of them)."""
    start_http_server(port, host, registry=collected())
