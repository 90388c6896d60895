"""Our gateway and @apollo/gateway side by side in front of the same live subgraphs, and how
their answers are compared."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from gateway_testkit.federated import Subgraph
from gateway_testkit.harness import run_gateway
from gateway_testkit.reference import run_reference_gateway
from gateway_testkit.serving import serve_subgraphs

from differential.corpus import Operation

# Limits are a policy of ours, not federation semantics: the generated operations exceed them.
UNLIMITED = {"max_depth": 100, "max_aliases": 1000, "max_root_fields": 100, "max_tokens": 100_000}


@dataclass
class Gateways:
    """Both gateways get the caller's token; @apollo/gateway ignores it."""

    ours: str
    apollo: str
    http: httpx.Client

    def ask(self, url: str, operation: Operation) -> dict[str, Any]:
        return self.post(url, operation).json()  # type: ignore[no-any-return]

    def post(self, url: str, operation: Operation) -> httpx.Response:
        body: dict[str, Any] = {"query": operation.query, "variables": operation.variables}
        if operation.operation_name:
            body["operationName"] = operation.operation_name
        return self.http.post(url, json=body)


@contextmanager
def both_gateways(supergraph: str, subgraphs: list[Subgraph]) -> Iterator[Gateways]:
    with serve_subgraphs(subgraphs) as running:
        urls = {n: s.url for n, s in running.items()}
        with (
            run_gateway(supergraph, running, **UNLIMITED) as ours,
            run_reference_gateway(supergraph, urls) as apollo,
            httpx.Client(timeout=30, headers=ours.http.headers) as http,
        ):
            yield Gateways(f"{ours.url}/graphql", f"{apollo}/", http)


def assert_same_answer(ours: dict[str, Any], apollo: dict[str, Any]) -> None:
    """Equal data, errors in both or in neither, at the same paths with the same codes."""
    assert ours.get("data") == apollo.get("data"), explain(ours, apollo)
    assert ("errors" in ours) == ("errors" in apollo), explain(ours, apollo)
    assert error_places(ours) == error_places(apollo), explain(ours, apollo)


def error_places(answer: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Where errors are and what code they carry (messages are free text)."""
    return sorted(
        (json.dumps(e.get("path")), (e.get("extensions") or {}).get("code"))
        for e in answer.get("errors", ())
    )


def explain(ours: dict[str, Any], reference: dict[str, Any], name: str = "apollo") -> str:
    return f"\nours:   {ours}\n{name + ':':7} {reference}"
