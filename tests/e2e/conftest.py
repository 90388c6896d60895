"""The whole suite running as real processes — three services and the gateway — on free
ports, with databases, an exchange and secrets of its own, against the local FerretDB and
RabbitMQ. Requests carry a user token, as a front-end app's would:

    gateway            as STAFF (every role but MEMBER over the whole tree)
    demo_gateway       as the demo loader (infra.demo.client.DEMO_LOADER)
    client_for(...)    as anybody: client_for(grants=[Grant(Role.WARD_COMMITTEE, ward_id)]),
                       client_for(Principal(...)), client_for(grants=..., member_id=...)

Every process's log is in `suite.log_files[name]` (the run's directory is printed at the end).
"""

import asyncio
import contextlib
import os
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from kit.identity import Grant, Principal
from kit.testing import STAFF, GraphQLFailed, delete_from_broker, eventually

from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.local.suite import DEFAULT_PORTS, SERVICES, Suite, free_port
from tests.e2e.left_databases import LEFT

__all__ = ["STAFF", "ClientFor", "eventually"]


class Gateway(DemoGateway):
    """The e2e client: `execute` returns the whole response, `execute_ok` only data."""

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post(self.url, json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        return body

    async def execute_ok(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        body = await self.execute(query, variables)
        if body.get("errors"):
            raise GraphQLFailed(body["errors"])
        data: dict[str, Any] = body["data"]
        return data


ClientFor = Callable[..., Gateway]


@contextlib.contextmanager
def running_suite(name: str, env: dict[str, str] | None = None) -> Iterator[Suite]:
    """The whole suite started for a test session (`name`: e2e, faults), stopped after it with
    its exchange and queues; `env`, variables of its processes besides the usual."""
    run_id = uuid.uuid4().hex[:8]
    run_dir = Path(tempfile.mkdtemp(prefix=f"partyorg-{name}-{run_id}-"))
    running = Suite(
        ports={service: free_port() for service in DEFAULT_PORTS},
        database_prefix=f"{name}_{run_id}_",
        exchange=f"{name}.{run_id}",
        run_dir=run_dir,
        extra_env={
            "OUTBOX_POLL_SECONDS": "0.2",
            "LOG_LEVEL": "INFO",
            # left over from when the gateway and the services shared a secret: ignored now
            # (tests/e2e/test_security_subgraphs.py forges a token with it)
            "INTERNAL_TOKEN_SECRET": secrets.token_urlsafe(48),
            **(env or {}),
        },
    )
    try:
        running.up()
        yield running
    finally:
        running.stop()
        amqp_url = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
        asyncio.run(delete_from_broker(amqp_url, running.exchange, SERVICES))
        LEFT.append(running.database_prefix)  # dropped at the session's end
        print(f"\n{name} logs: {run_dir / 'logs'}")


@pytest.fixture(scope="session")
def suite() -> Iterator[Suite]:
    with running_suite("e2e") as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def client_for(suite: Suite) -> AsyncIterator[ClientFor]:
    """Gateway clients acting as a given principal, closed at the end of the test."""
    clients: list[Gateway] = []

    def make(
        principal: Principal | None = None,
        *,
        grants: Iterable[Grant] = (),
        member_id: str | None = None,
        name: str = "",
        headers: dict[str, str] | None = None,
    ) -> Gateway:
        if principal is None:
            subject = f"e2e-{uuid.uuid4().hex[:8]}"
            principal = Principal(subject, name or subject, tuple(grants), member_id)
        client = Gateway(suite.gateway_url, {**suite.authorization(principal), **(headers or {})})
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(client_for: ClientFor) -> Gateway:
    return client_for(STAFF)


@pytest_asyncio.fixture(loop_scope="session")
async def demo_gateway(suite: Suite) -> AsyncIterator[DemoGateway]:
    """The client the demo loaders use (raises on errors), on the e2e suite's gateway."""
    client = DemoGateway(suite.gateway_url, suite.authorization(DEMO_LOADER))
    yield client
    await client.close()
