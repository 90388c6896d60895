"""Keys, callers and tokens of the gateways under test, and a reader of the identity the gateway
forwards (checked claim by claim against the subgraphs' contract, with PyJWT)."""

from __future__ import annotations

from typing import Any

import jwt
from gateway.tokens import mint

AUTH_SECRET = "test-user-token-secret-of-forty-bytes-xx"
INTERNAL_SECRET = "test-internal-token-secret-of-forty-byte"
GATEWAY_AUTH: dict[str, Any] = {
    "auth_secret": AUTH_SECRET,
    "internal_token_secret": INTERNAL_SECRET,
}

STAFF_GRANTS = ["DISTRICT_STANDING", "WARD_COMMITTEE@ward-1", "AUDITOR"]


def staff_token(**claims: Any) -> str:
    """A district officer's local HS256 token, valid for an hour."""
    return mint(
        "u-staff",
        name="Staff Member",
        grants=STAFF_GRANTS,
        secret=AUTH_SECRET,
        issuer="partyorg-local",
        audience="partyorg",
        ttl_seconds=3600,
        **claims,
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
