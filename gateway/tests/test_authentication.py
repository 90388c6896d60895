"""Every /graphql request is authenticated before the gateway reads it: a missing, forged,
expired or malformed token gets HTTP 401 UNAUTHENTICATED and no subgraph is called."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.identity import AUTH_SECRET, forwarded_identity, local_token
from gateway_testkit.keys import KeyPair, forge, make_key, serve_jwks
from gateway_testkit.serving import serve_subgraphs

QUERY = "{ me { name } }"


@dataclass(frozen=True)
class Keys:
    es256: KeyPair
    rs256: KeyPair
    stranger: KeyPair  # never published


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    published = tmp_path_factory.mktemp("published")
    return Keys(
        make_key(published, "ES256"),
        make_key(published, "RS256"),
        make_key(tmp_path_factory.mktemp("stranger"), "ES256"),
    )


@contextmanager
def catalog_gateway(**settings: Any) -> Iterator[GatewayUnderTest]:
    """A gateway before the catalog subgraphs (local HS256 tokens unless `settings` differ)."""
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(supergraph_of("catalog"), running, **settings) as gateway,
    ):
        yield gateway


@pytest.fixture(scope="module")
def gateway(keys: Keys) -> Iterator[GatewayUnderTest]:
    """Development mode: local HS256 tokens and the keys of a JWKS file."""
    with catalog_gateway(auth_jwks_file=keys.es256.jwks) as gateway:
        yield gateway


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": "partyorg-local",
        "aud": "partyorg",
        "sub": "u-1",
        "name": "Nguyễn Văn A",
        "grants": [{"role": "AUDITOR"}],
        "iat": now,
        "exp": now + 600,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def hs256(**changes: Any) -> str:
    return forge({"alg": "HS256", "typ": "JWT"}, claims(**changes), AUTH_SECRET.encode())


def ask(gateway: GatewayUnderTest, authorization: str | None) -> httpx.Response:
    headers = {"authorization": authorization} if authorization is not None else {}
    with httpx.Client(timeout=30) as bare:
        return bare.post(f"{gateway.url}/graphql", json={"query": QUERY}, headers=headers)


def assert_refused(response: httpx.Response, token: str | None = None) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    message: str = error["message"]
    assert message
    if token:
        for part in token.split("."):
            assert not part or part not in message
    return message


def test_tokens_signed_hs256_es256_and_rs256_are_accepted(
    gateway: GatewayUnderTest, keys: Keys
) -> None:
    for token in (hs256(), keys.es256.token(), keys.rs256.token()):
        gateway.clear_logs()
        response = ask(gateway, f"Bearer {token}")
        assert response.json() == {"data": {"me": {"name": "Ada Lovelace"}}}
        sent = gateway.subgraphs["accounts"].log.requests[0]["headers"]
        assert forwarded_identity(sent)["sub"] in ("u-1", "u-key")


def test_the_bearer_scheme_is_case_insensitive(gateway: GatewayUnderTest) -> None:
    assert ask(gateway, f"bearer {hs256()}").status_code == 200


Forgery = Callable[[Keys], str | None]

REFUSED: dict[str, tuple[Forgery, str]] = {
    "missing-header": (lambda _: None, "Authentication required"),
    "not-bearer": (lambda _: "Basic dXNlcjpwYXNz", "Bearer <token>"),
    "empty-bearer": (lambda _: "Bearer", "Bearer <token>"),
    "not-a-jwt": (lambda _: "Bearer not-a-jwt", "well-formed"),
    "expired": (lambda _: f"Bearer {hs256(exp=int(time.time()) - 120)}", "expired"),
    "not-yet-valid": (lambda _: f"Bearer {hs256(nbf=int(time.time()) + 600)}", "not valid yet"),
    "issued-in-the-future": (
        lambda _: f"Bearer {hs256(iat=int(time.time()) + 600)}",
        "not valid yet",
    ),
    "without-expiry": (lambda _: f"Bearer {hs256(exp=None)}", "exp"),
    "wrong-issuer": (lambda _: f"Bearer {hs256(iss='https://elsewhere.example')}", "issuer"),
    "wrong-audience": (lambda _: f"Bearer {hs256(aud='another-api')}", "audience"),
    "wrong-secret": (
        lambda _: (
            "Bearer " + forge({"alg": "HS256"}, claims(), b"another-secret-of-at-least-32-bytes!!")
        ),
        "signature",
    ),
    "wrong-key-published-kid": (
        lambda k: f"Bearer {k.stranger.token(kid=k.es256.kid)}",
        "signature",
    ),
    "unknown-kid": (lambda k: f"Bearer {k.stranger.token()}", "key"),
    "alg-none": (lambda _: "Bearer " + forge({"alg": "none"}, claims(), None), "algorithm"),
    "alg-none-with-kid": (
        lambda k: "Bearer " + forge({"alg": "none", "kid": k.es256.kid}, claims(), None),
        "algorithm",
    ),
    "hs256-with-es256-public-key": (
        lambda k: (
            "Bearer " + forge({"alg": "HS256", "kid": k.es256.kid}, claims(), k.es256.public_pem)
        ),
        "signature",
    ),
    "hs256-with-rs256-public-key": (
        lambda k: (
            "Bearer " + forge({"alg": "HS256", "kid": k.rs256.kid}, claims(), k.rs256.public_pem)
        ),
        "signature",
    ),
    "es256-header-on-the-rsa-key": (
        lambda k: (
            "Bearer "
            + ".".join(
                [
                    forge({"alg": "ES256", "kid": k.rs256.kid}, claims(), None).split(".")[0],
                    *k.rs256.token().split(".")[1:],
                ]
            )
        ),
        "key",
    ),
    "hs384": (lambda _: "Bearer " + forge({"alg": "HS384"}, claims(), b"x" * 48), "algorithm"),
    "unknown-role": (lambda _: f"Bearer {hs256(grants=[{'role': 'ADMIN'}])}", "unknown role"),
    "grants-not-a-list": (lambda _: f"Bearer {hs256(grants={'role': 'AUDITOR'})}", "grants"),
    "no-grants-claim": (lambda _: f"Bearer {hs256(grants=None)}", "grants"),
    "grant-not-an-object": (lambda _: f"Bearer {hs256(grants=['AUDITOR'])}", "grant"),
    "misspelt-organisation-key": (
        lambda _: f"Bearer {hs256(grants=[{'role': 'AUDITOR', 'organizationId': 'ward-1'}])}",
        "grant",
    ),
    "organisation-id-not-a-string": (
        lambda _: f"Bearer {hs256(grants=[{'role': 'AUDITOR', 'organisationId': 7}])}",
        "organisationId",
    ),
    "member-without-member-id": (
        lambda _: f"Bearer {hs256(grants=[{'role': 'MEMBER'}])}",
        "memberId",
    ),
    "member-id-not-a-string": (lambda _: f"Bearer {hs256(memberId=42)}", "memberId"),
    "no-subject": (lambda _: f"Bearer {hs256(sub=None)}", "sub"),
    "empty-subject": (lambda _: f"Bearer {hs256(sub='')}", "subject"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_request_without_a_valid_token_is_refused_before_any_subgraph_call(
    gateway: GatewayUnderTest, keys: Keys, case: str
) -> None:
    forgery, reason = REFUSED[case]
    authorization = forgery(keys)
    gateway.clear_logs()
    response = ask(gateway, authorization)
    message = assert_refused(response, authorization.partition(" ")[2] if authorization else None)
    assert reason in message
    assert gateway.subgraph_calls() == 0


REQUESTS: dict[str, Callable[[httpx.Client, str], httpx.Response]] = {
    "post": lambda http, url: http.post(url, json={"query": QUERY}),
    "get": lambda http, url: http.get(url, params={"query": QUERY}),
    "get-from-a-browser": lambda http, url: http.get(
        url, params={"query": QUERY}, headers={"accept": "text/html"}
    ),
    "apq-hash-only": lambda http, url: http.post(
        url,
        json={
            "extensions": {
                "persistedQuery": {
                    "version": 1,
                    "sha256Hash": hashlib.sha256(QUERY.encode()).hexdigest(),
                }
            }
        },
    ),
    "apq-over-get": lambda http, url: http.get(
        url,
        params={
            "extensions": json.dumps(
                {
                    "persistedQuery": {
                        "version": 1,
                        "sha256Hash": hashlib.sha256(QUERY.encode()).hexdigest(),
                    }
                }
            )
        },
    ),
    "introspection": lambda http, url: http.post(
        url, json={"query": "{ __schema { queryType { name } } }"}
    ),
    "not-even-json": lambda http, url: http.post(url, content=b"{"),
}


@pytest.mark.parametrize("token", ["missing", "expired"])
@pytest.mark.parametrize("kind", REQUESTS, ids=list(REQUESTS))
def test_every_kind_of_graphql_request_needs_the_token(
    gateway: GatewayUnderTest, kind: str, token: str
) -> None:
    gateway.post(
        QUERY,
        extensions={
            "persistedQuery": {
                "version": 1,
                "sha256Hash": hashlib.sha256(QUERY.encode()).hexdigest(),
            }
        },
    )
    headers = {} if token == "missing" else {"authorization": f"Bearer {hs256(exp=1)}"}
    gateway.clear_logs()
    with httpx.Client(timeout=30, headers=headers) as http:
        response = REQUESTS[kind](http, f"{gateway.url}/graphql")
    assert_refused(response)
    assert gateway.subgraph_calls() == 0


def test_health_and_the_graphiql_page_stay_open(gateway: GatewayUnderTest) -> None:
    with httpx.Client(timeout=30) as bare:
        assert bare.get(f"{gateway.url}/health").status_code == 200
        page = bare.get(f"{gateway.url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "Bearer" in page.text


def test_a_remembered_token_is_refused_once_it_expires(tmp_path: Path) -> None:
    token = local_token("u-brief", grants=["AUDITOR"], ttl_seconds=2)
    with catalog_gateway(auth_leeway_seconds=0) as gateway:
        assert ask(gateway, f"Bearer {token}").status_code == 200
        assert ask(gateway, f"Bearer {token}").status_code == 200
        time.sleep(3.1)
        gateway.clear_logs()
        assert "expired" in assert_refused(ask(gateway, f"Bearer {token}"))
        assert gateway.subgraph_calls() == 0


def gateway_trusting(jwks_url: str, **settings: Any) -> AbstractContextManager[GatewayUnderTest]:
    """A gateway whose only keys are those of an identity provider's JWKS URL."""
    return catalog_gateway(auth_secret=None, auth_jwks_url=jwks_url, **settings)


