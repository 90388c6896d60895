"""The RabbitMQ users compose makes (infra/rabbitmq/users.py) are enough for the services and
no more: the three services run on them, in a virtual host of the test's own on the local
broker, and an event travels, into the public stream as well, which the city account reads;
a service cannot publish another's event types nor touch another's queue."""

import asyncio
import contextlib
import json
import shutil
import subprocess
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from evaluations.config import Settings as EvaluationsSettings
from evaluations.main import create_app as create_evaluations
from kit.settings import ServiceSettings
from kit.testing import ServiceUnderTest, eventually, isolated, serve
from members.config import Settings as MembersSettings
from members.main import create_app as create_members
from organisations.config import Settings as OrganisationsSettings
from organisations.main import create_app as create_organisations
from pymongo import AsyncMongoClient

from examples.city_stream import STREAM, follow
from infra.rabbitmq.users import (
    EXCHANGE,
    PUBLIC_EXCHANGE,
    SERVICES,
    permissions,
    stream_reader_permissions,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]

CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, timeout=60, capture_output=True)


@pytest.fixture(scope="module")
def broker_users() -> Iterator[dict[str, str]]:
    """AMQP URLs of one user per service, with compose's permissions, in a fresh vhost."""
    local = urllib.parse.urlsplit(ServiceSettings().amqp_url)
    if shutil.which("rabbitmqctl") is None or local.hostname not in ("127.0.0.1", "localhost"):
        pytest.skip("needs the local RabbitMQ and rabbitmqctl (infra/local/infra.sh up)")
    suffix = uuid.uuid4().hex[:8]
    vhost = f"partyorg-users-{suffix}"
    users = {service: f"{service}-{suffix}" for service in SERVICES}
    users["city"] = f"city-{suffix}"
    password = uuid.uuid4().hex
    rabbitmqctl("add_vhost", vhost)
    try:
        for service, user in users.items():
            granted = stream_reader_permissions() if service == "city" else permissions(service)
            rabbitmqctl("add_user", user, password)
            rabbitmqctl(
                "set_permissions",
                *("-p", vhost, user, granted.configure, granted.write, granted.read),
            )
            for exchange in granted.topic_exchanges:
                rabbitmqctl(
                    "set_topic_permissions",
                    *("-p", vhost, user, exchange, granted.topic_write, granted.topic_read),
                )
        address = f"{local.hostname}:{local.port or 5672}/{urllib.parse.quote(vhost, safe='')}"
        declare_exchanges(f"amqp://guest:guest@{address}", vhost)
        yield {service: f"amqp://{user}:{password}@{address}" for service, user in users.items()}
    finally:
        for user in users.values():
            with contextlib.suppress(subprocess.CalledProcessError):
                rabbitmqctl("delete_user", user)
        rabbitmqctl("delete_vhost", vhost)


def declare_exchanges(admin_url: str, vhost: str) -> None:
    """What compose's rabbitmq-users job does before any service starts: the three exchanges,
    the public stream and its binding (definitions.json)."""
    definitions = json.loads((ROOT / "infra" / "rabbitmq" / "definitions.json").read_text())
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")

    async def declare() -> None:
        connection = await aio_pika.connect(admin_url)
        async with connection:
            channel = await connection.channel()
            for exchange in definitions["exchanges"]:
                kind = aio_pika.ExchangeType(exchange["type"])
                await channel.declare_exchange(exchange["name"], kind, durable=True)
            for queue in definitions["queues"]:
                await channel.declare_queue(
                    queue["name"], durable=queue["durable"], arguments=queue["arguments"]
                )
            for binding in definitions["bindings"]:
                stream = await channel.get_queue(binding["destination"], ensure=False)
                await stream.bind(binding["source"], routing_key=binding["routing_key"])

    asyncio.run(declare())


@contextlib.asynccontextmanager
async def the_suite(
    urls: dict[str, str],
) -> AsyncIterator[tuple[ServiceUnderTest, ServiceUnderTest, ServiceUnderTest]]:
    common: dict[str, Any] = {"event_exchange": EXCHANGE, "declare_exchanges": False}
    async with (
        serve(
            create_organisations,
            isolated(OrganisationsSettings, amqp_url=urls["organisations"], **common),
        ) as organisations,
        serve(create_members, isolated(MembersSettings, amqp_url=urls["members"], **common)) as m,
        serve(
            create_evaluations,
            isolated(EvaluationsSettings, amqp_url=urls["evaluations"], **common),
        ) as evaluations,
    ):
        yield organisations, m, evaluations


