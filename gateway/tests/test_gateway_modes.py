"""Production mode, failing subgraphs and reloading the supergraph."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from gateway.auth import ConfigurationError
from gateway.plan import Fetch
from gateway.server import create_app
from gateway.settings import Settings
from gateway.subgraph_client import SubgraphClient
from gateway.tokens import mint
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.identity import AUTH_SECRET, GATEWAY_AUTH, INTERNAL_PUBLIC_KEY, staff_token
from gateway_testkit.keys import make_key
from gateway_testkit.party import PartyData, party_subgraphs
from gateway_testkit.serving import RequestLog, RunningSubgraph, serve_app, serve_subgraphs

STAFF = {"authorization": f"Bearer {staff_token()}"}
P256_PRIVATE_KEY = (
    ec.generate_private_key(ec.SECP256R1())
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GatewayUnderTest, str]]:
    """A production gateway trusting one ES256 key of a JWKS file, and a token it accepts."""
    key = make_key(tmp_path_factory.mktemp("keys"), "ES256")
    token = key.token(issuer="https://idp.example.org", audience="partyorg-api")
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(
            supergraph_of("catalog"),
            running,
            production=True,
            auth_secret=None,
            auth_jwks_file=key.jwks,
            auth_issuer="https://idp.example.org",
            auth_audience="partyorg-api",
        ) as gateway,
    ):
        gateway.http.headers["authorization"] = f"Bearer {token}"
        yield gateway, token


def test_production_mode_hides_introspection_graphiql_and_subgraph_messages(
    production: tuple[GatewayUnderTest, str],
) -> None:
    gateway, _ = production
    gateway.clear_logs()
    introspection = gateway.post("{ __schema { types { name } } }")
    assert introspection.status_code == 400
    assert gateway.subgraph_calls() == 0
    page = gateway.http.get(f"{gateway.url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 400
    with httpx.Client() as bare:
        anonymous_page = bare.get(f"{gateway.url}/graphql", headers={"accept": "text/html"})
    assert anonymous_page.status_code == 401
    answer = gateway.query("{ latestReviews { author { riskScore } } }")
    assert all("withheld" not in e["message"] for e in answer["errors"])
    assert {e["extensions"]["code"] for e in answer["errors"]} == {"FORBIDDEN"}


def test_production_mode_accepts_the_jwks_keys_and_refuses_hs256_tokens(
    production: tuple[GatewayUnderTest, str],
) -> None:
    gateway, _ = production
    assert gateway.query("{ me { name } }") == {"data": {"me": {"name": "Ada Lovelace"}}}
    gateway.clear_logs()
    local = mint(
        "u-1",
        grants=["AUDITOR"],
        secret=AUTH_SECRET,
        issuer="https://idp.example.org",
        audience="partyorg-api",
    )
    refused = gateway.post("{ me { name } }", headers={"authorization": f"Bearer {local}"})
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gateway.subgraph_calls() == 0


def test_production_mode_gives_no_query_plans_and_no_field_suggestions(
    production: tuple[GatewayUnderTest, str],
) -> None:
    gateway, _ = production
    answer = gateway.query("{ me { name } }", headers={"x-partyorg-query-plan": "1"})
    assert "extensions" not in answer
    wrong = gateway.query("{ me { nam } }")
    message = wrong["errors"][0]["message"]
    assert message == "Cannot query field 'nam' on type 'User'."


REFUSED_AT_START: dict[str, tuple[dict[str, Any], str]] = {
    "production-without-jwks": (
        {"production": True, "auth_secret": None},
        "GATEWAY_AUTH_JWKS_URL or GATEWAY_AUTH_JWKS_FILE",
    ),
    "production-without-issuer": (
        {"production": True, "auth_secret": None, "auth_jwks_url": "https://idp/jwks"},
        "GATEWAY_AUTH_ISSUER",
    ),
    "production-without-audience": (
        {"production": True, "auth_secret": None, "auth_jwks_url": "https://idp/jwks"},
        "GATEWAY_AUTH_AUDIENCE",
    ),
    "production-with-hs256-user-tokens": (
        {"production": True, "auth_jwks_url": "https://idp/jwks"},
        "GATEWAY_AUTH_SECRET (HS256 user tokens) is refused in production",
    ),
    "production-with-introspection": (
        {"production": True, "introspection": True},
        "GATEWAY_INTROSPECTION",
    ),
    "no-internal-key": (
        {"internal_token_private_key": None},
        "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY must be set",
    ),
    "internal-key-not-pem": (
        {"internal_token_private_key": "x" * 64},
        "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY cannot be used: not an unencrypted PEM private key",
    ),
    "internal-key-not-ed25519": (
        {"internal_token_private_key": P256_PRIVATE_KEY},
        "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY cannot be used: the key must be an Ed25519",
    ),
    "internal-key-public-only": (
        {"internal_token_private_key": INTERNAL_PUBLIC_KEY},
        "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY cannot be used",
    ),
    "no-keys-at-all": ({"auth_secret": None}, "set GATEWAY_AUTH_SECRET"),
    "short-user-token-secret": ({"auth_secret": "short"}, "GATEWAY_AUTH_SECRET must be"),
    "unreadable-jwks-file": (
        {"auth_jwks_file": Path("/nonexistent/jwks.json")},
        "GATEWAY_AUTH_JWKS_FILE cannot be used",
    ),
}


@pytest.mark.parametrize("case", REFUSED_AT_START, ids=list(REFUSED_AT_START))
def test_the_gateway_refuses_to_start_without_what_keeps_it_closed(case: str) -> None:
    settings, problem = REFUSED_AT_START[case]
    with pytest.raises(ConfigurationError) as refusal:
        create_app(Settings(**{**GATEWAY_AUTH, **settings}))
    assert any(problem in p for p in refusal.value.problems), refusal.value.problems


def test_the_command_says_why_it_will_not_start_in_production(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    finished = subprocess.run(
        [sys.executable, "-m", "gateway", "--production", "--port", "9"],
        env={**environment, "GATEWAY_AUTH_SECRET": AUTH_SECRET},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    for problem in (
        "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY",
        "GATEWAY_AUTH_JWKS_URL or GATEWAY_AUTH_JWKS_FILE",
        "GATEWAY_AUTH_ISSUER",
        "GATEWAY_AUTH_AUDIENCE",
        "refused in production",
    ):
        assert problem in finished.stderr
    assert AUTH_SECRET not in finished.stderr


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
            **GATEWAY_AUTH,
        )
        with serve_app(create_app(settings)) as url, httpx.Client(headers=STAFF) as http:
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
        settings = Settings(
            supergraph=path, subgraph_urls={n: s.url for n, s in running.items()}, **GATEWAY_AUTH
        )
        app = create_app(settings)
        path.write_text("type {")
        app.state.gateway.reload()
        with serve_app(app) as url:
            answer = httpx.post(
                f"{url}/graphql",
                json={"query": '{ organisation(id: "org-1") { name } }'},
                headers=STAFF,
            ).json()
    assert answer == {"data": {"organisation": {"name": "Organisation 1"}}}


def asked_while_reviews_never_answer(**settings: Any) -> dict[str, Any]:
    """A catalog query whose reviews subgraph never answers, through a gateway so set."""

    async def never_answers(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await asyncio.Event().wait()

    with serve_subgraphs(catalog_subgraphs()) as running, serve_app(never_answers) as stuck:
        running["reviews"] = RunningSubgraph("reviews", f"{stuck}/graphql", RequestLog())
        with run_gateway(supergraph_of("catalog"), running, **settings) as gateway:
            return gateway.query("{ me { name reviewCount } users { id } }")


def test_a_slow_subgraph_times_out_alone_and_the_rest_answers() -> None:
    answer = asked_while_reviews_never_answer(subgraph_timeouts={"reviews": 0.3})
    assert answer["data"] == {"me": None, "users": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}
    assert answer["errors"][0]["message"] == "subgraph reviews timed out"


def test_a_request_has_one_deadline_for_all_its_fetches() -> None:
    """The reviews subgraph would be waited for 30 s; the request's 0.4 s cut it short."""
    answer = asked_while_reviews_never_answer(
        subgraph_timeouts={"reviews": 30}, request_timeout=0.4
    )
    assert answer["data"] == {"me": None, "users": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}
    [error] = answer["errors"]
    assert error["message"] == "subgraph reviews timed out: the request's time was up"
    assert error["extensions"]["code"] == "DOWNSTREAM_SERVICE_ERROR"


async def test_no_fetch_is_sent_once_the_requests_time_is_up() -> None:
    with serve_subgraphs(catalog_subgraphs()) as running:
        accounts = running["accounts"]
        client = SubgraphClient({"accounts": accounts.url}, {}, default_timeout=10)
        fetch = Fetch(1, "accounts", (), False, frozenset(), document="{ users { id } }")
        try:
            late = await client.send(fetch, {}, {}, deadline=time.monotonic() - 0.001)
            in_time = await client.send(fetch, {}, {}, deadline=time.monotonic() + 10)
        finally:
            await client.aclose()
    assert late["data"] is None
    assert late["errors"][0]["message"] == "subgraph accounts not asked: the request's time was up"
    assert in_time["data"] == {"users": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}
    assert accounts.log.count == 1  # the one in time


def test_the_identity_token_must_outlive_the_request() -> None:
    with pytest.raises(ConfigurationError, match="must exceed GATEWAY_REQUEST_TIMEOUT"):
        create_app(
            Settings(**{**GATEWAY_AUTH, "request_timeout": 60, "internal_token_ttl_seconds": 60})
        )
