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

A subgraph serves /graphql only to a request carrying a valid one (`IdentityMiddleware`,
HTTP 401 otherwise); the principal is then `current_principal()` for the request. A subgraph
holds no key that signs: a compromised one cannot speak for a caller to the others.
"""

import base64
import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.errors import Forbidden as Forbidden  # a refusal by role, as the domains refuse

IDENTITY_HEADER = "x-partyorg-identity"
ISSUER = "partyorg-gateway"
AUDIENCE = "partyorg-subgraphs"
ALGORITHM = "EdDSA"
REMEMBERED_TOKENS = 1024
_PEM_PUBLIC_KEY = re.compile(
    r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", flags=re.DOTALL
)


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


class GatewayKeys:
    """The gateway's public keys this service trusts, by kid. Rotation: trust the new key beside
    the old one, switch the gateway to the new one, then drop the old one."""

    def __init__(self, keys: Iterable[Ed25519PublicKey]) -> None:
        self.by_kid = {key_id(key): key for key in keys}
        if not self.by_kid:
            raise ValueError("no public key given")

    @classmethod
    def from_pem(cls, text: str) -> "GatewayKeys":
        """One or more PEM Ed25519 public keys, one after the other; raises ValueError."""
        keys = []
        for block in _PEM_PUBLIC_KEY.findall(text):
            key = serialization.load_pem_public_key(block.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("every key must be an Ed25519 public key")
            keys.append(key)
        if not keys:
            raise ValueError("no PEM public key (-----BEGIN PUBLIC KEY-----) found")
        return cls(keys)


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


def verify_internal(token: str, keys: GatewayKeys) -> Principal:
    """The principal of a token the gateway signed with one of `keys`; raises Unauthenticated.
    The algorithm is fixed before the key is chosen: an HS256 token is refused whatever key
    its HMAC was made with."""
    return _verify(token, keys)[0]


def _verify(token: str, keys: GatewayKeys) -> tuple[Principal, float]:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("Invalid gateway identity: not signed with EdDSA")
        key = keys.by_kid.get(str(header.get("kid")))
        if key is None:
            raise Unauthenticated("Invalid gateway identity: signed with a key not trusted here")
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=5,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        return Principal.from_claims(claims), float(claims["exp"])
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise Unauthenticated(f"Invalid gateway identity: {error}") from error


class VerifiedTokens:
    """Tokens verified lately, each until it expires: the fetches of one request to the same
    subgraph carry the same token, and verifying an Ed25519 signature costs more than a look-up."""

    def __init__(self, keys: GatewayKeys, size: int = REMEMBERED_TOKENS) -> None:
        self.keys = keys
        self.size = size
        self.known: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def verify(self, token: str) -> Principal:
        remembered = self.known.get(token)
        if remembered is not None and time.time() < remembered[1]:
            self.known.move_to_end(token)
            return remembered[0]
        principal, expires = _verify(token, self.keys)
        self.known[token] = (principal, expires)
        if len(self.known) > self.size:
            self.known.popitem(last=False)
        return principal


@dataclass
class IdentityMiddleware:
    """Serves /graphql only to requests that came through the gateway (HTTP 401 otherwise);
    health, readiness and metrics stay open for the platform."""

    app: ASGIApp
    keys: GatewayKeys | None
    protected_prefix: str = "/graphql"
    _verified: VerifiedTokens | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._verified = VerifiedTokens(self.keys) if self.keys is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.protected_prefix):
            await self.app(scope, receive, send)
            return
        token = dict(scope["headers"]).get(IDENTITY_HEADER.encode())
        try:
            if self._verified is None:
                raise Unauthenticated("This service has no INTERNAL_TOKEN_PUBLIC_KEYS")
            if token is None:
                raise Unauthenticated("Requests must come through the gateway")
            principal = self._verified.verify(token.decode("latin-1"))
        except Unauthenticated as error:
            await _refuse(send, str(error))
            return
        reset = _principal.set(principal)
        try:
            await self.app(scope, receive, send)
        finally:
            _principal.reset(reset)


async def _refuse(send: Send, message: str) -> None:
    body = orjson.dumps(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    )
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b'Bearer realm="partyorg"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def ancestry_of(organisation_id: str, ancestor_ids: Sequence[str]) -> frozenset[str]:
    return frozenset((organisation_id, *ancestor_ids))
