"""What the subgraphs receive: the identity the gateway signs, never the client's credentials;
and what the gateway's logs keep of a request."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.identity import INTERNAL_PUBLIC_KEY, forwarded_identity, local_token
from gateway_testkit.keys import forge
from gateway_testkit.serving import serve_subgraphs
from partyorg_logs import JsonFormatter

TWO_SUBGRAPHS = "{ me { reviews { id } } }"  # accounts, then reviews through _entities


@pytest.fixture(scope="module")
def gateway() -> Iterator[GatewayUnderTest]:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(
            supergraph_of("catalog"),
            running,
            # asked for, but never forwarded
            forward_headers=[
                "x-request-id",
                "authorization",
                "X-Partyorg-Identity",
                "cookie",
                "x-partyorg-joined-request-ids",  # a client naming requests it did not send
            ],
            internal_token_ttl_seconds=45,
        ) as gateway,
    ):
        yield gateway


def ward_officer_token() -> str:
    return local_token(
        "u-ward-7",
        name="Trần Thị B",
        grants=["WARD_COMMITTEE@ward-7", ("CELL_SECRETARY", "cell-71"), "MEMBER"],
        member_id="m-7001",
    )


def sent_headers(gateway: GatewayUnderTest) -> list[dict[str, str]]:
    return [r["headers"] for s in gateway.subgraphs.values() for r in s.log.requests]


def test_each_subgraph_fetch_carries_the_callers_identity_signed_by_the_gateway(
    gateway: GatewayUnderTest,
) -> None:
    gateway.clear_logs()
    token = ward_officer_token()
    response = gateway.post(
        TWO_SUBGRAPHS, headers={"authorization": f"Bearer {token}", "x-request-id": "req-77"}
    )
    assert "errors" not in response.json()
    headers = sent_headers(gateway)
    assert len(headers) == 2
    claims = forwarded_identity(headers[0])
    assert claims["exp"] - claims["iat"] == 45
    del claims["iat"], claims["exp"]
    assert claims == {
        "iss": "partyorg-gateway",
        "aud": "partyorg-subgraphs",
        "sub": "u-ward-7",
        "name": "Trần Thị B",
        "grants": [
            {"role": "WARD_COMMITTEE", "organisationId": "ward-7"},
            {"role": "CELL_SECRETARY", "organisationId": "cell-71"},
            {"role": "MEMBER"},
        ],
        "memberId": "m-7001",
    }
    # the _entities fetch carries the very same token, and the request id beside it
    assert headers[0]["x-partyorg-identity"] == headers[1]["x-partyorg-identity"]
    assert [h["x-request-id"] for h in headers] == ["req-77", "req-77"]


def test_the_request_id_the_gateway_makes_reaches_every_fetch(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    response = gateway.post(TWO_SUBGRAPHS)
    for headers in sent_headers(gateway):
        assert headers["x-request-id"] == response.headers["x-request-id"]


def test_no_client_credential_reaches_a_subgraph_whatever_the_forward_list_says(
    gateway: GatewayUnderTest,
) -> None:
    forged = forge(
        {"alg": "HS256", "typ": "JWT"},
        {
            "iss": "partyorg-gateway",
            "aud": "partyorg-subgraphs",
            "sub": "intruder",
            "grants": [{"role": "DISTRICT_STANDING"}],
            "iat": 1,
            "exp": 4_000_000_000,
        },
        INTERNAL_PUBLIC_KEY.encode(),  # HS256 over the public key: algorithm confusion
    )
    gateway.clear_logs()
    token = ward_officer_token()
    gateway.post(
        TWO_SUBGRAPHS,
        headers={
            "authorization": f"Bearer {token}",
            "x-partyorg-identity": forged,
            "cookie": "session=1",
            "x-partyorg-joined-request-ids": '["someone-elses"]',
        },
    )
    for headers in sent_headers(gateway):
        assert "authorization" not in headers
        assert "cookie" not in headers
        assert "x-partyorg-joined-request-ids" not in headers
        assert token not in json.dumps(headers)
        assert headers["x-partyorg-identity"] != forged
        assert forwarded_identity(headers)["sub"] == "u-ward-7"


def test_the_logs_name_the_caller_and_never_the_token_or_the_variables(
    gateway: GatewayUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    token = ward_officer_token()
    secret_term = "Nguyen-1958-04-12-card-0123456"
    with caplog.at_level(logging.DEBUG):
        gateway.post(
            "query Find($term: String!) { search(term: $term) { __typename } }",
            variables={"term": secret_term},
            operation_name="Find",
            headers={"authorization": f"Bearer {token}", "x-request-id": "req-logged"},
        )
        with httpx.Client(timeout=30) as bare:
            bare.post(
                f"{gateway.url}/graphql",
                json={"query": "{ me { name } }"},
                headers={"authorization": f"Bearer {token[:-4]}AAAA", "x-request-id": "req-bad"},
            )
    lines = [JsonFormatter("gateway").format(r) for r in caplog.records]
    assert all(token.split(".")[2][:20] not in line for line in lines)
    assert all(token.split(".")[1][:40] not in line for line in lines)
    assert all(secret_term not in line for line in lines)
    assert all("x-partyorg-identity" not in line for line in lines)
    [request] = [r for r in caplog.records if r.getMessage() == "request"]
    assert request.request_id == "req-logged"  # type: ignore[attr-defined]
    assert request.subject == "u-ward-7"  # type: ignore[attr-defined]
    assert request.roles == ["CELL_SECRETARY", "MEMBER", "WARD_COMMITTEE"]  # type: ignore[attr-defined]
    assert request.operation == "Find"  # type: ignore[attr-defined]
    [refused] = [r for r in caplog.records if r.getMessage() == "request refused"]
    assert refused.request_id == "req-bad"  # type: ignore[attr-defined]
    assert "signature" in refused.reason  # type: ignore[attr-defined]


def test_an_oversized_request_id_is_replaced_before_it_reaches_logs_and_tokens(
    gateway: GatewayUnderTest,
) -> None:
    gateway.clear_logs()
    response = gateway.post(TWO_SUBGRAPHS, headers={"x-request-id": "r" * 5000})
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    for headers in sent_headers(gateway):
        assert headers["x-request-id"] == request_id


def test_the_identity_is_signed_once_per_caller_and_renewed_before_it_could_expire() -> None:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(
            supergraph_of("catalog"),
            running,
            internal_token_ttl_seconds=2,
            request_timeout=1,
        ) as gateway,
    ):

        def identities(headers: dict[str, str] | None = None) -> list[str]:
            gateway.clear_logs()
            response = gateway.post(TWO_SUBGRAPHS, headers=headers)
            assert "errors" not in response.json()
            return [h["x-partyorg-identity"] for h in sent_headers(gateway)]

        first, second = identities(), identities({"x-request-id": "req-2"})
        assert len(set(first + second)) == 1  # one token for both requests and both fetches
        claims = forwarded_identity({"x-partyorg-identity": first[0]})
        assert claims["sub"] == "u-staff" and "rid" not in claims
        officer = identities({"authorization": f"Bearer {ward_officer_token()}"})
        assert forwarded_identity({"x-partyorg-identity": officer[0]})["sub"] == "u-ward-7"
        # reused for ttl - request timeout = 1 s at most: a request starting later gets a
        # token that still outlives it
        time.sleep(1.1)
        started = time.time()
        renewed = identities()[0]
        assert renewed != first[0]
        assert forwarded_identity({"x-partyorg-identity": renewed})["exp"] > started + 1


def test_an_identity_per_request_names_the_request_it_was_signed_for() -> None:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(supergraph_of("catalog"), running, identity_per_request=True) as gateway,
    ):

        def identities(request_id: str) -> list[dict[str, object]]:
            gateway.clear_logs()
            response = gateway.post(TWO_SUBGRAPHS, headers={"x-request-id": request_id})
            assert "errors" not in response.json()
            sent = sent_headers(gateway)
            # signed once for the request: both of its fetches carry the very same token
            assert len({h["x-partyorg-identity"] for h in sent}) == 1
            assert all(h["x-request-id"] == response.headers["x-request-id"] for h in sent)
            return [forwarded_identity(h) for h in sent]

        first, second = identities("req-1"), identities("req-2")
        assert [c["rid"] for c in first + second] == ["req-1", "req-1", "req-2", "req-2"]
        assert first[0]["sub"] == second[0]["sub"] == "u-staff"
        [replaced] = {str(c["rid"]) for c in identities("r" * 5000)}
        assert len(replaced) == 32  # an oversized request id is replaced in the token too
