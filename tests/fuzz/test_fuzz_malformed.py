"""Traffic no client should send, made by hypothesis: bodies that are not JSON or not a GraphQL
request, headers and methods a client does not send, tokens that are expired, forged, for
another audience or issuer, or carry claims of the wrong shape, and operations too deep, too
long or too wide. Each must be refused as a client's mistake: no 5xx, no internal error, no
exception text (tests/fuzz/traffic.py)."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.local.suite import Suite
from tests.fuzz.conftest import World
from tests.fuzz.test_fuzz_schema import examples
from tests.fuzz.traffic import TALLY, Answer

QUERY = '{ organisationByCode(code: "HN-BD-GV") { id code name } }'
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


@dataclass(frozen=True)
class Request:
    method: str = "POST"
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)

    def described(self) -> str:
        return f"{self.method} {self.headers} {self.params} {self.content[:200]!r}"


@pytest.fixture(scope="module")
def http(suite: Suite, world: World) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def bearer(suite: Suite, world: World) -> str:
    return f"Bearer {suite.token_for(world.callers['CITY_COMMITTEE'])}"


def send(http: httpx.Client, suite: Suite, kind: str, request: Request) -> None:
    response = http.request(
        request.method,
        suite.gateway_url,
        content=request.content or None,
        headers=request.headers,
        params=request.params,
    )
    answer = Answer.of(response)
    faults = TALLY.record(kind, request.described(), answer)
    assert not faults, f"{faults}\nsent: {request.described()}"


def as_json(value: Any) -> bytes:
    """JSON as Python writes it: integers of any size, and NaN or Infinity, which are not JSON."""
    return json.dumps(value).encode()


def jws(claims: dict[str, Any], secret: bytes | None, alg: str = "HS256") -> str:
    """A JWT of any claims, signed with HMAC (HS256, HS512) or not at all (secret None)."""

    def part(raw: bytes) -> bytes:
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    signing = part(as_json({"alg": alg if secret else "none", "typ": "JWT"}))
    signing += b"." + part(as_json(claims))
    if secret is None:
        return signing.decode() + "."
    digest = hashlib.sha512 if alg == "HS512" else hashlib.sha256
    return f"{signing.decode()}.{part(hmac.digest(secret, signing, digest)).decode()}"


def bodies(bearer: str) -> st.SearchStrategy[Request]:
    """Bytes, JSON that is not a request, requests with fields of the wrong types, batches."""
    headers = {"content-type": "application/json", "authorization": bearer}
    request_fields = st.fixed_dictionaries(
        {},
        optional={
            "query": JSON | st.just(QUERY),
            "variables": JSON,
            "operationName": JSON,
            "extensions": JSON,
        },
    )
    content = st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        JSON.map(as_json),
        request_fields.map(as_json),
        st.lists(request_fields, max_size=5).map(as_json),
        st.just(as_json({"query": QUERY})).map(lambda whole: whole[: len(whole) // 2]),
    )
    return content.map(lambda body: Request(content=body, headers=headers))


def headers(bearer: str) -> st.SearchStrategy[Request]:
    """Other methods and content types, GET with odd parameters, odd header values."""
    body = as_json({"query": QUERY})
    header_value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200).map(
        str.strip
    )
    content_types = (
        st.sampled_from(
            [
                "text/plain",
                "application/graphql",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/json; charset=latin-1",
                "application/json; charset=utf-16",
                "",
            ]
        )
        | header_value
    )
    posted = st.builds(
        lambda kind, accept, extra: Request(
            content=body,
            headers={"content-type": kind, "accept": accept, "authorization": bearer, **extra},
        ),
        content_types,
        header_value,
        st.dictionaries(
            st.sampled_from(
                [
                    "x-request-id",
                    "apollo-require-preflight",
                    "x-partyorg-identity",
                    "content-encoding",
                ]
            ),
            header_value,
            max_size=2,
        ),
    )
    parameters = st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions"]),
        st.text(max_size=100) | st.just(QUERY) | JSON.map(lambda v: as_json(v).decode()),
        max_size=4,
    )
    fetched = st.builds(
        lambda method, params: Request(method, headers={"authorization": bearer}, params=params),
        st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
        parameters,
    )
    return posted | fetched


def tokens(suite: Suite, world: World) -> st.SearchStrategy[Request]:
    """Expired, forged, another audience or issuer, claims of the wrong shape, not a JWT."""
    keys = suite.keys
    principal = world.callers["CITY_COMMITTEE"]
    good = principal.subject, principal.name, [{"role": "CITY_COMMITTEE"}]

    def signed(claims: dict[str, Any], secret: str = keys.auth_secret, alg: str = "HS256") -> str:
        now = int(time.time())
        base = {
            "iss": keys.issuer,
            "aud": keys.audience,
            "sub": good[0],
            "name": good[1],
            "grants": good[2],
            "iat": now,
            "exp": now + 600,
        }
        whole = {k: v for k, v in (base | claims).items() if v is not ...}
        return jws(whole, secret.encode(), alg)

    def unsigned(claims: dict[str, Any]) -> str:
        return jws({k: v for k, v in claims.items() if v is not ...}, None)

    claim = st.sampled_from(["iss", "aud", "sub", "name", "grants", "iat", "exp", "memberId"])
    wrong_claims = st.dictionaries(claim, JSON | st.just(...), min_size=1, max_size=3)
    forged = st.one_of(
        st.just({"exp": int(time.time()) - 60}).map(signed),
        st.text(min_size=1, max_size=40).map(lambda secret: signed({}, secret * 40)),
        st.text(max_size=30).map(lambda audience: signed({"aud": audience})),
        st.text(max_size=30).map(lambda issuer: signed({"iss": issuer})),
        wrong_claims.map(signed),
        wrong_claims.map(unsigned),
        st.just({}).map(lambda claims: signed(claims, keys.auth_secret, "HS512")),
        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=300),
    )
    scheme = st.sampled_from(["Bearer ", "bearer ", "Basic ", "Bearer  ", ""])
    return st.builds(
        lambda prefix, token: Request(
            content=as_json({"query": QUERY}),
            headers={"content-type": "application/json", "authorization": (prefix + token).strip()},
        ),
        scheme,
        forged,
    )


def huge(bearer: str) -> st.SearchStrategy[Request]:
    """Deep, long, wide and recursive operations, and variables nested deeply."""
    headers = {"content-type": "application/json", "authorization": bearer}

    def deep(levels: int) -> str:
        inner = "id"
        for _ in range(levels):
            inner = f"parent {{ {inner} }}"
        return f'{{ organisationByCode(code: "HN-BD-GV-CQ") {{ {inner} }} }}'

    def aliases(count: int) -> str:
        return (
            "{ "
            + " ".join(f'a{n}: organisationByCode(code: "HN") {{ id }}' for n in range(count))
            + " }"
        )

    def nested_list(levels: int) -> bytes:
        query = as_json({"query": "query ($codes: [String!]) { __typename }"})
        variables = b'"variables": {"codes": ' + b"[" * levels + b'"x"' + b"]" * levels + b"}"
        return query[:-1] + b", " + variables + b"}"

    operations = st.one_of(
        st.integers(16, 3000).map(deep),
        st.integers(31, 3000).map(aliases),
        st.integers(21, 500).map(lambda n: "{ " + "__typename " * n + "}"),
        st.integers(1000, 200_000).map(lambda n: "{ " + "__typename " * n + "}"),
        st.integers(10_000, 2_000_000).map(
            lambda n: '{ organisationByCode(code: "' + "x" * n + '") { id } }'
        ),
        st.integers(2, 400).map(
            lambda n: (
                "{ ...a } "
                + " ".join(
                    f"fragment {chr(97 + i % 26)}{i} on Query {{ ...a{i + 1} }}" for i in range(n)
                )
            )
        ),
        st.just("{ ...a } fragment a on Query { ...b } fragment b on Query { ...a }"),
        st.integers(100, 100_000).map(lambda n: "{" * n + "}" * n),
    ).map(lambda query: as_json({"query": query}))
    payloads = operations | st.integers(10, 20_000).map(nested_list)
    return payloads.map(lambda payload: Request(content=payload, headers=headers))


def test_bodies_that_are_not_graphql_requests(
    suite: Suite, http: httpx.Client, bearer: str
) -> None:
    @examples(0.06)
    @given(request=bodies(bearer))
    def run(request: Request) -> None:
        send(http, suite, "malformed body", request)

    run()


def test_methods_and_headers_no_client_sends(suite: Suite, http: httpx.Client, bearer: str) -> None:
    @examples(0.06)
    @given(request=headers(bearer))
    def run(request: Request) -> None:
        send(http, suite, "malformed headers", request)

    run()


def test_tokens_expired_forged_or_for_someone_else(
    suite: Suite, world: World, http: httpx.Client
) -> None:
    @examples(0.06)
    @given(request=tokens(suite, world))
    def run(request: Request) -> None:
        send(http, suite, "bad token", request)

    run()


def test_operations_too_deep_too_long_or_too_wide(
    suite: Suite, http: httpx.Client, bearer: str
) -> None:
    @examples(0.04)
    @given(request=huge(bearer))
    def run(request: Request) -> None:
        send(http, suite, "huge operation", request)

    run()
