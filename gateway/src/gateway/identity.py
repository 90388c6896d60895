"""Who the caller is, read from their verified token, and the token the gateway signs to tell
the subgraphs.

The subgraphs trust one header, `x-partyorg-identity`: an EdDSA (Ed25519) JWT signed with the
gateway's private key (GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY; the subgraphs hold only public keys),
its header's `kid` the RFC 7638 thumbprint of the public key, issuer `partyorg-gateway`,
audience `partyorg-subgraphs`, with the claims sub, name, grants ([{"role", "organisationId"?}],
no organisationId: the whole tree), memberId (when the caller is a member), iat and exp, and
rid (the request id) when a token is signed per request. This is the contract of the
subgraphs' side (`kit.identity`); the gateway keeps its own copy of it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import Any

import orjson
from cachetools import LRUCache
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.keys import key_id

IDENTITY_HEADER = "x-partyorg-identity"
INTERNAL_ISSUER = "partyorg-gateway"
INTERNAL_AUDIENCE = "partyorg-subgraphs"
MIN_SECRET_BYTES = 32

ROLES = frozenset(
    {
        "CITY_COMMITTEE",
        "DISTRICT_STANDING",
        "WARD_COMMITTEE",
        "CELL_SECRETARY",
        "WORKPLACE_ASSESSOR",
        "INTEGRATION",
        "MEMBER",
        "AUDITOR",
    }
)


class MalformedClaims(ValueError):
    """The token verified, but its claims do not describe a caller. The message names what is
    wrong, never a value from the token."""


@dataclass(frozen=True, slots=True)
class Grant:
    role: str
    organisation_id: str | None = None  # the root of the subtree; None: the whole tree

    def claim(self) -> dict[str, str]:
        if self.organisation_id is None:
            return {"role": self.role}
        return {"role": self.role, "organisationId": self.organisation_id}


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    name: str = ""
    grants: tuple[Grant, ...] = ()
    member_id: str | None = None

    @property
    def roles(self) -> list[str]:
        return sorted({grant.role for grant in self.grants})

    def claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "sub": self.subject,
            "name": self.name,
            "grants": [grant.claim() for grant in self.grants],
        }
        if self.member_id is not None:
            claims["memberId"] = self.member_id
        return claims


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """The caller a verified token describes; raises MalformedClaims when it describes none
    (no subject, no grants claim, a grant that is not {role, organisationId?}, an unknown role,
    a MEMBER grant without memberId)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise MalformedClaims("the token has no subject (sub)")
    name = claims.get("name", "")
    if not isinstance(name, str):
        raise MalformedClaims("the name claim must be a string")
    member_id = claims.get("memberId")
    if member_id is not None and (not isinstance(member_id, str) or not member_id):
        raise MalformedClaims("the memberId claim must be a non-empty string")
    raw = claims.get("grants")
    if not isinstance(raw, list):
        raise MalformedClaims("the grants claim must be a list of {role, organisationId?}")
    grants = tuple(_grant(item) for item in raw)
    if member_id is None and any(grant.role == "MEMBER" for grant in grants):
        raise MalformedClaims("a MEMBER grant needs the memberId claim")
    return Principal(subject, name, grants, member_id)


def _grant(item: Any) -> Grant:
    # An unexpected key (say "organizationId") would otherwise widen the grant to the whole tree.
    if not isinstance(item, dict) or not set(item) <= {"role", "organisationId"}:
        raise MalformedClaims("each grant must be an object {role, organisationId?}")
    role = item.get("role")
    if role not in ROLES:
        raise MalformedClaims("a grant names an unknown role")
    organisation = item.get("organisationId")
    if organisation is not None and (not isinstance(organisation, str) or not organisation):
        raise MalformedClaims("a grant's organisationId must be a non-empty string")
    return Grant(str(role), organisation)


def _b64(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


def signing_key(pem: str) -> Ed25519PrivateKey:
    """The Ed25519 private key of a PEM (PKCS#8, unencrypted); raises ValueError."""
    try:
        key = serialization.load_pem_private_key(pem.strip().encode(), None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ValueError(
            f"not an unencrypted PEM private key ({error.__class__.__name__})"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the key must be an Ed25519 private key")
    return key


class InternalTokens:
    """Signs the identity the gateway forwards; used as such, once per request, naming it
    (GATEWAY_IDENTITY_PER_REQUEST=true).

    Encoded here rather than with PyJWT: the same compact EdDSA JWS at about two thirds of the
    cost (bench/identity). Verification is PyJWT's, in the subgraphs and in the tests."""

    def __init__(self, private_key_pem: str, ttl_seconds: int) -> None:
        self.key = signing_key(private_key_pem)
        self.kid = key_id(self.key.public_key())
        self.header = _b64(orjson.dumps({"alg": "EdDSA", "typ": "JWT", "kid": self.kid}))
        self.ttl = int(ttl_seconds)

    def claims(
        self, principal: Principal, request_id: str | None, now: int | None = None
    ) -> dict[str, Any]:
        now = int(time.time()) if now is None else now
        claims = principal.claims()
        if request_id is not None:
            claims["rid"] = request_id
        claims.update(iss=INTERNAL_ISSUER, aud=INTERNAL_AUDIENCE, iat=now, exp=now + self.ttl)
        return claims

    def sign(self, principal: Principal, request_id: str | None, now: int | None = None) -> str:
        """The token; without `rid` when no request id is given."""
        claims = self.claims(principal, request_id, now)
        signing_input = self.header + b"." + _b64(orjson.dumps(claims))
        return (signing_input + b"." + _b64(self.key.sign(signing_input))).decode()


class SharedIdentities:
    """Signs the identity once per caller and hands the same token to the caller's next
    requests while it outlives any request that starts (`request_timeout`): it carries no
    `rid` (the request id still goes to the subgraphs as x-request-id). The signature, about
    a third of a simple request's cost at the gateway, is then paid once a caller per `ttl -
    request_timeout` seconds, and the services' caches of verified tokens hold across
    requests. The default (GATEWAY_IDENTITY_PER_REQUEST=false)."""

    def __init__(self, tokens: InternalTokens, request_timeout: float, size: int = 10_000) -> None:
        self.tokens = tokens
        self.reusable_for = tokens.ttl - request_timeout
        self.signed: LRUCache[Principal, tuple[float, str]] = LRUCache(size)

    def sign(self, principal: Principal, request_id: str | None) -> str:
        now = time.time()
        found = self.signed.get(principal)
        if found is not None and now < found[0]:
            return found[1]
        issued = int(now)
        token = self.tokens.sign(principal, None, issued)
        self.signed[principal] = (issued + self.reusable_for, token)
        return token
