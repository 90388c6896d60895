"""Only the gateway's token opens a subgraph, and only a valid caller's token opens the gateway:
a subgraph called directly — with no token, a forged one, an expired one — answers HTTP 401
UNAUTHENTICATED and nothing else. The subgraphs hold only the gateway's public key: a token
signed with another key, or an HMAC over the public key or over the secret the services shared
before (still in their environment) opens none of them. The gateway answers 401 too, before
any subgraph hears of the request. With a genuine token of ward A's committee, a subgraph's
entity references to ward B's people, evaluations and cases resolve to null with FORBIDDEN."""

import secrets
import time
from collections.abc import Callable

import httpx
import jwt
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gateway.identity import signing_key
from kit.identity import (
    AUDIENCE,
    IDENTITY_HEADER,
    ISSUER,
    Principal,
    Role,
    key_id,
    sign_internal,
)
from kit.testing import STAFF, hand_signed

from infra.local.suite import SERVICES, Suite
from tests.e2e.security_access import entries
from tests.e2e.security_gateway import user_token
from tests.e2e.security_logscan import scan_after_the_run
from tests.e2e.security_matrix import shared_world
from tests.e2e.security_world import PERIOD, World

PROBES = {
    "organisations": "{ organisations(first: 1) { totalCount } }",
    "members": "{ members(first: 1) { nodes { fullName cardNumber dateOfBirth } } }",
    "evaluations": '{ ruleSet(period: "2019") { name } }',
}
PERSONAL = "query ($id: ID!) { member(id: $id) { fullName cardNumber dateOfBirth } }"


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(suite: Suite, request: pytest.FixtureRequest) -> World:
    scan_after_the_run(request.config, suite)
    return await shared_world(suite)


def internal(suite: Suite, forgery: str, principal: Principal = STAFF) -> dict[str, str]:
    """The identity header of a request that did not come through the gateway."""
    gateway_key = signing_key(suite.keys.internal_token_private_key)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": key_id(gateway_key.public_key())}
    now = int(time.time())
    claims = {**principal.claims(), "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 60}

    def signed(changes: dict[str, str], key: Ed25519PrivateKey = gateway_key) -> str:
        return jwt.encode({**claims, **changes}, key, algorithm="EdDSA", headers=header)

    tokens: dict[str, Callable[[], str]] = {
        "the gateway's": lambda: suite.keys.identity_for(principal),
        "none": lambda: "",
        "signed with another Ed25519 key": lambda: sign_internal(
            principal, Ed25519PrivateKey.generate()
        ),
        "signed with another key, naming the gateway's": lambda: signed(
            {}, Ed25519PrivateKey.generate()
        ),
        "HS256 over the secret shared before": lambda: jwt.encode(
            claims, suite.extra_env["INTERNAL_TOKEN_SECRET"], algorithm="HS256"
        ),
        "HS256 over the gateway's public key": lambda: hand_signed(
            {**header, "alg": "HS256"}, claims, suite.keys.internal_token_public_keys.encode()
        ),
        "expired": lambda: suite.keys.identity_for(principal, ttl_seconds=-120),
        "for another audience": lambda: signed({"aud": "partyorg"}),
        "from another issuer": lambda: signed({"iss": "partyorg-local"}),
        "unsigned (alg none)": lambda: hand_signed({**header, "alg": "none"}, claims, None),
        "a caller's JWT instead": lambda: user_token(suite, principal),
    }
    token = tokens[forgery]()
    return {IDENTITY_HEADER: token} if token else {}


FORGERIES = [
    "none",
    "signed with another Ed25519 key",
    "signed with another key, naming the gateway's",
    "HS256 over the secret shared before",
    "HS256 over the gateway's public key",
    "expired",
    "for another audience",
    "from another issuer",
    "unsigned (alg none)",
    "a caller's JWT instead",
]


@pytest.mark.parametrize("forgery", FORGERIES)
@pytest.mark.parametrize("service", SERVICES)
async def test_a_subgraph_called_directly_answers_401_and_nothing_else(
    suite: Suite, service: str, forgery: str
) -> None:
    headers = {
        **internal(suite, forgery),
        "authorization": f"Bearer {user_token(suite, STAFF)}",  # the caller's own, not enough
    }
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{suite.url(service)}/graphql", json={"query": PROBES[service]}, headers=headers
        )
    assert response.status_code == 401, response.text
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert "data" not in body


@pytest.mark.parametrize("service", SERVICES)
async def test_a_subgraph_answers_the_gateways_own_token(suite: Suite, service: str) -> None:
    """The control: the same request with a genuine token is answered (the 401s above are the
    token's doing)."""
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{suite.url(service)}/graphql",
            json={"query": PROBES[service]},
            headers=internal(suite, "the gateway's"),
        )
    assert response.status_code == 200, response.text
    assert response.json()["data"], response.text