def published(*pairs: KeyPair) -> list[dict[str, Any]]:
    """The JWKS entries of these key pairs (and of no other key their JWKS files hold)."""
    return [
        jwk
        for pair in pairs
        for jwk in json.loads(pair.jwks.read_text())["keys"]
        if jwk["kid"] == pair.kid
    ]


def test_keys_come_from_a_jwks_url_fetched_again_for_a_new_kid(keys: Keys, tmp_path: Path) -> None:
    rotated = make_key(tmp_path, "ES256")
    with (
        serve_jwks(json.loads(keys.es256.jwks.read_text())) as idp,
        gateway_trusting(idp.url, auth_jwks_min_refresh_seconds=1.0) as gateway,
    ):
        assert idp.fetches == 1  # at start
        for token in (keys.es256.token(), keys.rs256.token()):
            assert ask(gateway, f"Bearer {token}").json() == {
                "data": {"me": {"name": "Ada Lovelace"}}
            }
        assert_refused(ask(gateway, f"Bearer {hs256()}"))  # no HS256 secret configured
        assert idp.fetches == 1
        time.sleep(1.1)
        assert_refused(ask(gateway, f"Bearer {keys.stranger.token()}"))  # not published
        assert idp.fetches == 2
        time.sleep(1.1)
        idp.document = {
            "keys": [*idp.document["keys"], *json.loads(rotated.jwks.read_text())["keys"]]
        }
        assert ask(gateway, f"Bearer {rotated.token()}").status_code == 200
        assert idp.fetches == 3


