"""Who is asking, and what their roles allow, as the gateway vouches for it.

The gateway verifies the caller's JWT and forwards the identity it found to every subgraph as a
short-lived token of its own in the `x-partyorg-identity` header: HS256 over the secret both
share (`INTERNAL_TOKEN_SECRET`), issuer `partyorg-gateway`, audience `partyorg-subgraphs`, and
these claims:

    sub       the caller's subject                     "u-7f3a"
    name      a display name, for audit trails          "Nguyễn Văn A"
    grants    roles, each scoped to an organisation     [{"role": "WARD_COMMITTEE",
              subtree (no organisationId: the whole       "organisationId": "…"}]
              tree)
    memberId  the party member the caller is, if any   "…"
    rid       the request id                            "…"

A subgraph serves /graphql only to a request carrying a valid one (`IdentityMiddleware`,
HTTP 401 otherwise); the principal is then `current_principal()` for the request.
"""

import secrets
import time
from collections.abc import Collection, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt
import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

IDENTITY_HEADER = "x-partyorg-identity"
ISSUER = "partyorg-gateway"
AUDIENCE = "partyorg-subgraphs"
ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32


class Role(StrEnum):
    DISTRICT_STANDING = "DISTRICT_STANDING"
    WARD_COMMITTEE = "WARD_COMMITTEE"
    CELL_SECRETARY = "CELL_SECRETARY"
    WORKPLACE_ASSESSOR = "WORKPLACE_ASSESSOR"
    INTEGRATION = "INTEGRATION"
    MEMBER = "MEMBER"
    AUDITOR = "AUDITOR"


class Forbidden(Exception):
    """Refused by the caller's roles. The message says nothing of what exists."""

    code = "FORBIDDEN"

    def __init__(self) -> None:
        super().__init__("Not allowed for your roles in this part of the organisation")


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

    def scopes(self, roles: Iterable[Role]) -> set[str | None]:
        """Roots of the subtrees where the caller holds one of `roles`; None: everywhere."""
        wanted = frozenset(roles)
        return {g.organisation_id for g in self.grants if g.role in wanted}

    def subtrees(self, roles: Iterable[Role]) -> frozenset[str] | None:
        """Roots of the subtrees where the caller holds one of `roles`: None when a grant
        covers the whole tree, empty when they hold none of them."""
        roots = self.scopes(roles)
        if None in roots:
            return None
        return frozenset(root for root in roots if root is not None)

    def holds(self, roles: Iterable[Role]) -> bool:
        """Holds one of `roles` somewhere in the tree."""
        return bool(self.scopes(roles))

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


def sign_internal(
    principal: Principal, secret: str, *, ttl_seconds: float = 60, request_id: str | None = None
) -> str:
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
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_internal(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=5,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        return Principal.from_claims(claims)
    except (jwt.PyJWTError, ValueError) as error:
        raise Unauthenticated(f"Invalid gateway identity: {error}") from error


def random_secret() -> str:
    return secrets.token_urlsafe(MIN_SECRET_BYTES)


@dataclass
class IdentityMiddleware:
    """Serves /graphql only to requests that came through the gateway (HTTP 401 otherwise);
    health, readiness and metrics stay open for the platform."""

    app: ASGIApp
    secret: str | None
    protected_prefix: str = "/graphql"
    _refusal: bytes = field(init=False, default=b"")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.protected_prefix):
            await self.app(scope, receive, send)
            return
        token = dict(scope["headers"]).get(IDENTITY_HEADER.encode())
        try:
            if not self.secret:
                raise Unauthenticated("This service has no INTERNAL_TOKEN_SECRET")
            if token is None:
                raise Unauthenticated("Requests must come through the gateway")
            principal = verify_internal(token.decode("latin-1"), self.secret)
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
