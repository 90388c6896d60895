"""The public event stream on the real RabbitMQ: every event published on the exchange is kept
in a stream that a read-only account replays from the start, from an offset or from a time, as
many times as it likes (examples/city_stream.py reads it); the stream has its retention."""

import asyncio
import contextlib
import json
import re
import shutil
import subprocess
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import aio_pika
import pytest
import pytest_asyncio
from kit.bus import EventBus
from kit.events import new_event
from kit.mongo import Document
from kit.settings import ServiceSettings
from kit.testing import delete_from_broker, isolated

from examples.city_stream import StreamEvent, follow
from infra.rabbitmq.users import stream_reader_permissions

pytestmark = pytest.mark.integration


def rabbitmqctl(*args: str) -> str:
    done = subprocess.run(
        ["rabbitmqctl", "-q", *args], check=True, timeout=60, capture_output=True, text=True
    )
    return done.stdout


@contextlib.contextmanager
def stream_reader(settings: ServiceSettings) -> Iterator[str]:
    """The AMQP URL of an account with the city account's rights on this test's stream."""
    local = urllib.parse.urlsplit(settings.amqp_url)
    if shutil.which("rabbitmqctl") is None or local.hostname not in ("127.0.0.1", "localhost"):
        pytest.skip("needs the local RabbitMQ and rabbitmqctl (infra/local/infra.sh up)")
    user, password = f"city-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    granted = stream_reader_permissions(settings.event_exchange)
    rabbitmqctl("add_user", user, password)
    try:
        rabbitmqctl("set_permissions", user, granted.configure, granted.write, granted.read)
        yield f"amqp://{user}:{password}@{local.hostname}:{local.port or 5672}/"
    finally:
        rabbitmqctl("delete_user", user)


@pytest_asyncio.fixture(loop_scope="session")
async def bus() -> AsyncIterator[EventBus]:
    bus = EventBus(isolated(ServiceSettings, service_name="stream"))
    await bus.connect()
    yield bus
    await bus.close()
    await delete_from_broker(bus.settings.amqp_url, bus.settings.event_exchange, [])


async def publish(bus: EventBus, label: str, count: int) -> list[Document]:
    events = [
        new_event(f"partyorg.test.{label}.v1", "/partyorg/tests", {"n": n}) for n in range(count)
    ]
    failures = await bus.publish_many(events)
    assert failures == [None] * count
    return events


async def read(url: str, start: str | int | datetime, stream: str) -> list[StreamEvent]:
    # read until nothing more comes for a while: a loaded broker may take a second or two to
    # find where a time falls
    return [event async for event in follow(url, start, stream=stream, idle_seconds=2.0)]


async def test_a_reader_replays_every_event_from_the_first_from_an_offset_and_from_a_time(
    bus: EventBus,
) -> None:
    stream = bus.settings.public_stream
    before = await publish(bus, "before", 3)
    await asyncio.sleep(1.5)  # the broker times a stream's chunks by the second
    since = datetime.now(UTC)
    await asyncio.sleep(1.0)
    after = await publish(bus, "after", 4)
    with stream_reader(bus.settings) as url:
        everything = await read(url, "first", stream)
        assert [e.event["id"] for e in everything] == [e["id"] for e in before + after]
        assert [e.offset for e in everything] == list(range(7))
        assert everything[0].event["data"] == {"n": 0}

        from_offset = await read(url, 5, stream)
        assert [e.event["id"] for e in from_offset] == [e["id"] for e in after[2:]]

        from_time = await read(url, since, stream)
        assert [e.event["id"] for e in from_time] == [e["id"] for e in after]

        again = await read(url, "first", stream)  # reading takes nothing away
        assert [e.offset for e in again] == [e.offset for e in everything]


async def test_the_stream_keeps_events_for_the_retention_of_the_settings(bus: EventBus) -> None:
    listed = rabbitmqctl("list_queues", "name", "type", "arguments")
    [line] = [row for row in listed.splitlines() if row.startswith(bus.settings.public_stream)]
    assert "\tstream\t" in line
    assert re.search(r'"x-max-age",[^}]*"30D"', line), line
    assert re.search(r'"x-max-length-bytes",[^}]*10000000000\b', line), line


