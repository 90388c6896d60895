"""The whole suite running as real processes — three services and the gateway — on free
ports, with databases and an exchange of its own, against the local FerretDB and RabbitMQ."""

import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from kit.testing import GraphQLFailed, eventually

from infra.demo.client import DemoGateway
from infra.local.suite import DEFAULT_PORTS, Suite, free_port

__all__ = ["eventually"]


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


@pytest.fixture(scope="session")
def suite() -> Iterator[Suite]:
    run_id = uuid.uuid4().hex[:8]
    run_dir = Path(tempfile.mkdtemp(prefix=f"partyorg-e2e-{run_id}-"))
    running = Suite(
        ports={name: free_port() for name in DEFAULT_PORTS},
        database_prefix=f"e2e_{run_id}_",
        exchange=f"e2e.{run_id}",
        run_dir=run_dir,
        extra_env={"OUTBOX_POLL_SECONDS": "0.2", "LOG_LEVEL": "INFO"},
    )
    try:
        running.up()
        yield running
    finally:
        running.stop()
        print(f"\ne2e logs: {run_dir / 'logs'}")


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(suite: Suite) -> AsyncIterator[Gateway]:
    client = Gateway(suite.gateway_url)
    yield client
    await client.close()


@pytest_asyncio.fixture(loop_scope="session")
async def demo_gateway(suite: Suite) -> AsyncIterator[DemoGateway]:
    """The client the demo loaders use (raises on errors), on the e2e suite's gateway."""
    client = DemoGateway(suite.gateway_url)
    yield client
    await client.close()
