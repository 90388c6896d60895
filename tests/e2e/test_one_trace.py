"""One request followed in one trace: the gateway, the two subgraphs it asks, their MongoDB
commands, the outbox relay's publish and the handling of the event by another service — the
suite's processes exporting by the standard OTEL_* variables to an OTLP receiver of the test's
own. And the gateway's and the services' log lines, in one format, name the trace."""

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from kit.testing import STAFF, eventually

from infra.local.suite import Suite, free_port
from tests.e2e.conftest import Gateway, running_suite
from tests.e2e.trace_receiver import ReceivedSpan, TraceReceiver, receiving_traces

CREATE_AND_READ_BACK = """
mutation Found($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id name members { fullName } }
}
"""


@pytest.fixture(scope="module")
def traced() -> Iterator[tuple[Suite, TraceReceiver]]:
    port = free_port()
    with (
        receiving_traces(port) as receiver,
        running_suite(
            "traces",
            {
                "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
                "OTEL_TRACES_SAMPLER": "always_on",
                "GATEWAY_WORKERS": "1",  # the machine is busy; one process is enough here
            },
        ) as suite,
    ):
        yield suite, receiver


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(traced: tuple[Suite, TraceReceiver]) -> AsyncIterator[Gateway]:
    suite, _ = traced
    client = Gateway(suite.gateway_url, suite.authorization(STAFF))
    yield client
    await client.close()


def spans_named(spans: list[ReceivedSpan], service: str, kind: str) -> list[ReceivedSpan]:
    return [span for span in spans if span.service == service and span.kind == kind]


async def test_a_mutation_is_one_trace_from_the_gateway_to_another_services_consumer(
    traced: tuple[Suite, TraceReceiver], gateway: Gateway
) -> None:
    suite, receiver = traced
    request_id = f"trace-{uuid.uuid4().hex}"
    gateway.client.headers["x-request-id"] = request_id
    code = f"HN-T-{uuid.uuid4().hex[:6].upper()}"
    data = await gateway.execute_ok(
        CREATE_AND_READ_BACK,
        {"input": {"code": code, "name": "Thành ủy (vết)", "kind": "CITY_COMMITTEE"}},
    )
    assert data["createOrganisation"]["members"] == []

    async def whole_trace() -> tuple[str, list[ReceivedSpan]]:
        requests = [
            span
            for span in spans_named(receiver.spans, "gateway", "SERVER")
            if span.attributes.get("partyorg.request_id") == request_id
        ]
        assert len(requests) == 1, f"the gateway's span of the request: {requests}"
        request = requests[0]
        spans = receiver.trace(request.trace_id)
        fetched = {span.name for span in spans_named(spans, "gateway", "CLIENT")}
        assert fetched == {"subgraph organisations", "subgraph members"}, fetched
        assert spans_named(spans, "organisations", "SERVER"), "no organisations request"
        assert spans_named(spans, "members", "SERVER"), "no members request"
        mongo = [s for s in spans if s.attributes.get("db.system") == "mongodb"]
        assert {s.service for s in mongo} >= {"organisations", "members"}, "no database command"
        published = [
            s
            for s in spans_named(spans, "organisations", "PRODUCER")
            if s.attributes["messaging.rabbitmq.destination.routing_key"].endswith(
                "organisation.registered.v1"
            )
        ]
        assert len(published) == 1, "the relay has not published the event yet"
        consumed = spans_named(spans, "members", "CONSUMER")
        assert consumed, "members has not handled the event yet"
        event_id = published[0].attributes["messaging.message.id"]
        assert consumed[0].attributes["messaging.message.id"] == event_id
        handler = [s for s in spans if s.parent_id == consumed[0].span_id and s.kind == "INTERNAL"]
        remember = "when_organisations_registered_or_updated_remember_them"
        assert [s.name for s in handler] == [remember], handler
        by_id = {span.span_id for span in spans}
        strays = [s.name for s in spans if s is not request and s.parent_id not in by_id]
        assert not strays, f"spans outside the request's tree: {strays}"
        return request.trace_id, spans

    trace_id, _ = await eventually(whole_trace, timeout=30)

    def lines(name: str) -> list[dict[str, Any]]:
        return [json.loads(text) for text in _json_lines(suite.log_files[name])]

    async def logged_in_the_trace() -> None:
        for name in ("gateway", "organisations"):
            mine = [line for line in lines(name) if line.get("request_id") == request_id]
            assert mine, f"{name} logged nothing of the request"
            for line in mine:
                assert line["service"] == name
                assert line["time"].endswith("Z")
                assert line["trace_id"] == trace_id, line
        applied = [
            line
            for line in lines("members")
            if line["message"] == "event applied" and line.get("request_id") == request_id
        ]
        assert applied, "members has not logged the event applied"
        assert all(line["trace_id"] == trace_id for line in applied), applied

    await eventually(logged_in_the_trace)


def _json_lines(path: Path) -> list[str]:
    return [text for text in path.read_text().splitlines() if text.startswith("{")]
