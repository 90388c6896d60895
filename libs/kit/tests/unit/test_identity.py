"""The gateway's identity: roles scoped to subtrees, and the internal token both sides share."""

import base64
import json
import time

import jwt
import pytest
from kit.identity import (
    AUDIENCE,
    ISSUER,
    Forbidden,
    Grant,
    Principal,
    Role,
    Unauthenticated,
    random_secret,
    sign_internal,
    verify_internal,
)

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
    assert auditor.scopes({Role.AUDITOR}) == {None}
    assert ward_a_committee.scopes({Role.WARD_COMMITTEE, Role.AUDITOR}) == {WARD_A}
    assert ward_a_committee.scopes({Role.AUDITOR}) == set()


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


def test_the_internal_token_carries_the_principal_across() -> None:
    secret = random_secret()
    principal = Principal(
        "u-9",
        "Nguyễn Thị Hoa",
        (Grant(Role.CELL_SECRETARY, CELL_A1), Grant(Role.AUDITOR)),
        member_id="pm-9",
    )
    token = sign_internal(principal, secret, request_id="req-1")
    assert verify_internal(token, secret) == principal
    claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE)
    assert claims["iss"] == ISSUER
    assert claims["rid"] == "req-1"
    assert claims["grants"] == [
        {"role": "CELL_SECRETARY", "organisationId": CELL_A1},
        {"role": "AUDITOR"},
    ]


def _widened(token: str) -> str:
    """The same signature over claims granting the whole tree."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["grants"] = [{"role": "WARD_COMMITTEE"}]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda p, s: sign_internal(p, random_secret()), id="another secret"),
        pytest.param(lambda p, s: sign_internal(p, s, ttl_seconds=-60), id="expired"),
        pytest.param(
            lambda p, s: jwt.encode({**p.claims(), "iss": ISSUER, "exp": time.time() + 60}, s),
            id="no audience",
        ),
        pytest.param(
            lambda p, s: jwt.encode(
                {
                    **p.claims(),
                    "iss": "someone",
                    "aud": AUDIENCE,
                    "iat": 0,
                    "exp": time.time() + 60,
                },
                s,
            ),
            id="another issuer",
        ),
        pytest.param(
            lambda p, s: jwt.encode(
                {**p.claims(), "iss": ISSUER, "aud": AUDIENCE, "iat": 0, "exp": time.time() + 60},
                "",
                algorithm="none",
            ),
            id="unsigned",
        ),
        pytest.param(lambda p, s: _widened(sign_internal(p, s)), id="tampered"),
    ],
)
def test_a_token_the_gateway_did_not_sign_is_refused(forge: object) -> None:
    secret = random_secret()
    token = forge(ward_a_committee, secret)  # type: ignore[operator]
    with pytest.raises(Unauthenticated):
        verify_internal(token, secret)


def test_claims_with_an_unknown_role_describe_no_principal() -> None:
    secret = random_secret()
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
        secret,
    )
    with pytest.raises(Unauthenticated):
        verify_internal(token, secret)
