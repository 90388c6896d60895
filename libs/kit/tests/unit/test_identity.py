"""The gateway's identity: roles scoped to subtrees, and the internal token the gateway signs
and the subgraphs verify with its public keys."""

import base64
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from kit.identity import (
    AUDIENCE,
    ISSUER,
    Forbidden,
    Grant,
    Principal,
    Role,
    Unauthenticated,
    key_id,
    sign_internal,
)
from kit.identity_verification import GatewayKeys, VerifiedTokens, verify_internal
from kit.testing import hand_signed, public_pem

DISTRICT, WARD_A, WARD_B, CELL_A1 = "d-1", "w-a", "w-b", "c-a1"
CELL_A1_ANCESTRY = frozenset({CELL_A1, WARD_A, DISTRICT})
CELL_B1_ANCESTRY = frozenset({"c-b1", WARD_B, DISTRICT})

ward_a_committee = Principal("u-1", "Lê Văn Bình", (Grant(Role.WARD_COMMITTEE, WARD_A),))


def test_a_grant_covers_its_subtree_and_nothing_beside_it() -> None:
    assert ward_a_committee.may({Role.WARD_COMMITTEE}, CELL_A1_ANCESTRY)
    assert not ward_a_committee.may({Role.WARD_COMMITTEE}, CELL_B1_ANCESTRY)
    assert not ward_a_committee.may({Role.WARD_COMMITTEE}, frozenset({DISTRICT}))


def test_a_role_the_caller_lacks_is_refused_even_in_its_subtree() -> None:
    assert not ward_a_committee.may({Role.DISTRICT_STANDING}, CELL_A1_ANCESTRY)
    with pytest.raises(Forbidden) as refused:
        ward_a_committee.require({Role.CELL_SECRETARY}, CELL_A1_ANCESTRY)
    assert refused.value.code == "FORBIDDEN"
    assert CELL_A1 not in str(refused.value)


def test_a_whole_tree_grant_covers_everything() -> None:
    auditor = Principal("a-1", grants=(Grant(Role.AUDITOR),))
    assert auditor.may({Role.AUDITOR}, CELL_B1_ANCESTRY)
    assert auditor.subtrees({Role.AUDITOR}) is None
    assert ward_a_committee.subtrees({Role.WARD_COMMITTEE, Role.AUDITOR}) == {WARD_A}
    assert ward_a_committee.subtrees({Role.AUDITOR}) == frozenset()


def test_the_subtrees_of_a_role_are_the_roots_of_its_grants_or_the_whole_tree() -> None:
    two_wards = Principal(
        "u-2",
        grants=(
            Grant(Role.WARD_COMMITTEE, WARD_A),
            Grant(Role.WARD_COMMITTEE, WARD_B),
            Grant(Role.AUDITOR, CELL_A1),
        ),
    )
    assert two_wards.subtrees({Role.WARD_COMMITTEE}) == {WARD_A, WARD_B}
    assert two_wards.subtrees({Role.WARD_COMMITTEE, Role.AUDITOR}) == {WARD_A, WARD_B, CELL_A1}
    assert two_wards.subtrees({Role.DISTRICT_STANDING}) == frozenset()
    also_everywhere = Principal("u-3", grants=(*two_wards.grants, Grant(Role.AUDITOR)))
    assert also_everywhere.subtrees({Role.AUDITOR, Role.WARD_COMMITTEE}) is None
    assert also_everywhere.subtrees({Role.WARD_COMMITTEE}) == {WARD_A, WARD_B}


def test_holding_a_role_anywhere_is_holding_it_somewhere_or_everywhere() -> None:
    assert ward_a_committee.holds({Role.WARD_COMMITTEE, Role.AUDITOR})
    assert not ward_a_committee.holds({Role.AUDITOR})
    assert Principal("a-1", grants=(Grant(Role.AUDITOR),)).holds({Role.AUDITOR})
    assert not Principal("u-0").holds(Role)


def test_a_member_is_themselves_only_with_the_member_role() -> None:
    member = Principal("m", grants=(Grant(Role.MEMBER),), member_id="pm-1")
    assert member.is_member("pm-1")
    assert not member.is_member("pm-2")
    staff_with_a_member_id = Principal("s", grants=(Grant(Role.AUDITOR),), member_id="pm-1")
    assert not staff_with_a_member_id.is_member("pm-1")


GATEWAY = Ed25519PrivateKey.generate()
TRUSTED = GatewayKeys([GATEWAY.public_key()])


