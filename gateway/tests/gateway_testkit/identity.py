"""Keys, callers and tokens of the gateways under test, and a reader of the identity the gateway
forwards (checked claim by claim against the subgraphs' contract, with PyJWT)."""

from __future__ import annotations

from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from gateway.keys import key_id
from gateway.settings import LOCAL_AUDIENCE, LOCAL_ISSUER
from gateway.tokens import internal_key_pair, mint

AUTH_SECRET = "test-user-token-secret-of-forty-bytes-xx"
INTERNAL_PRIVATE_KEY, INTERNAL_PUBLIC_KEY = internal_key_pair()
GATEWAY_AUTH: dict[str, Any] = {
    "auth_secret": AUTH_SECRET,
    "internal_token_private_key": INTERNAL_PRIVATE_KEY,
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
    verify it: EdDSA only, with the public key its kid names (the RFC 7638 thumbprint), issuer
    partyorg-gateway, audience partyorg-subgraphs."""
    token = headers["x-partyorg-identity"]
    public_key = serialization.load_pem_public_key(INTERNAL_PUBLIC_KEY.encode())
    assert isinstance(public_key, Ed25519PublicKey)
    kid = key_id(public_key)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "typ": "JWT", "kid": kid}
    claims: dict[str, Any] = jwt.decode(
        token,
        public_key,
        algorithms=["EdDSA"],
        issuer="partyorg-gateway",
        audience="partyorg-subgraphs",
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
    return claims
