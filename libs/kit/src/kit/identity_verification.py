"""How a subgraph checks the identity the gateway vouches for (kit.identity): the gateway's
public keys it trusts, the tokens verified lately, and the middleware that serves /graphql only
to a request carrying a valid one."""

import re
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.identity import (
    ALGORITHM,
    AUDIENCE,
    IDENTITY_HEADER,
    ISSUER,
    Principal,
    Unauthenticated,
    _principal,
    key_id,
)

REMEMBERED_TOKENS = 1024
_PEM_PUBLIC_KEY = re.compile(
    r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", flags=re.DOTALL
)


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
