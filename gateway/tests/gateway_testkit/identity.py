"""Keys, callers and tokens of the gateways under test, and a reader of the identity the gateway
forwards (checked claim by claim against the subgraphs' contract, with PyJWT)."""

from __future__ import annotations

from typing import Any

import jwt
from gateway.settings import LOCAL_AUDIENCE, LOCAL_ISSUER
from gateway.tokens import mint

AUTH_SECRET = "test-user-token-secret-of-forty-bytes-xx"
INTERNAL_SECRET = "test-internal-token-secret-of-forty-byte"
GATEWAY_AUTH: dict[str, Any] = {
    "auth_secret": AUTH_SECRET,
    "internal_token_secret": INTERNAL_SECRET,
}

STAFF_GRANTS = ["DISTRICT_STANDING", "WARD_COMMITTEE@ward-1", "AUDITOR"]


def local_token(subject: str, **options: Any) -> str:
    """A local HS256 token the gateways under test accept (AUTH_SECRET, the local issuer and
    audience, whatever the environment says); `options` as `gateway.tokens.mint` takes them."""
    return mint(
        subject,
        **{"secret": AUTH_SECRET, "issuer": LOCAL_ISSUER, "audience": LOCAL_AUDIENCE, **options},
    )


def staff_token(**claims: Any) -> str:
    """A district officer's local HS256 token, valid for an hour."""
    return local_token(
        "u-staff", **{"name": "Staff Member", "grants": STAFF_GRANTS, "ttl_seconds": 3600, **claims}
    )


def forwarded_identity(headers: dict[str, str]) -> dict[str, Any]:
    """The claims of the x-partyorg-identity a subgraph received, verified as the subgraphs
    verify it: HS256 only, issuer partyorg-gateway, audience partyorg-subgraphs."""
    token = headers["x-partyorg-identity"]
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims: dict[str, Any] = jwt.decode(
        token,
        INTERNAL_SECRET,
        algorithms=["HS256"],
        issuer="partyorg-gateway",
        audience="partyorg-subgraphs",
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
    return claims
