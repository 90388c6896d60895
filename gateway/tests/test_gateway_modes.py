"""Production mode, failing subgraphs and reloading the supergraph."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
from gateway.server import create_app
from gateway.settings import Settings
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import run_gateway
from gateway_testkit.party import PartyData, party_subgraphs
from gateway_testkit.serving import RequestLog, RunningSubgraph, serve_app, serve_subgraphs


def test_production_mode_hides_introspection_graphiql_and_subgraph_messages() -> None:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(supergraph_of("catalog"), running, production=True) as gateway,
    ):
        gateway.clear_logs()
        introspection = gateway.post("{ __schema { types { name } } }")
        assert introspection.status_code == 400
        assert gateway.subgraph_calls() == 0
        page = gateway.http.get(f"{gateway.url}/graphql", headers={"accept": "text/html"})
        assert page.status_code == 400
        answer = gateway.query("{ latestReviews { author { riskScore } } }")
        assert all("withheld" not in e["message"] for e in answer["errors"])
        assert {e["extensions"]["code"] for e in answer["errors"]} == {"FORBIDDEN"}


def test_a_failing_subgraph_leaves_the_rest_of_the_answer() -> None:
    with serve_subgraphs(catalog_subgraphs()) as running:
        running["locations"] = RunningSubgraph(
            "locations", "http://127.0.0.1:9/graphql", RequestLog()
        )
        with run_gateway(supergraph_of("catalog"), running) as gateway:
            answer = gateway.query(
                "{ me { name } topProducts(first: 2) { upc warehouse { name } } }"
            )
    assert answer["data"] == {
        "me": {"name": "Ada Lovelace"},
        "topProducts": [{"upc": "1", "warehouse": None}, {"upc": "2", "warehouse": None}],
    }
    assert answer["errors"][0]["extensions"]["code"] == "DOWNSTREAM_SERVICE_ERROR"


def test_the_gateway_reloads_the_supergraph_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph_of("party"))
    with serve_subgraphs(catalog_subgraphs()) as running:
        settings = Settings(
            supergraph=path,
            subgraph_urls={n: s.url for n, s in running.items()},
            watch_supergraph=True,
        )
        with serve_app(create_app(settings)) as url, httpx.Client() as http:
            before = http.post(f"{url}/graphql", json={"query": "{ me { name } }"}).json()
            assert before["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            path.write_text(supergraph_of("catalog"))
            deadline = time.monotonic() + 20
            while True:
                after = http.post(f"{url}/graphql", json={"query": "{ me { name } }"}).json()
                if "data" in after or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
    assert after == {"data": {"me": {"name": "Ada Lovelace"}}}


def test_a_broken_supergraph_file_keeps_the_previous_one(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph_of("party"))
    with serve_subgraphs(party_subgraphs(PartyData())) as running:
        settings = Settings(supergraph=path, subgraph_urls={n: s.url for n, s in running.items()})
        app = create_app(settings)
        path.write_text("type {")
        app.state.gateway.reload()
        with serve_app(app) as url:
            answer = httpx.post(
                f"{url}/graphql", json={"query": '{ organisation(id: "org-1") { name } }'}
            ).json()
    assert answer == {"data": {"organisation": {"name": "Organisation 1"}}}


def test_a_slow_subgraph_times_out_alone_and_the_rest_answers() -> None:
    async def never_answers(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await asyncio.Event().wait()

    with serve_subgraphs(catalog_subgraphs()) as running, serve_app(never_answers) as stuck:
        running["reviews"] = RunningSubgraph("reviews", f"{stuck}/graphql", RequestLog())
        with run_gateway(
            supergraph_of("catalog"), running, subgraph_timeouts={"reviews": 0.3}
        ) as gateway:
            answer = gateway.query("{ me { name reviewCount } users { id } }")
    assert answer["data"] == {"me": None, "users": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}
    assert "timed out" in answer["errors"][0]["message"]
