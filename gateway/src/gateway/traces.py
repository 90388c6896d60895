"""The gateway's spans: each request (continuing the caller's `traceparent`, when it sends one)
and each subgraph fetch within it, whose request carries the fetch's `traceparent` on to the
subgraph. Tracing is set up from OTEL_* or not at all (partyorg_logs.traces); off, each
function here returns a context manager that does nothing, so the hot path pays one call."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from partyorg_logs.traces import OFF, PROPAGATOR, is_on

_tracer = trace.get_tracer("gateway")


def answering(
    headers: Mapping[str, str], operation: object, request_id: str
) -> contextlib.AbstractContextManager[trace.Span | None]:
    """A request's span, named after its operation; the caller sets its outcome."""
    return _answering(headers, operation, request_id) if is_on() else OFF


@contextlib.contextmanager
def _answering(
    headers: Mapping[str, str], operation: object, request_id: str
) -> Iterator[trace.Span | None]:
    name = f"graphql {operation}" if isinstance(operation, str) and operation else "graphql"
    with _tracer.start_as_current_span(
        name,
        context=PROPAGATOR.extract(headers) if "traceparent" in headers else None,
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": "POST",
            "url.path": "/graphql",
            "graphql.operation.name": operation if isinstance(operation, str) else "",
            "partyorg.request_id": request_id,
        },
    ) as span:
        yield span


def answered(span: trace.Span | None, status: int, failed: bool) -> None:
    if span is None:
        return
    span.set_attribute("http.response.status_code", status)
    if failed:
        span.set_status(Status(StatusCode.ERROR, "the answer holds errors"))


def fetching(
    graph: str, fetch_id: object, headers: Mapping[str, str]
) -> contextlib.AbstractContextManager[Mapping[str, str]]:
    """A subgraph fetch's span; within it, the headers to send: `headers` and its
    `traceparent`."""
    return _fetching(graph, fetch_id, headers) if is_on() else contextlib.nullcontext(headers)


@contextlib.contextmanager
def _fetching(
    graph: str, fetch_id: object, headers: Mapping[str, str]
) -> Iterator[Mapping[str, str]]:
    with _tracer.start_as_current_span(
        f"subgraph {graph}",
        kind=SpanKind.CLIENT,
        attributes={"partyorg.subgraph": graph, "partyorg.fetch_id": str(fetch_id)},
    ):
        traced = dict(headers)
        PROPAGATOR.inject(traced)
        yield traced