async def roster(evaluations: ServiceUnderTest) -> list[dict[str, Any]]:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(evaluations.settings.mongodb_url)
    try:
        collection = mongo[evaluations.settings.database_name]["roster"]
        return [document async for document in collection.find({})]
    finally:
        await mongo.close()


async def test_the_services_run_on_their_own_users_and_an_event_travels_through_all_three(
    broker_users: dict[str, str],
) -> None:
    async with the_suite(broker_users) as (organisations, members, evaluations):
        tag = uuid.uuid4().hex[:6].upper()
        parent = None
        for kind, extra in [
            ("CITY_COMMITTEE", {}),
            ("DISTRICT_COMMITTEE", {}),
            ("WARD_COMMITTEE", {}),
            ("CELL", {"cellType": "RESIDENTIAL", "coverage": ["TDP 1"]}),
        ]:
            fields = {"code": f"{kind}-{tag}", "name": kind.title(), "kind": kind, **extra}
            if parent:
                fields["parentId"] = parent
            created = await organisations.execute_ok(CREATE, {"input": fields})
            parent = created["createOrganisation"]["id"]
        cell = parent
        member = {
            "cardNumber": f"09.{tag}",
            "fullName": "Trần Văn Thành",
            "dateOfBirth": "1979-02-03",
            "gender": "MALE",
            "standing": "OFFICIAL",
            "admittedOn": "2004-06-01",
            "officialOn": "2005-06-01",
            "organisationId": cell,
        }
        await eventually(lambda: members.execute_ok(REGISTER, {"input": member}))

        async def on_the_roster() -> None:
            assert [entry["full_name"] for entry in await roster(evaluations)] == ["Trần Văn Thành"]

        await eventually(on_the_roster)

        async def on_the_public_stream() -> list[dict[str, Any]]:
            read = follow(broker_users["city"], "first", stream=STREAM, idle_seconds=1.0)
            events = [event.event async for event in read]
            types = [event["type"] for event in events]
            assert "partyorg.members.member.registered.v1" in types
            assert "partyorg.organisations.organisation.registered.v1" in types
            return events

        events = await eventually(on_the_public_stream)
        [registered] = [e for e in events if e["type"] == "partyorg.members.member.registered.v1"]
        assert registered["data"]["organisationId"] == cell
        assert "Trần Văn Thành" not in json.dumps(events, ensure_ascii=False)
        assert not {"fullName", "keyDigests"} & set(registered["data"])


async def refused(attempt: Any) -> str:
    """The broker's refusal of an attempt, which closes the channel."""
    with pytest.raises(aio_pika.exceptions.ChannelClosed) as closed:
        await attempt
    return str(closed.value)


@pytest.mark.parametrize("exchange_name", [EXCHANGE, PUBLIC_EXCHANGE])
async def test_a_service_may_publish_only_its_own_event_types(
    broker_users: dict[str, str], exchange_name: str
) -> None:
    connection = await aio_pika.connect(broker_users["members"])
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            exchange_name, aio_pika.ExchangeType.TOPIC, durable=True, passive=True
        )
        message = aio_pika.Message(b"{}")
        await exchange.publish(message, routing_key="partyorg.members.test.published.v1")
        forged = exchange.publish(
            message, routing_key="partyorg.organisations.dissolution.decided.v1"
        )
        assert "ACCESS_REFUSED" in await refused(forged)


async def test_a_service_cannot_read_or_bind_another_services_queue(
    broker_users: dict[str, str],
) -> None:
    async with the_suite(broker_users):  # each service has declared its own queue
        connection = await aio_pika.connect(broker_users["members"])
        async with connection:
            channel = await connection.channel()
            other = f"{EXCHANGE}.evaluations"
            assert "ACCESS_REFUSED" in await refused(channel.declare_queue(other, durable=True))
            channel = await connection.channel()
            queue = await channel.get_queue(other, ensure=False)
            assert "ACCESS_REFUSED" in await refused(queue.get(fail=False))
            channel = await connection.channel()
            queue = await channel.get_queue(other, ensure=False)
            exchange = await channel.get_exchange(EXCHANGE, ensure=False)
            assert "ACCESS_REFUSED" in await refused(queue.bind(exchange, "partyorg.#"))


async def test_a_service_cannot_delete_or_redefine_the_shared_exchanges(
    broker_users: dict[str, str],
) -> None:
    connection = await aio_pika.connect(broker_users["organisations"])
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(EXCHANGE, ensure=True)  # passive: allowed
        assert "ACCESS_REFUSED" in await refused(exchange.delete())
        channel = await connection.channel()
        redefined = channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        assert "ACCESS_REFUSED" in await refused(redefined)
