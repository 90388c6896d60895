"""What a service shows ops, against real FerretDB and RabbitMQ: the figures they alert on, each
at /metrics and moving when its cause happens; and no page that needs the internet."""

import asyncio
import socket
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import strawberry
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from kit.events import Event, new_event
from kit.http import create_service_app
from kit.identity import IDENTITY_HEADER
from kit.outbox import PENDING
from kit.runtime import Runtime
from kit.settings import ServiceSettings
from kit.testing import ServiceUnderTest, drop_resources, eventually, isolated, serve, unique_suffix
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.integration

NOTED = "partyorg.test.thing.noted.v1"
REFUSED = "partyorg.test.thing.refused.v1"

PIPELINE_FIGURES = {
    "partyorg_http_requests_total",
    "partyorg_http_request_seconds",
    "partyorg_events_published_total",
    "partyorg_events_applied_total",
    "partyorg_event_handler_failures_total",
    "partyorg_outbox_pending_events",
    "partyorg_outbox_oldest_pending_seconds",
    "partyorg_consumer_ready",
    "partyorg_dead_letter_messages",
}


@strawberry.type
class Query:
    ok: bool = True


def app_of(applied: list[str]) -> Callable[[ServiceSettings], FastAPI]:
    def create_app(settings: ServiceSettings) -> FastAPI:
        runtime = Runtime(settings)
        runtime.relay_events_of(runtime.db["things"])

        async def note(event: Event) -> None:
            applied.append(event.id)

        async def refuse(event: Event) -> None:
            raise RuntimeError("this handler cannot apply the event")

        runtime.subscribe({NOTED: note, REFUSED: refuse})
        return create_service_app(runtime, strawberry.Schema(Query), use_cases=None)

    return create_app


def settings_of(**overrides: object) -> ServiceSettings:
    # a service name of its own: the figures of other tests in this process stay apart
    return isolated(ServiceSettings, service_name=f"metrics-{unique_suffix()}", **overrides)


async def figures(client: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    text = (await client.get("/metrics")).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def figure(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def write_thing(runtime: Runtime, event_type: str) -> str:
    event = new_event(event_type, "/partyorg/tests", {"n": 1})
    await runtime.db["things"].insert_one({"_id": event["id"], PENDING: [event]})
    return str(event["id"])


@pytest.fixture
async def service() -> AsyncIterator[ServiceUnderTest]:
    applied: list[str] = []
    async with serve(app_of(applied), settings_of(max_deliveries=2)) as running:
        yield running


async def test_every_figure_ops_alert_on_is_exposed(service: ServiceUnderTest) -> None:
    await service.client.get("/healthz")
    text = (await service.client.get("/metrics")).text
    names = {family.name for family in text_string_to_metric_families(text)}
    # counters are named without _total in the exposition's families
    assert {name.removesuffix("_total") for name in PIPELINE_FIGURES} <= names
    name = service.settings.service_name
    bucket = (
        f'partyorg_http_request_seconds_bucket{{le="0.0001",route="/healthz",service="{name}"}}'
    )
    assert bucket in text  # latencies resolved below a millisecond


async def test_requests_are_counted_by_route_template_and_unknown_paths_add_no_series(
    service: ServiceUnderTest,
) -> None:
    name = service.settings.service_name
    for path in ("/healthz", "/wp-admin/setup.php", "/graphql/../etc/passwd", "/x1", "/x2"):
        await service.client.get(path)
    found = await figures(service.client)
    answered = {
        (labels["route"], labels["status"]): value
        for (sample, pairs), value in found.items()
        if sample == "partyorg_http_requests_total" and (labels := dict(pairs))["service"] == name
    }
    assert answered == {("/healthz", "200"): 1, ("unmatched", "404"): 4}
    routes = {
        labels["route"]
        for labels in (dict(pairs) for (_, pairs) in found)
        if labels.get("service") == name and "route" in labels
    }
    assert routes == {"/healthz", "unmatched"}  # /metrics counts once it has answered


async def test_published_applied_failed_and_dead_lettered_events_are_counted(
    service: ServiceUnderTest,
) -> None:
    name = service.settings.service_name
    runtime: Runtime = service.app.state.runtime
    before = await figures(service.client)
    assert figure(before, "partyorg_consumer_ready", service=name) == 1

    await write_thing(runtime, NOTED)  # its own relay publishes it, its consumer applies it

    async def published_and_applied() -> None:
        found = await figures(service.client)
        assert figure(found, "partyorg_events_published_total", service=name) == 1
        assert figure(found, "partyorg_events_applied_total", service=name, type=NOTED) == 1
        assert figure(found, "partyorg_outbox_pending_events", service=name) == 0

    await eventually(published_and_applied, timeout=20)

    await service.deliver(REFUSED, {"n": 2})  # failed twice, then dead-lettered
    dead = f"{service.settings.queue_name}.dead"

    async def failed_then_dead_lettered() -> None:
        found = await figures(service.client)
        assert (
            figure(found, "partyorg_event_handler_failures_total", service=name, type=REFUSED) >= 2
        )
        assert figure(found, "partyorg_dead_letter_messages", service=name, queue=dead) == 1

    await eventually(failed_then_dead_lettered, timeout=30)
    after = await figures(service.client)
    assert figure(after, "partyorg_events_applied_total", service=name, type=REFUSED) == 0


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_outbox_cut_off_from_the_broker_shows_its_backlog_ageing_and_no_consumer() -> None:
    # nothing listens where this service looks for RabbitMQ
    settings = settings_of(amqp_url=f"amqp://guest:guest@127.0.0.1:{closed_port()}/")
    app = app_of([])(settings)
    runtime: Runtime = app.state.runtime
    name = settings.service_name
    try:
        async with LifespanManager(app, startup_timeout=20):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                for _ in range(3):
                    await write_thing(runtime, NOTED)

                async def backlog_seen() -> None:
                    found = await figures(client)
                    assert figure(found, "partyorg_outbox_pending_events", service=name) == 3
                    assert figure(found, "partyorg_outbox_oldest_pending_seconds", service=name) > 0

                await eventually(backlog_seen, timeout=15)
                first = figure(
                    await figures(client), "partyorg_outbox_oldest_pending_seconds", service=name
                )
                await asyncio.sleep(1.1)
                found = await figures(client)
                assert (
                    figure(found, "partyorg_outbox_oldest_pending_seconds", service=name)
                    >= first + 1
                )
                assert figure(found, "partyorg_consumer_ready", service=name) == 0
                assert figure(found, "partyorg_events_published_total", service=name) == 0
    finally:
        settings.amqp_url = ServiceSettings().amqp_url
        await drop_resources(settings)


async def test_a_service_serves_no_page_that_loads_scripts_from_the_internet(
    service: ServiceUnderTest,
) -> None:
    signed = {IDENTITY_HEADER: service.identity_token(service.principal)}
    page = await service.client.get("/graphql", headers={"accept": "text/html", **signed})
    assert page.status_code != 401  # it reached the GraphQL endpoint
    assert "<script" not in page.text