def test_the_internal_token_carries_the_principal_across() -> None:
    principal = Principal(
        "u-9",
        "Nguyễn Thị Hoa",
        (Grant(Role.CELL_SECRETARY, CELL_A1), Grant(Role.AUDITOR)),
        member_id="pm-9",
    )
    token = sign_internal(principal, GATEWAY, request_id="req-1")
    assert verify_internal(token, TRUSTED) == principal
    assert jwt.get_unverified_header(token) == {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": key_id(GATEWAY.public_key()),
    }
    claims = jwt.decode(token, GATEWAY.public_key(), algorithms=["EdDSA"], audience=AUDIENCE)
    assert claims["iss"] == ISSUER
    assert claims["rid"] == "req-1"
    assert claims["grants"] == [
        {"role": "CELL_SECRETARY", "organisationId": CELL_A1},
        {"role": "AUDITOR"},
    ]


def test_the_kid_is_the_rfc_7638_thumbprint_of_the_public_key() -> None:
    """RFC 8037, appendix A.3: the thumbprint of its example Ed25519 key."""
    x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    raw = base64.urlsafe_b64decode(x + "=")
    assert key_id(Ed25519PublicKey.from_public_bytes(raw)) == (
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    )


def test_during_a_rotation_tokens_of_the_old_and_the_new_key_are_both_accepted() -> None:
    new = Ed25519PrivateKey.generate()
    both = GatewayKeys.from_pem(public_pem(GATEWAY) + public_pem(new))
    for key in (GATEWAY, new):
        assert verify_internal(sign_internal(ward_a_committee, key), both) == ward_a_committee
    with pytest.raises(Unauthenticated):
        verify_internal(sign_internal(ward_a_committee, new), TRUSTED)


def _widened(token: str) -> str:
    """The same signature over claims granting the whole tree."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["grants"] = [{"role": "WARD_COMMITTEE"}]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        **ward_a_committee.claims(),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 60,
        **changes,
    }


KID = key_id(GATEWAY.public_key())
FORGERIES: dict[str, Callable[[], str]] = {
    "another Ed25519 key": lambda: sign_internal(ward_a_committee, Ed25519PrivateKey.generate()),
    "another key, naming the gateway's kid": lambda: jwt.encode(
        _claims(), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": KID}
    ),
    "no kid": lambda: jwt.encode(_claims(), GATEWAY, algorithm="EdDSA"),
    "HS256 over a shared secret": lambda: jwt.encode(
        _claims(), secrets.token_urlsafe(48), algorithm="HS256", headers={"kid": KID}
    ),
    "HS256 over the gateway's public key": lambda: hand_signed(
        {"alg": "HS256", "typ": "JWT", "kid": KID}, _claims(), public_pem(GATEWAY).encode()
    ),
    "unsigned (alg none)": lambda: hand_signed(
        {"alg": "none", "typ": "JWT", "kid": KID}, _claims(), None
    ),
    "expired": lambda: sign_internal(ward_a_committee, GATEWAY, ttl_seconds=-60),
    "no audience": lambda: jwt.encode(
        {k: v for k, v in _claims().items() if k != "aud"}, GATEWAY, "EdDSA", {"kid": KID}
    ),
    "another audience": lambda: jwt.encode(_claims(aud="partyorg"), GATEWAY, "EdDSA", {"kid": KID}),
    "another issuer": lambda: jwt.encode(_claims(iss="someone"), GATEWAY, "EdDSA", {"kid": KID}),
    "tampered": lambda: _widened(sign_internal(ward_a_committee, GATEWAY)),
    "not a JWT": lambda: "not-a-token",
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_token_the_gateway_did_not_sign_is_refused(forgery: str) -> None:
    token = FORGERIES[forgery]()
    with pytest.raises(Unauthenticated):
        verify_internal(token, TRUSTED)
    with pytest.raises(Unauthenticated):
        VerifiedTokens(TRUSTED).verify(token)


def test_a_remembered_token_is_answered_from_memory_until_it_expires() -> None:
    remembered = VerifiedTokens(TRUSTED)
    token = sign_internal(ward_a_committee, GATEWAY)
    assert remembered.verify(token) == ward_a_committee
    remembered.keys = GatewayKeys([Ed25519PrivateKey.generate().public_key()])
    assert remembered.verify(token) == ward_a_committee  # not verified again
    remembered.known[token] = (ward_a_committee, time.time() - 1)
    with pytest.raises(Unauthenticated):
        remembered.verify(token)


def test_the_memory_is_bounded_and_forgets_the_oldest_first() -> None:
    remembered = VerifiedTokens(TRUSTED, size=2)
    tokens = [sign_internal(Principal(subject), GATEWAY) for subject in ("u-1", "u-2", "u-3")]
    for token in tokens:
        remembered.verify(token)
    assert list(remembered.known) == tokens[1:]


def test_claims_with_an_unknown_role_describe_no_principal() -> None:
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": "x",
            "grants": [{"role": "SUPERUSER"}],
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 60,
        },
        GATEWAY,
        algorithm="EdDSA",
        headers={"kid": KID},
    )
    with pytest.raises(Unauthenticated):
        verify_internal(token, TRUSTED)