def test_made_up_kids_do_not_hammer_the_identity_provider(keys: Keys) -> None:
    document = json.loads(keys.es256.jwks.read_text())
    stranger = keys.stranger.token()
    with (
        serve_jwks(document) as idp,
        gateway_trusting(idp.url, auth_jwks_min_refresh_seconds=60) as gateway,
    ):
        for _ in range(20):
            assert_refused(ask(gateway, f"Bearer {stranger}"))
        assert idp.fetches == 1
        assert gateway.subgraph_calls() == 0


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}


def test_an_unreachable_jwks_url_is_the_gateways_trouble_not_the_callers(keys: Keys) -> None:
    with gateway_trusting("http://127.0.0.1:9/jwks.json") as gateway:
        assert gateway.http.get(f"{gateway.url}/health").status_code == 200
        assert_unavailable(ask(gateway, f"Bearer {keys.es256.token()}"))
        assert_refused(ask(gateway, f"Bearer {hs256()}"))  # no key could ever accept it
        assert_refused(ask(gateway, None))
        assert gateway.subgraph_calls() == 0


def test_once_the_identity_provider_answers_its_tokens_are_accepted(keys: Keys) -> None:
    with serve_jwks(json.loads(keys.es256.jwks.read_text())) as idp:
        idp.up = False
        with gateway_trusting(idp.url, auth_jwks_min_refresh_seconds=0.5) as gateway:
            token = f"Bearer {keys.es256.token()}"
            assert_unavailable(ask(gateway, token))
            idp.up = True
            time.sleep(0.6)
            assert ask(gateway, token).status_code == 200


