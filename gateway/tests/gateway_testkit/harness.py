"""Runs the gateway under test in front of live test subgraphs."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from gateway.http_protocol import GatewayHttpProtocol
from gateway.server import create_app
from gateway.settings import Settings

from gateway_testkit.identity import GATEWAY_AUTH, staff_token
from gateway_testkit.serving import RunningSubgraph, serve_app


@dataclass
class GatewayUnderTest:
    """`http` sends a staff member's token with every request, unless told otherwise."""

    url: str
    subgraphs: dict[str, RunningSubgraph]
    http: httpx.Client

    def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        return self.post(query, variables, headers, operation_name).json()  # type: ignore[no-any-return]

    def post(
        self,
        query: str | None,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        operation_name: str | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        if operation_name is not None:
            body["operationName"] = operation_name
        if extensions is not None:
            body["extensions"] = extensions
        return self.http.post(f"{self.url}/graphql", json=body, headers=headers or {})

    def subgraph_calls(self) -> int:
        return sum(s.log.count for s in self.subgraphs.values())

    def clear_logs(self) -> None:
        for subgraph in self.subgraphs.values():
            subgraph.log.clear()


@contextmanager
def run_gateway(
    supergraph: str, subgraphs: dict[str, RunningSubgraph], **settings: Any
) -> Iterator[GatewayUnderTest]:
    """The gateway accepts local HS256 tokens (identity.AUTH_SECRET) unless `settings` say
    otherwise."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "supergraph.graphql"
        path.write_text(supergraph)
        config = Settings(
            supergraph=path,
            subgraph_urls={name: s.url for name, s in subgraphs.items()},
            **{"watch_supergraph": False, **GATEWAY_AUTH, **settings},
        )
        authorization = {"authorization": f"Bearer {staff_token()}"}
        with (
            serve_app(create_app(config), http=GatewayHttpProtocol) as url,
            httpx.Client(timeout=30, headers=authorization) as http,
        ):
            yield GatewayUnderTest(url, subgraphs, http)