def caller_token(suite: Suite, credentials: str) -> str | None:
    keys = suite.keys
    wrong = secrets.token_urlsafe(48)
    tokens: dict[str, Callable[[], str | None]] = {
        "no Authorization": lambda: None,
        "not a bearer token": lambda: "Basic c3RhZmY6c3RhZmY=",
        "a bearer token that is no JWT": lambda: "Bearer not-a-token",
        "signed with another key": lambda: f"Bearer {user_token(suite, STAFF, secret=wrong)}",
        "expired": lambda: f"Bearer {user_token(suite, STAFF, ttl_seconds=-600)}",
        "from another issuer": lambda: f"Bearer {user_token(suite, STAFF, issuer='elsewhere')}",
        "for another audience": lambda: f"Bearer {user_token(suite, STAFF, audience='other')}",
        "unsigned (alg none)": lambda: (
            "Bearer "
            + jwt.encode(
                {**STAFF.claims(), "iss": keys.issuer, "aud": keys.audience, "exp": 2**31},
                "",
                "none",
            )
        ),
        "the subgraphs' internal token": lambda: (
            "Bearer " + internal(suite, "the gateway's")[IDENTITY_HEADER]
        ),
    }
    return tokens[credentials]()


CREDENTIALS = [
    "no Authorization",
    "not a bearer token",
    "a bearer token that is no JWT",
    "signed with another key",
    "expired",
    "from another issuer",
    "for another audience",
    "unsigned (alg none)",
    "the subgraphs' internal token",
]


@pytest.mark.parametrize("credentials", CREDENTIALS)
async def test_the_gateway_refuses_a_caller_without_a_valid_token_before_any_subgraph_call(
    world: World, credentials: str
) -> None:
    person = world.wards["A"].person
    reply = await world.gateway.call(
        None,
        PERSONAL,
        {"id": person.id},
        authorization=caller_token(world.gateway.suite, credentials),
    )
    assert reply.status == 401, reply.body
    assert reply.codes == {"UNAUTHENTICATED"}, reply.body
    assert reply.data is None and person.name not in str(reply.body)
    # no subgraph heard of it: the members service kept no trace of the request
    logged = await entries(world.gateway, "members", person.id)
    assert not [e for e in logged if e["requestId"] == reply.request_id], logged


async def test_the_same_read_with_a_valid_token_is_answered_and_logged(world: World) -> None:
    """The control of the test above."""
    person = world.wards["A"].person
    reply = await world.gateway.call(STAFF, PERSONAL, {"id": person.id})
    assert reply.status == 200 and reply.data and reply.data["member"]["fullName"] == person.name
    logged = await entries(world.gateway, "members", person.id)
    assert [e for e in logged if e["requestId"] == reply.request_id], logged


ENTITIES = {
    "members": (
        "query ($representations: [_Any!]!) { _entities(representations: $representations) { "
        "... on PartyMember { id fullName cardNumber } "
        "... on AdmissionCandidate { id fullName dateOfBirth } "
        "... on Transfer { id personName } } }"
    ),
    "evaluations": (
        "query ($representations: [_Any!]!) { _entities(representations: $representations) { "
        "... on Evaluation { id proposedRating } "
        f'... on PartyMember {{ id evaluations(period: "{PERIOD}") {{ id proposedRating }} }} }} }}'
    ),
    "organisations": (
        "query ($representations: [_Any!]!) { _entities(representations: $representations) { "
        "... on DissolutionCase { id stage } } }"
    ),
}


def representations(world: World, service: str, ward: str) -> list[dict[str, str]]:
    w = world.wards[ward]
    return {
        "members": [
            {"__typename": "PartyMember", "id": w.person.id},
            {"__typename": "AdmissionCandidate", "id": w.applicant.id},
            {"__typename": "Transfer", "id": w.transfer},
        ],
        "evaluations": [
            {"__typename": "Evaluation", "id": f"{w.person.id}:{PERIOD}"},
            {"__typename": "PartyMember", "id": w.person.id},
        ],
        "organisations": [{"__typename": "DissolutionCase", "id": w.case}],
    }[service]


@pytest.mark.parametrize("service", SERVICES)
async def test_entity_references_resolve_in_scope_and_are_null_and_forbidden_outside(
    world: World, service: str
) -> None:
    """What the gateway asks a subgraph for a field that crosses subgraphs, asked directly
    with a genuine token of ward A's committee: ward A's references resolve, ward B's are
    null, each with FORBIDDEN at its path."""
    suite = world.gateway.suite
    committee = world.principal(Role.WARD_COMMITTEE)
    own, other = representations(world, service, "A"), representations(world, service, "B")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{suite.url(service)}/graphql",
            json={"query": ENTITIES[service], "variables": {"representations": own + other}},
            headers=internal(suite, "the gateway's", committee),
        )
    assert response.status_code == 200, response.text
    body = response.json()
    resolved = body["data"]["_entities"]
    assert all(entity is not None for entity in resolved[: len(own)]), body
    outside = resolved[len(own) :]
    if service == "evaluations":
        # a member's evaluations are a list: it keeps those of the cells in scope, none here
        member = outside.pop()
        assert member is None or member["evaluations"] == [], body
    assert outside == [None] * len(outside), body
    refused = {e["path"][1] for e in body["errors"]}
    assert set(range(len(own), len(own) + len(outside))) <= refused, body["errors"]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
