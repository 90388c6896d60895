"""A request's trace carried by its events: written into the CloudEvent, continued by the relay's
publish and by the consumer's handling; and nothing at all while tracing is off."""

import json
import logging
import subprocess
import sys

import pytest
from kit import tracing
from kit.events import from_wire, new_event, to_wire
from kit.logging import JsonFormatter
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from partyorg_logs import traces


def named(finished: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    [span] = [span for span in finished if span.name == name]
    return span


async def when_organisation_registered_remember_it() -> None:
    """a handler, for its name"""


def test_an_event_written_during_a_request_carries_the_requests_trace(
    spans: InMemorySpanExporter,
) -> None:
    with trace.get_tracer("test").start_as_current_span("request") as request:
        stored = new_event("partyorg.test.happened.v1", "/test", {"n": 1})

    received = from_wire(to_wire(stored))

    assert received.traceparent == stored["traceparent"]
    assert received.traceparent is not None
    trace_id = format(request.get_span_context().trace_id, "032x")
    span_id = format(request.get_span_context().span_id, "016x")
    assert received.traceparent.startswith(f"00-{trace_id}-{span_id}-")


def test_the_publish_and_the_handling_are_spans_of_the_writing_requests_trace(
    spans: InMemorySpanExporter,
) -> None:
    with trace.get_tracer("test").start_as_current_span("request"):
        stored = new_event("partyorg.test.happened.v1", "/test", {"n": 1})

    with tracing.publishing(stored, "partyorg.events"):
        pass
    received = from_wire(to_wire(stored))
    with tracing.handling(received, "members", when_organisation_registered_remember_it):
        pass

    finished = spans.get_finished_spans()
    request = named(finished, "request")
    published = named(finished, "partyorg.events publish")
    consumed = named(finished, "members process")
    handled = named(finished, "when_organisation_registered_remember_it")
    assert published.parent is not None and consumed.parent is not None
    assert published.parent.span_id == request.context.span_id
    assert consumed.parent.span_id == request.context.span_id
    assert handled.parent is not None and handled.parent.span_id == consumed.context.span_id
    assert {span.context.trace_id for span in finished} == {request.context.trace_id}
    assert (published.kind, consumed.kind) == (trace.SpanKind.PRODUCER, trace.SpanKind.CONSUMER)
    assert consumed.attributes is not None
    assert consumed.attributes["messaging.message.id"] == stored["id"]


def test_a_batch_is_handled_in_a_span_linked_to_each_events_request(
    spans: InMemorySpanExporter,
) -> None:
    tracer = trace.get_tracer("test")
    events = []
    for name in ("first request", "second request"):
        with tracer.start_as_current_span(name):
            events.append(from_wire(to_wire(new_event("partyorg.test.v1", "/test", {}))))

    with tracing.handling_many(events, "members", when_organisation_registered_remember_it):
        pass

    finished = spans.get_finished_spans()
    batch = named(finished, "members process")
    requests = [named(finished, "first request"), named(finished, "second request")]
    assert [link.context.span_id for link in batch.links] == [
        request.context.span_id for request in requests
    ]


def test_a_log_line_written_in_a_span_names_its_trace_and_span(
    spans: InMemorySpanExporter,
) -> None:
    with trace.get_tracer("test").start_as_current_span("request") as request:
        record = logging.makeLogRecord({"msg": "member registered", "levelname": "INFO"})
        line = json.loads(JsonFormatter("members").format(record))

    assert line["trace_id"] == format(request.get_span_context().trace_id, "032x")
    assert line["span_id"] == format(request.get_span_context().span_id, "016x")


def test_off_events_carry_no_trace_and_no_span_is_made() -> None:
    assert not traces.is_on()
    stored = new_event("partyorg.test.happened.v1", "/test", {"n": 1})
    with tracing.publishing(stored, "partyorg.events"):
        assert not trace.get_current_span().get_span_context().is_valid

    assert "traceparent" not in stored
    assert from_wire(to_wire(stored)).traceparent is None


@pytest.mark.parametrize(
    ("environment", "wanted"),
    [
        ({}, False),
        ({"OTEL_SERVICE_NAME": "members"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, False),
    ],
)
def test_tracing_is_on_only_when_otel_variables_say_where_spans_go(
    environment: dict[str, str], wanted: bool
) -> None:
    assert traces.tracing_wanted(environment) is wanted


def test_a_service_started_without_otel_variables_loads_no_sdk() -> None:
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from kit import tracing; from opentelemetry import trace;"
            "tracing.start('members');"
            "print(type(trace.get_tracer_provider()).__name__,"
            " any(m.startswith('opentelemetry.sdk') for m in sys.modules))",
        ],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert started.stdout.split() == ["ProxyTracerProvider", "False"]
