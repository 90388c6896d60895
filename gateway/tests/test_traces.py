"""The gateway's spans: a request continues its caller's trace, and each subgraph fetch sends
its own `traceparent` on; off, the fetch sends the headers it was given, untouched."""

from gateway.traces import answered, answering, fetching
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from partyorg_logs import traces

CALLERS_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER = {"traceparent": f"00-{CALLERS_TRACE}-00f067aa0ba902b7-01", "x-request-id": "r-1"}


def test_a_request_continues_its_callers_trace_and_each_fetch_passes_its_own_on(
    spans: InMemorySpanExporter,
) -> None:
    with answering(CALLER, "Found", "r-1") as span:
        with fetching("members", 1, CALLER) as sent:
            fetch_traceparent = sent["traceparent"]
        answered(span, 200, failed=True)

    request, fetch = sorted(spans.get_finished_spans(), key=lambda s: s.name)
    assert (request.name, fetch.name) == ("graphql Found", "subgraph members")
    assert format(request.context.trace_id, "032x") == CALLERS_TRACE
    assert fetch.parent is not None and fetch.parent.span_id == request.context.span_id
    assert fetch_traceparent.split("-")[1:3] == [
        CALLERS_TRACE,
        format(fetch.context.span_id, "016x"),
    ]
    assert sent["x-request-id"] == "r-1"
    assert request.attributes is not None
    assert request.attributes["http.response.status_code"] == 200
    assert not request.status.is_ok


def test_off_a_fetch_sends_the_headers_it_was_given() -> None:
    assert not traces.is_on()
    with answering(CALLER, "Found", "r-1") as span, fetching("members", 1, CALLER) as sent:
        assert span is None
        assert sent is CALLER