def until_refused(gateway: GatewayUnderTest, token: str, within: float) -> int:
    """Asks with `token` until it is refused, at most `within` seconds; how many were let in."""
    deadline = time.monotonic() + within
    accepted = 0
    while (response := ask(gateway, f"Bearer {token}")).status_code == 200:
        accepted += 1
        assert time.monotonic() < deadline, f"still accepted after {within} s"
        time.sleep(0.1)
    assert_refused(response, token)
    return accepted


def test_a_key_withdrawn_from_the_jwks_url_stops_remembered_tokens(keys: Keys) -> None:
    kept, withdrawn = keys.es256, keys.rs256
    with (
        serve_jwks({"keys": published(kept, withdrawn)}) as idp,
        gateway_trusting(
            idp.url, auth_jwks_cache_seconds=1.0, auth_jwks_min_refresh_seconds=0.5
        ) as gateway,
    ):
        doomed, survivor = withdrawn.token(), kept.token()
        assert ask(gateway, f"Bearer {doomed}").status_code == 200  # verified and remembered
        assert ask(gateway, f"Bearer {survivor}").status_code == 200
        idp.document = {"keys": published(kept)}
        until_refused(gateway, doomed, within=10)
        assert ask(gateway, f"Bearer {survivor}").status_code == 200
        assert gateway.subgraph_calls() > 0


def test_a_key_withdrawn_from_the_jwks_file_stops_remembered_tokens(
    keys: Keys, tmp_path: Path
) -> None:
    kept, withdrawn = keys.es256, keys.rs256
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": published(kept, withdrawn)}))
    with catalog_gateway(auth_jwks_file=jwks, auth_jwks_min_refresh_seconds=0.5) as gateway:
        doomed = withdrawn.token()
        assert ask(gateway, f"Bearer {doomed}").status_code == 200
        jwks.write_text(json.dumps({"keys": published(kept)}))
        until_refused(gateway, doomed, within=10)
        assert ask(gateway, f"Bearer {kept.token()}").status_code == 200


def test_an_identity_provider_that_is_down_is_asked_at_most_once_per_interval(keys: Keys) -> None:
    with (
        serve_jwks(json.loads(keys.es256.jwks.read_text())) as idp,
        gateway_trusting(
            idp.url, auth_jwks_cache_seconds=0.2, auth_jwks_min_refresh_seconds=60
        ) as gateway,
    ):
        idp.up = False
        time.sleep(0.3)  # the keys are stale, and the identity provider is down
        for n in range(20):
            token = keys.es256.token(name=f"Caller {n}")  # each verified afresh
            assert ask(gateway, f"Bearer {token}").status_code == 200  # the known keys serve
        assert idp.fetches == 1  # the one at start