async def test_a_bus_with_other_retention_than_the_declared_stream_still_publishes(
    bus: EventBus,
) -> None:
    other = EventBus(bus.settings.model_copy(update={"public_stream_max_age": "7D"}))
    await other.connect()
    try:
        [event] = await publish(other, "redeclared", 1)
    finally:
        await other.close()
    with stream_reader(bus.settings) as url:
        events = await read(url, "first", bus.settings.public_stream)
    assert event["id"] in {e.event["id"] for e in events}


async def refused(attempt: object) -> str:
    with pytest.raises(aio_pika.exceptions.ChannelClosed) as closed:
        await attempt  # type: ignore[misc]
    return str(closed.value)


async def test_the_read_only_account_can_neither_publish_nor_declare_nor_read_other_queues(
    bus: EventBus,
) -> None:
    settings = bus.settings
    service_queue = f"{settings.event_exchange}.reader-test"
    admin = await aio_pika.connect(settings.amqp_url)
    async with admin:
        await (await admin.channel()).declare_queue(service_queue, auto_delete=True)
        with stream_reader(settings) as url:
            connection = await aio_pika.connect(url)
            async with connection:
                channel = await connection.channel()
                exchange = await channel.get_exchange(settings.event_exchange, ensure=False)
                message = aio_pika.Message(b"{}")
                forged = exchange.publish(message, routing_key="partyorg.test.forged.v1")
                assert "ACCESS_REFUSED" in await refused(forged)
                channel = await connection.channel()
                declared = channel.declare_queue(f"{settings.event_exchange}.mine", durable=True)
                assert "ACCESS_REFUSED" in await refused(declared)
                channel = await connection.channel()
                other = await channel.get_queue(service_queue, ensure=False)
                assert "ACCESS_REFUSED" in await refused(other.get(fail=False))
                channel = await connection.channel()
                stream = await channel.get_queue(settings.public_stream, ensure=False)
                assert "ACCESS_REFUSED" in await refused(stream.delete(if_unused=False))


async def test_the_stream_has_each_event_without_its_personal_data_the_services_have_it_whole(
    bus: EventBus,
) -> None:
    settings = bus.settings.model_copy(update={"service_name": "personal"})
    named = "partyorg.test.named.v1"
    publisher = EventBus(settings, personal={named: ("fullName", "decision.signer")})
    admin = await aio_pika.connect(settings.amqp_url)
    async with admin:
        channel = await admin.channel()
        services = await channel.declare_queue(exclusive=True)
        await services.bind(settings.event_exchange, routing_key="partyorg.test.named.#")
        await publisher.connect()
        try:
            data = {"memberId": "m-1", "fullName": "Nguyễn Thị Hằng"}
            event = new_event(named, "/partyorg/tests", {**data, "decision": {"signer": "Bí thư"}})
            assert await publisher.publish_many([event]) == [None]
        finally:
            await publisher.close()
        whole = await services.get(timeout=5)
        assert json.loads(whole.body)["data"] == event["data"]
    with stream_reader(settings) as url:
        events = await read(url, "first", settings.public_stream)
    [public] = [e.event for e in events if e.event["id"] == event["id"]]
    assert public["data"] == {"memberId": "m-1", "decision": {}}
    assert (public["type"], public["source"]) == (named, "/partyorg/tests")


async def test_a_stream_bound_to_the_services_exchange_by_an_earlier_release_is_unbound(
    bus: EventBus,
) -> None:
    settings = bus.settings
    admin = await aio_pika.connect(settings.amqp_url)
    async with admin:
        channel = await admin.channel()
        stream = await channel.get_queue(settings.public_stream, ensure=False)
        await stream.bind(settings.event_exchange, routing_key="partyorg.#")  # as it was
    again = EventBus(settings)
    await again.connect()
    try:
        [event] = await publish(again, "after-upgrade", 1)
    finally:
        await again.close()
    with stream_reader(settings) as url:
        events = await read(url, "first", settings.public_stream)
    assert [e.event["id"] for e in events].count(event["id"]) == 1
