"""Prometheus metrics of the gateway."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

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


def observe_fetch(subgraph: str, seconds: float, failed: bool) -> None:
    fetch_seconds.labels(subgraph).observe(seconds)
    if failed:
        fetch_failures.labels(subgraph).inc()
