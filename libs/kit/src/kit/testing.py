"""Support for integration tests: a service started in-process against real FerretDB and
RabbitMQ, with a database and an exchange of its own, and a way to deliver events to it.
Requests carry an identity signed with GATEWAY_KEY, a test gateway's key the service trusts.

    async with serve(create_app, Settings) as service:
        data = await service.execute_ok("{ organisation(id: $id) { name } }", {"id": ...})
        await service.execute(query, principal=Principal("u-1", grants=(Grant(Role.MEMBER),), ...))
        await service.deliver("partyorg.organisations.organisation.registered.v1", {...})
        await eventually(lambda: ...)
"""

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aio_pika
import httpx
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from pymongo import AsyncMongoClient

from kit.bus import EventBus
from kit.events import new_event
from kit.identity import IDENTITY_HEADER, Grant, Principal, Role, _principal, sign_internal
from kit.mongo import Document
from kit.settings import ServiceSettings
from kit.watched_commands import FINDS as FINDS
from kit.watched_commands import FindCounter as FindCounter

S = TypeVar("S", bound=ServiceSettings)
T = TypeVar("T")


# The key of the gateway that services under test trust (isolated() gives them its public key)
GATEWAY_KEY = Ed25519PrivateKey.generate()


def public_pem(private_key: Ed25519PrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def hand_signed(header: dict[str, Any], claims: dict[str, Any], hmac_key: bytes | None) -> str:
    """A compact JWS put together by hand, as a forger would: any header (alg none, HS256 over
    the gateway's public key…), an HMAC-SHA256 signature with `hmac_key` or none."""

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    if hmac_key is None:
        return signing_input + "."
    signature = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def unique_suffix() -> str:
    return uuid.uuid4().hex[:10]


def isolated(settings_class: type[S], **overrides: Any) -> S:
    """Settings with a database and an exchange that no other test run uses."""
    suffix = unique_suffix()
    defaults: dict[str, Any] = {
        "mongodb_database": f"test_{suffix}",
        "event_exchange": f"test.{suffix}",
        "outbox_poll_seconds": 0.2,
        "internal_token_public_keys": public_pem(GATEWAY_KEY),
    }
    return settings_class(**{**defaults, **overrides})


class GraphQLFailed(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"GraphQL errors: {errors}")
        self.errors = errors


# Every staff role over the whole tree: what tests of a service's behaviour (not of its
# authorisation) act as. MEMBER needs a member id, so tests of self-assessment name their own.
STAFF = Principal(
    "tester",
    "Người kiểm thử",
    tuple(Grant(role) for role in Role if role is not Role.MEMBER),
)


@contextlib.contextmanager
def calling_as(principal: Principal = STAFF) -> Iterator[Principal]:
    """The caller of a schema executed directly (`schema.execute(...)`, no app around it), as
    the identity middleware sets it for a request."""
    reset = _principal.set(principal)
    try:
        yield principal
    finally:
        _principal.reset(reset)


@dataclass
class ServiceUnderTest:
    """Requests carry the gateway's identity token for `principal` (every staff role over the
    whole tree unless a test names another), unless the test sets the header itself."""

    app: FastAPI
    settings: ServiceSettings
    client: httpx.AsyncClient
    publisher: EventBus
    headers: dict[str, str] = field(default_factory=dict)
    principal: Principal = field(default_factory=lambda: STAFF)

    def identity_token(self, principal: Principal) -> str:
        return sign_internal(principal, GATEWAY_KEY)

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        principal: Principal | None = None,
    ) -> dict[str, Any]:
        headers = {IDENTITY_HEADER: self.identity_token(principal or self.principal)}
        response = await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={**headers, **self.headers},
        )
        body: dict[str, Any] = response.json()
        return body

    async def execute_ok(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        principal: Principal | None = None,
    ) -> dict[str, Any]:
        body = await self.execute(query, variables, principal=principal)
        if body.get("errors"):
            raise GraphQLFailed(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def deliver(
        self,
        event_type: str,
        data: dict[str, Any],
        *,
        id: str | None = None,
        off_contract: bool = False,
    ) -> str:
        """Publish an event onto this service's exchange, as another service would. It is
        checked against its asyncapi.yaml (kit.event_contracts) unless the test breaks the
        contract on purpose (`off_contract`: what a consumer does with a malformed event)."""
        event = new_event(event_type, "/partyorg/tests", data, id=id)
        check = self.publisher.contract_check
        self.publisher.contract_check = None if off_contract else check
        try:
            await self.publisher.publish(event)
        finally:
            self.publisher.contract_check = check
        return str(event["id"])


async def eventually(
    check: Callable[[], Awaitable[T]], timeout: float = 15.0, interval: float = 0.1
) -> T:
    """Poll until `check` returns without raising AssertionError (or a truthy value)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            result = await check()
            if result is None or result:
                return result
            raise AssertionError(f"check returned {result!r}")
        except AssertionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(interval)


async def drop_resources(settings: ServiceSettings) -> None:
    """Drop the test's database, its queues and its exchanges."""
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(settings.mongodb_url)
    await mongo.drop_database(settings.database_name)
    await mongo.close()
    await delete_from_broker(settings.amqp_url, settings.event_exchange, [settings.service_name])


async def delete_from_broker(amqp_url: str, exchange: str, services: Iterable[str]) -> None:
    """Delete an event exchange, its dead-letter and public exchanges, its public stream and
    the queues (main and dead) the services named consumed it through: a broker that keeps
    every test run's grows slow."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for service in services:
            for queue in (f"{exchange}.{service}", f"{exchange}.{service}.dead"):
                with contextlib.suppress(Exception):
                    await channel.queue_delete(queue)
        with contextlib.suppress(Exception):
            await channel.queue_delete(f"{exchange}.stream")
        for name in (exchange, f"{exchange}.dead-letter", f"{exchange}.public"):
            with contextlib.suppress(Exception):
                await channel.exchange_delete(name)


_STOP_STEPS = 8  # Runtime.stop's steps, at most: tasks, leases (two now), consumer, bus, client


@contextlib.asynccontextmanager
async def serve(
    create_app: Callable[[S], FastAPI], settings: S, ready_timeout: float = 20.0
) -> AsyncIterator[ServiceUnderTest]:
    """The service's app with its lifespan running: relay and consumer started and ready.
    Its stop is waited for as long as the runtime bounds it: `stop_seconds` for the tasks and
    for each lease and connection it closes (a loaded machine's stop takes more than the 5 s
    the lifespan manager gives by default)."""
    app = create_app(settings)
    publisher = EventBus(settings)
    stopping = settings.stop_seconds * _STOP_STEPS
    async with LifespanManager(app, startup_timeout=ready_timeout, shutdown_timeout=stopping):
        runtime = app.state.runtime
        await asyncio.wait_for(runtime.consumer.ready.wait(), ready_timeout)
        await asyncio.wait_for(publisher.connect(), ready_timeout)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            try:
                yield ServiceUnderTest(app, settings, client, publisher)
            finally:
                await publisher.close()
    await drop_resources(settings)


Argument = tuple[str, Any]  # its GraphQL type, its value


async def ask_every_combination(
    service: ServiceUnderTest,
    field: str,
    filters: dict[str, Argument],
    selection: str,
    *,
    always: dict[str, Argument] | None = None,
    around: tuple[str, str] = ("", ""),
    given: dict[str, Argument] | None = None,
    principal: Principal | None = None,
) -> int:
    """Ask `field` with each subset of its optional `filters` (name → argument), so that every
    query shape a list can send reaches the session's index check; the arguments `always` are
    given each time; `around` wraps the field in an enclosing selection whose variables are
    `given`. Every answer must be free of
    errors. Returns how many calls it made."""
    names = list(filters)
    subsets = [
        chosen for size in range(len(names) + 1) for chosen in itertools.combinations(names, size)
    ]
    for chosen in subsets:
        asked = [*(always or {}), *chosen]
        variables = {**(given or {}), **(always or {}), **{name: filters[name] for name in chosen}}
        declared = ", ".join(f"${name}: {kind}" for name, (kind, _) in variables.items())
        arguments = ", ".join(f"{name}: ${name}" for name in asked)
        call = f"{field}({arguments})" if arguments else field
        body = f"{{ {around[0]} {call} {selection} {around[1]} }}"
        query = f"query ({declared}) {body}" if variables else f"query {body}"
        values = {name: value for name, (_, value) in variables.items()}
        await service.execute_ok(query, values, principal=principal)
    return len(subsets)
