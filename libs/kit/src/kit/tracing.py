"""A request's trace through a service and on through its events.

The process's tracing is set up from OTEL_* or not at all (partyorg_logs.traces); when it is
on, FastAPI's instrumentation makes each request a span (continuing the gateway's trace from
its `traceparent` header) and PyMongo's each database command. An event written during a
request keeps the request's trace context in its CloudEvents `traceparent` and `tracestate`
attributes (the distributed-tracing extension), so the relay's publish and each consumer's
handling, however much later, are spans of the request's trace. Off, no instrumentation is
set up, an event gets no trace attributes and each span here is a context manager that does
nothing.
"""

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from opentelemetry import context, trace
from opentelemetry.trace import Link, SpanKind
from partyorg_logs.traces import OFF, PROPAGATOR, TRACE_HEADERS, is_on, start_tracing

if TYPE_CHECKING:  # kit.events writes trace_context() into each new event
    from fastapi import FastAPI

    from kit.events import Event

# probes and scrapes are no one's request
_UNTRACED_ROUTES = "healthz,readyz,metrics"

_tracer = trace.get_tracer("kit")
_instrumented = False


def start(service: str) -> None:
    """Tracing for the process when OTEL_* asks for it, and PyMongo's commands traced: before
    any MongoDB client is made (the instrumentation registers a listener clients copy)."""
    global _instrumented
    if not start_tracing(service) or _instrumented:
        return
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor

    PymongoInstrumentor().instrument()
    _instrumented = True


def trace_requests(app: "FastAPI") -> None:
    if not is_on():
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # a request's span and what it does; not a span for each ASGI message read or written
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=_UNTRACED_ROUTES, exclude_spans=["receive", "send"]
    )


def trace_context() -> dict[str, str]:
    """The span in force as an event's `traceparent` (and `tracestate`) attributes."""
    if not is_on():
        return {}
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return carrier


def _context_of(attributes: Mapping[str, Any]) -> context.Context | None:
    if not attributes.get("traceparent"):
        return None
    carrier = {name: str(attributes[name]) for name in TRACE_HEADERS if attributes.get(name)}
    return PROPAGATOR.extract(carrier)


def trace_id_of(event: "Event") -> str | None:
    """The trace the event was written in (hex), from its `traceparent`, if it carries one."""
    found = _context_of(_attributes_of(event))
    span = trace.get_current_span(found).get_span_context() if found else None
    return format(span.trace_id, "032x") if span and span.is_valid else None


def _attributes_of(event: "Event") -> dict[str, str]:
    return {name: value for name in TRACE_HEADERS if (value := getattr(event, name))}


def publishing(
    event: Mapping[str, Any], destination: str
) -> contextlib.AbstractContextManager[None]:
    """The relay's publish of a stored event, in the trace of the request that wrote it."""
    return _publishing(event, destination) if is_on() else OFF


@contextlib.contextmanager
def _publishing(event: Mapping[str, Any], destination: str) -> Iterator[None]:
    with _tracer.start_as_current_span(
        f"{destination} publish",
        context=_context_of(event),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "send",
            "messaging.destination.name": destination,
            "messaging.rabbitmq.destination.routing_key": str(event.get("type")),
            "messaging.message.id": str(event.get("id")),
        },
    ):
        yield


def handling(
    event: "Event", queue: str, handler: object
) -> contextlib.AbstractContextManager[None]:
    """A consumer's handling of one event: its receipt from `queue`, then the handler's run,
    in the trace of the request that wrote the event."""
    return _handling(event, queue, handler) if is_on() else OFF


@contextlib.contextmanager
def _handling(event: "Event", queue: str, handler: object) -> Iterator[None]:
    with (
        _tracer.start_as_current_span(
            f"{queue} process",
            context=_context_of(_attributes_of(event)),
            kind=SpanKind.CONSUMER,
            attributes=_received(queue, event.type, event.id),
        ),
        _tracer.start_as_current_span(_name_of(handler)),
    ):
        yield


def handling_many(
    events: "Sequence[Event]", queue: str, handler: object
) -> contextlib.AbstractContextManager[None]:
    """A batch handler's run over many events: a span of its own, linked to each event's
    request (a span has one parent; the events come from many requests)."""
    return _handling_many(events, queue, handler) if is_on() else OFF


@contextlib.contextmanager
def _handling_many(events: "Sequence[Event]", queue: str, handler: object) -> Iterator[None]:
    links = []
    for event in events:
        upstream = _context_of(_attributes_of(event))
        if upstream is not None:
            span_context = trace.get_current_span(upstream).get_span_context()
            links.append(Link(span_context, {"messaging.message.id": event.id}))
    attributes = _received(queue, events[0].type, None)
    attributes["messaging.batch.message_count"] = len(events)
    with (
        _tracer.start_as_current_span(
            f"{queue} process", kind=SpanKind.CONSUMER, links=links, attributes=attributes
        ),
        _tracer.start_as_current_span(_name_of(handler)),
    ):
        yield


def _received(queue: str, event_type: str, event_id: str | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "messaging.system": "rabbitmq",
        "messaging.operation.type": "process",
        "messaging.destination.name": queue,
        "messaging.rabbitmq.destination.routing_key": event_type,
    }
    if event_id is not None:
        attributes["messaging.message.id"] = event_id
    return attributes


def _name_of(handler: object) -> str:
    """A handler's name as its module writes it (`when_dissolution_decided_create_transfers`);
    of a BatchHandler, its `apply`'s."""
    named = getattr(handler, "apply", handler)
    return str(getattr(named, "__name__", type(named).__name__))
