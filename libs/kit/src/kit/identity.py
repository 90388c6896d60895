"""Who is asking, and what their roles allow, as the gateway vouches for it.

The gateway verifies the caller's JWT and forwards the identity it found to every subgraph as a
short-lived token of its own in the `x-partyorg-identity` header: EdDSA (Ed25519) signed with
the gateway's private key, whose `kid` names the public key (its RFC 7638 thumbprint) among those
a subgraph trusts (`INTERNAL_TOKEN_PUBLIC_KEYS`, one or more PEM public keys: more than one while a
key is rotated); issuer `partyorg-gateway`, audience `partyorg-subgraphs`, and these claims:

    sub       the caller's subject                     "u-7f3a"
    name      a display name, for audit trails          "Nguyễn Văn A"
    grants    roles, each scoped to an organisation     [{"role": "WARD_COMMITTEE",
              subtree (no organisationId: the whole       "organisationId": "…"}]
              tree)
    memberId  the party member the caller is, if any   "…"
    rid       the request id, when the gateway signs    "…"
              a token per request (it reuses one per
              caller by default; the request id is in
              x-request-id either way)

A subgraph serves /graphql only to a request carrying a valid one (`IdentityMiddleware`, in
kit.identity_verification; HTTP 401 otherwise); the principal is then `current_principal()` for
the request. A subgraph holds no key that signs: a compromised one cannot speak for a caller to
the others.
"""

import base64
import hashlib
import time
from collections.abc import Collection, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kit.errors import Forbidden as Forbidden  # a refusal by role, as the domains refuse

IDENTITY_HEADER = "x-partyorg-identity"
ISSUER = "partyorg-gateway"
AUDIENCE = "partyorg-subgraphs"
ALGORITHM = "EdDSA"


class Role(StrEnum):
    CITY_COMMITTEE = "CITY_COMMITTEE"  # the city standing committee, the district's role after 2025
    DISTRICT_STANDING = "DISTRICT_STANDING"
    WARD_COMMITTEE = "WARD_COMMITTEE"
    CELL_SECRETARY = "CELL_SECRETARY"
    WORKPLACE_ASSESSOR = "WORKPLACE_ASSESSOR"
    INTEGRATION = "INTEGRATION"
    MEMBER = "MEMBER"
    AUDITOR = "AUDITOR"


class Unauthenticated(Exception):
    code = "UNAUTHENTICATED"


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    organisation_id: str | None = None  # the root of the subtree; None: the whole tree

    def covers(self, ancestry: Collection[str]) -> bool:
        return self.organisation_id is None or self.organisation_id in ancestry


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    name: str = ""
    grants: tuple[Grant, ...] = ()
    member_id: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.subject

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.grants)

    def may(self, roles: Iterable[Role], ancestry: Collection[str]) -> bool:
        """Holds one of `roles` over an organisation whose ancestry (itself and every
        ancestor id) is given."""
        wanted = frozenset(roles)
        return any(g.role in wanted and g.covers(ancestry) for g in self.grants)

    def require(self, roles: Iterable[Role], ancestry: Collection[str]) -> None:
        if not self.may(roles, ancestry):
            raise Forbidden

    def subtrees(self, roles: Iterable[Role]) -> frozenset[str] | None:
        """Roots of the subtrees where the caller holds one of `roles`: None when a grant
        covers the whole tree, empty when they hold none of them."""
        wanted = frozenset(roles)
        roots = [g.organisation_id for g in self.grants if g.role in wanted]
        if None in roots:
            return None
        return frozenset(root for root in roots if root is not None)

    def holds(self, roles: Iterable[Role]) -> bool:
        """Holds one of `roles` somewhere in the tree."""
        wanted = frozenset(roles)
        return any(g.role in wanted for g in self.grants)

    def is_member(self, member_id: str) -> bool:
        return (
            self.member_id is not None and self.member_id == member_id and Role.MEMBER in self.roles
        )

    def claims(self) -> dict[str, Any]:
        grants = [
            {"role": g.role.value}
            if g.organisation_id is None
            else {"role": g.role.value, "organisationId": g.organisation_id}
            for g in self.grants
        ]
        claims: dict[str, Any] = {"sub": self.subject, "name": self.name, "grants": grants}
        if self.member_id:
            claims["memberId"] = self.member_id
        return claims

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Principal":
        """Raises ValueError when the claims do not describe a principal."""
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise ValueError("no subject")
        raw = claims.get("grants", [])
        if not isinstance(raw, list):
            raise ValueError("grants must be a list")
        grants = []
        for item in raw:
            if not isinstance(item, dict):
                raise ValueError("a grant must be an object")
            organisation = item.get("organisationId")
            if organisation is not None and not isinstance(organisation, str):
                raise ValueError("organisationId must be a string")
            grants.append(Grant(Role(str(item.get("role"))), organisation))
        member = claims.get("memberId")
        name = claims.get("name")
        return cls(
            subject,
            name if isinstance(name, str) else "",
            tuple(grants),
            member if isinstance(member, str) and member else None,
        )


SYSTEM = Principal("system", "partyorg", ())

_principal: ContextVar[Principal | None] = ContextVar("principal", default=None)


def current_principal() -> Principal:
    """The caller of the request in hand (the middleware made sure there is one)."""
    principal = _principal.get()
    if principal is None:
        raise Unauthenticated("No verified identity for this request")
    return principal


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key's RFC 7638 JWK thumbprint: the `kid` the gateway's tokens name their key by."""
    x = _b64(public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    canonical = f'{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}'
    return _b64(hashlib.sha256(canonical.encode()).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def sign_internal(
    principal: Principal,
    private_key: Ed25519PrivateKey,
    *,
    ttl_seconds: float = 60,
    request_id: str | None = None,
) -> str:
    """The gateway's token for `principal`, as the gateway signs it (for tests and tools: the
    gateway has its own, faster encoder)."""
    now = int(time.time())
    claims = {
        **principal.claims(),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + int(ttl_seconds),
    }
    if request_id:
        claims["rid"] = request_id
    headers = {"kid": key_id(private_key.public_key())}
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers=headers)


def ancestry_of(organisation_id: str, ancestor_ids: Sequence[str]) -> frozenset[str]:
    return frozenset((organisation_id, *ancestor_ids))
