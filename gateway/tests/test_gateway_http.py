"""The gateway as front-end clients and operators see it, over the catalog subgraphs."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from collections.abc import Iterator

import pytest
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.serving import RunningSubgraph, free_socket, serve_subgraphs
from partyorg_logs import JsonFormatter
from prometheus_client.parser import text_string_to_metric_families


@pytest.fixture(scope="module")
def gateway() -> Iterator[GatewayUnderTest]:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(
            supergraph_of("catalog"),
            running,
            cors_origins=["https://app.example.org"],
            max_depth=6,
            max_aliases=3,
            max_root_fields=4,
            max_tokens=300,
            max_body_bytes=4000,
        ) as gateway,
    ):
        yield gateway


def test_health_answers_ok(gateway: GatewayUnderTest) -> None:
    response = gateway.http.get(f"{gateway.url}/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_gateway_is_ready_when_every_subgraph_is(gateway: GatewayUnderTest) -> None:
    response = gateway.http.get(f"{gateway.url}/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "subgraphs": dict.fromkeys(gateway.subgraphs, True),
    }


def test_the_gateway_is_not_ready_while_a_subgraph_is_out_of_reach() -> None:
    with serve_subgraphs(catalog_subgraphs()) as running:
        with free_socket() as closed:  # nothing listens there once it is closed
            port = closed.getsockname()[1]
        running["reviews"] = RunningSubgraph(
            "reviews", f"http://127.0.0.1:{port}/graphql", running["reviews"].log
        )
        with run_gateway(supergraph_of("catalog"), running) as gateway:
            response = gateway.http.get(f"{gateway.url}/readyz")
    assert response.status_code == 503
    assert response.json()["subgraphs"] == {
        **dict.fromkeys(running, True),
        "reviews": False,
    }


def test_a_client_alias_over_a_key_field_does_not_hide_the_key(gateway: GatewayUnderTest) -> None:
    # @apollo/gateway 2.14 answers "id": "u1" here, against the GraphQL spec.
    answer = gateway.query("{ me { id: name reviews { id } } }")
    assert answer == {
        "data": {
            "me": {"id": "Ada Lovelace", "reviews": [{"id": "r1"}, {"id": "r3"}, {"id": "r6"}]}
        }
    }


def test_subgraph_errors_keep_their_code_and_take_the_clients_path(
    gateway: GatewayUnderTest,
) -> None:
    answer = gateway.query("{ latestReviews { id author { riskScore } } }")
    assert answer["data"]["latestReviews"][1] == {"id": "r2", "author": {"riskScore": None}}
    paths = [e["path"] for e in answer["errors"]]
    assert ["latestReviews", 1, "author", "riskScore"] in paths
    assert {e["extensions"]["code"] for e in answer["errors"]} == {"FORBIDDEN"}


def test_parse_errors_are_reported_before_any_fetch(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.post("{ me { id ")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert gateway.subgraph_calls() == 0


def test_invalid_operations_are_refused_before_any_fetch(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.post("{ me { id secret } }")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert gateway.subgraph_calls() == 0


@pytest.mark.parametrize(
    "query",
    [
        "{ me { reviews { product { reviews { author { reviews { id } } } } } } }",
        "{ a: me { id } b: me { id } c: me { id } d: me { id } }",
        "{ me { id } users { id } warehouses { id } topProducts { upc } latestReviews { id } }",
        "{ me { " + " ".join(f"f{n}: id" for n in range(200)) + " } }",
    ],
    ids=["too-deep", "too-many-aliases", "too-many-root-fields", "too-many-tokens"],
)
def test_operations_over_the_limits_never_reach_a_subgraph(
    gateway: GatewayUnderTest, query: str
) -> None:
    gateway.clear_logs()
    response = gateway.post(query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "OPERATION_LIMIT_EXCEEDED"
    assert gateway.subgraph_calls() == 0


def test_a_body_over_the_size_limit_never_reaches_a_subgraph(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.post("{ me { id } }", variables={"padding": "x" * 5000})
    assert response.status_code == 413
    assert gateway.subgraph_calls() == 0


def test_allowed_headers_are_forwarded_and_others_are_not(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.post(
        "{ me { reviews { id } } }",
        headers={"cookie": "secret=1", "x-request-id": "req-42"},
    )
    assert response.headers["x-request-id"] == "req-42"
    for subgraph in ("accounts", "reviews"):
        sent = gateway.subgraphs[subgraph].log.requests[0]["headers"]
        assert sent["x-request-id"] == "req-42"
        assert "x-partyorg-identity" in sent
        assert "authorization" not in sent
        assert "cookie" not in sent


def test_a_request_id_is_made_when_the_client_sends_none(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.post("{ me { reviews { id } } }")
    request_id = response.headers["x-request-id"]
    assert request_id
    sent = [
        s.log.requests[0]["headers"]["x-request-id"]
        for s in gateway.subgraphs.values()
        if s.log.count
    ]
    assert sent == [request_id, request_id]


def test_the_query_plan_is_returned_when_asked_for(gateway: GatewayUnderTest) -> None:
    plain = gateway.query("{ me { reviews { id } } }")
    assert "extensions" not in plain
    answer = gateway.query("{ me { reviews { id } } }", headers={"x-partyorg-query-plan": "1"})
    fetches = answer["extensions"]["queryPlan"]["fetches"]
    assert [(f["serviceName"], f["mergePath"]) for f in fetches] == [
        ("accounts", None),
        ("reviews", "me"),
    ]


def test_automatic_persisted_queries_follow_apollos_protocol(gateway: GatewayUnderTest) -> None:
    query = "{ me { username } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    unknown = gateway.post(None, extensions=persisted).json()
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = gateway.post(query, extensions=persisted).json()
    assert registered == {"data": {"me": {"username": "ada"}}}
    by_hash = gateway.post(None, extensions=persisted).json()
    assert by_hash == {"data": {"me": {"username": "ada"}}}
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    assert gateway.post(query, extensions=wrong).status_code == 400


def test_persisted_queries_work_over_get(gateway: GatewayUnderTest) -> None:
    query = "{ me { name } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    gateway.http.get(f"{gateway.url}/graphql", params={"query": query, "extensions": extensions})
    response = gateway.http.get(f"{gateway.url}/graphql", params={"extensions": extensions})
    assert response.json() == {"data": {"me": {"name": "Ada Lovelace"}}}


def test_mutations_are_refused_over_get(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.http.get(
        f"{gateway.url}/graphql",
        params={"query": 'mutation { renameUser(id: "u1", name: "X") { name } }'},
    )
    assert response.status_code == 405
    assert gateway.subgraph_calls() == 0


def test_browsers_get_graphiql_in_development(gateway: GatewayUnderTest) -> None:
    response = gateway.http.get(f"{gateway.url}/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_graphiql_page_loads_its_files_from_the_gateway_with_their_integrity(
    gateway: GatewayUnderTest,
) -> None:
    page = gateway.http.get(f"{gateway.url}/graphql", headers={"accept": "text/html"}).text
    loaded = re.findall(r'(?:src|href)="([^"]+)" integrity="sha384-([^"]+)"', page)
    assert len(loaded) == 4
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page))
    for path, integrity in loaded:
        asset = gateway.http.get(f"{gateway.url}{path}")
        assert asset.status_code == 200
        assert base64.b64encode(hashlib.sha384(asset.content).digest()).decode() == integrity
    assert gateway.http.get(f"{gateway.url}/graphiql-assets/manifest.json").status_code == 404


def test_cors_allows_the_configured_origins_only(gateway: GatewayUnderTest) -> None:
    def preflight(origin: str) -> str | None:
        response = gateway.http.options(
            f"{gateway.url}/graphql",
            headers={
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        return response.headers.get("access-control-allow-origin")

    assert preflight("https://app.example.org") == "https://app.example.org"
    assert preflight("https://evil.example.org") is None


def test_metrics_count_requests_and_time_subgraph_fetches(gateway: GatewayUnderTest) -> None:
    gateway.query("{ me { reviews { id } } }")
    text = gateway.http.get(f"{gateway.url}/metrics").text
    assert "gateway_requests_total" in text
    assert 'gateway_subgraph_fetch_duration_seconds_count{subgraph="reviews"}' in text


def figure(gateway: GatewayUnderTest, name: str, **labels: str) -> float:
    text = gateway.http.get(f"{gateway.url}/metrics").text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


def test_metrics_tell_each_operation_and_subgraph_apart_below_a_millisecond(
    gateway: GatewayUnderTest,
) -> None:
    answered = ("gateway_operations_total", {"operation": "MyReviews", "outcome": "ok"})
    refused = ("gateway_operations_total", {"operation": "MyReviews", "outcome": "error"})
    fetched = ("gateway_subgraph_fetches_total", {"subgraph": "reviews"})
    before = [figure(gateway, name, **labels) for name, labels in (answered, refused, fetched)]
    query = "query MyReviews { me { reviews { id } } }"
    gateway.query(query, operation_name="MyReviews")
    gateway.query(query, operation_name="MyReviews")
    gateway.query("query MyReviews { me { secret } }", operation_name="MyReviews")
    after = [figure(gateway, name, **labels) for name, labels in (answered, refused, fetched)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 2]
    text = gateway.http.get(f"{gateway.url}/metrics").text
    assert 'gateway_operation_duration_seconds_bucket{le="0.0001",operation="MyReviews"}' in text
    assert 'gateway_subgraph_fetch_duration_seconds_bucket{le="0.00025",subgraph="reviews"}' in text


def test_operation_names_that_are_no_graphql_names_add_no_series(gateway: GatewayUnderTest) -> None:
    before = figure(gateway, "gateway_operations_total", operation="other", outcome="error")
    gateway.post("{ me { name } }", operation_name="'; DROP TABLE x; --")
    gateway.post("{ me { name } }", operation_name="a" * 500)
    text = gateway.http.get(f"{gateway.url}/metrics").text
    assert "DROP" not in text and "a" * 500 not in text
    assert (
        figure(gateway, "gateway_operations_total", operation="other", outcome="error")
        == before + 2
    )


def test_each_subgraph_fetch_is_logged_with_its_duration(
    gateway: GatewayUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gateway.fetch"):
        gateway.post("{ me { reviews { id } } }", headers={"x-request-id": "req-log"})
    fetches = [r for r in caplog.records if r.name == "gateway.fetch"]
    assert {r.subgraph for r in fetches} == {"accounts", "reviews"}  # type: ignore[attr-defined]
    assert all(r.duration_ms >= 0 for r in fetches)  # type: ignore[attr-defined]
    assert {r.request_id for r in fetches} == {"req-log"}  # type: ignore[attr-defined]
    line = json.loads(JsonFormatter("gateway").format(fetches[0]))
    assert {"subgraph", "duration_ms", "request_id", "message", "level"} <= line.keys()
