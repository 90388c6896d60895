"""GATEWAY_SHARE_FETCHES: identical query fetches of one caller in flight at once share one
subgraph request; another caller's, a mutation, or a gateway neither sharing nor coalescing
(GATEWAY_COALESCE_FETCHES=false) never do."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from gateway.coalescing import JOINED_REQUEST_IDS
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.identity import local_token, staff_token
from gateway_testkit.serving import serve_subgraphs

SLOW_SECONDS = 0.5  # the accounts subgraph's `me`: long enough for every request to overlap
ME_AND_REVIEWS = "{ me { name reviews { id } } }"
EXPECTED = {"me": {"name": "Ada Lovelace", "reviews": [{"id": "r1"}, {"id": "r3"}, {"id": "r6"}]}}


def slow_subgraphs() -> list[Any]:
    subgraphs = []
    for subgraph in catalog_subgraphs():
        if subgraph.name == "accounts":
            me = subgraph.resolvers["Query.me"]

            async def slow_me(source: Any, info: Any, _me: Any = me, **args: Any) -> Any:
                await asyncio.sleep(SLOW_SECONDS)
                return _me(source, info, **args)

            subgraph = dataclasses.replace(
                subgraph, resolvers={**subgraph.resolvers, "Query.me": slow_me}
            )
        subgraphs.append(subgraph)
    return subgraphs


@pytest.fixture(scope="module")
def running() -> Iterator[dict[str, Any]]:
    with serve_subgraphs(slow_subgraphs()) as running:
        yield running


@pytest.fixture(scope="module")
def sharing(running: dict[str, Any]) -> Iterator[GatewayUnderTest]:
    with run_gateway(supergraph_of("catalog"), running, share_fetches=True) as gateway:
        yield gateway


@pytest.fixture(scope="module")
def coalescing(running: dict[str, Any]) -> Iterator[GatewayUnderTest]:
    with run_gateway(supergraph_of("catalog"), running) as gateway:  # the default
        yield gateway


@pytest.fixture(scope="module")
def separate(running: dict[str, Any]) -> Iterator[GatewayUnderTest]:
    with run_gateway(supergraph_of("catalog"), running, coalesce_fetches=False) as gateway:
        yield gateway


def at_once(
    gateway: GatewayUnderTest, bodies: list[tuple[str, dict[str, Any]]], prefix: str = "req-"
) -> list[Any]:
    """Sends every (token, body) at the same time; the answers in order."""

    async def send_all() -> list[Any]:
        limits = httpx.Limits(max_connections=len(bodies))
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            sent = [
                client.post(
                    f"{gateway.url}/graphql",
                    json=body,
                    headers={"authorization": f"Bearer {token}", "x-request-id": f"{prefix}{i}"},
                )
                for i, (token, body) in enumerate(bodies)
            ]
            return [response.json() for response in await asyncio.gather(*sent)]

    return asyncio.run(send_all())


def test_one_callers_identical_queries_at_once_share_each_fetch(
    sharing: GatewayUnderTest,
) -> None:
    sharing.clear_logs()
    answers = at_once(sharing, [(staff_token(), {"query": ME_AND_REVIEWS})] * 8)
    assert answers == [{"data": EXPECTED}] * 8
    assert sharing.subgraphs["accounts"].log.count == 1
    assert sharing.subgraphs["reviews"].log.count == 1
    sent = sharing.subgraphs["accounts"].log.requests[0]["headers"]["x-request-id"]
    assert sent in {f"req-{i}" for i in range(8)}


def test_callers_do_not_share_and_neither_do_different_fetches(
    sharing: GatewayUnderTest,
) -> None:
    sharing.clear_logs()
    other = local_token("u-other", grants=["AUDITOR"], ttl_seconds=3600)
    answers = at_once(
        sharing,
        [
            (staff_token(), {"query": ME_AND_REVIEWS}),
            (other, {"query": ME_AND_REVIEWS}),
            (staff_token(), {"query": "{ me { name } }"}),
        ],
    )
    assert [answer["data"]["me"]["name"] for answer in answers] == ["Ada Lovelace"] * 3
    assert sharing.subgraphs["accounts"].log.count == 3
    identities = {
        r["headers"]["x-partyorg-identity"] for r in sharing.subgraphs["accounts"].log.requests
    }
    assert len(identities) == 2


@pytest.mark.parametrize("mode", ["sharing", "coalescing"])
def test_mutations_are_never_shared_nor_joined(mode: str, request: pytest.FixtureRequest) -> None:
    gateway: GatewayUnderTest = request.getfixturevalue(mode)
    gateway.clear_logs()
    rename = {"query": 'mutation { renameUser(id: "u2", name: "Grace Hopper") { id name } }'}
    answers = at_once(gateway, [(staff_token(), rename)] * 3)
    assert all("errors" not in answer for answer in answers)
    assert gateway.subgraphs["accounts"].log.count == 3
    assert all(
        JOINED_REQUEST_IDS not in r["headers"] for r in gateway.subgraphs["accounts"].log.requests
    )


def test_a_gateway_neither_sharing_nor_coalescing_sends_every_fetch(
    separate: GatewayUnderTest,
) -> None:
    separate.clear_logs()
    answers = at_once(separate, [(staff_token(), {"query": ME_AND_REVIEWS})] * 4)
    assert answers == [{"data": EXPECTED}] * 4
    assert separate.subgraphs["accounts"].log.count == 4
    assert separate.subgraphs["reviews"].log.count == 4
    for request in separate.subgraphs["accounts"].log.requests:
        assert JOINED_REQUEST_IDS not in request["headers"]


def test_by_default_each_request_is_named_once_to_each_subgraph_it_reads(
    coalescing: GatewayUnderTest,
) -> None:
    """However many were joined (GATEWAY_COALESCE_FETCHES), each request reaches each subgraph
    by name once — its own fetch's x-request-id or among another's joined ids — and gets the
    whole answer."""
    coalescing.clear_logs()
    count = 24
    answers = at_once(coalescing, [(staff_token(), {"query": ME_AND_REVIEWS})] * count, "q-")
    assert answers == [{"data": EXPECTED}] * count
    for name in ("accounts", "reviews"):
        named = []
        for request in coalescing.subgraphs[name].log.requests:
            headers = request["headers"]
            named.append(headers["x-request-id"])
            named += json.loads(headers.get(JOINED_REQUEST_IDS, "[]"))
        assert sorted(named) == sorted(f"q-{i}" for i in range(count)), name
