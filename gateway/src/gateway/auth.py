"""Authenticates each /graphql request from its `Authorization: Bearer <JWT>` header, before the
gateway reads the operation.

A token is accepted when PyJWT verifies it with a configured key, the algorithm being the one
that key fixes — RS256/ES256 keys from a JWKS (file or URL), HS256 with GATEWAY_AUTH_SECRET for
local use only — and it names the configured issuer and audience, carries exp (and, when
present, nbf and iat in the past, within the leeway) and describes a caller (see
`identity.principal_from_claims`). Verified tokens are remembered until they expire, so a
client's next requests cost a dictionary look-up; every request still lets the key sources
look again when due, and a change of keys forgets every remembered token. When a token needs a
JWKS key and no source has any to offer (the identity provider has not answered yet), the
request is refused as `KeysUnavailable` (HTTP 503), not blamed on the caller."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
import orjson
from cachetools import LRUCache

from gateway.identity import (
    MIN_SECRET_BYTES,
    MalformedClaims,
    Principal,
    principal_from_claims,
    signing_key,
)
from gateway.keys import JwksError, JwksFile, JwksUrl, KeySource
from gateway.settings import Settings

VERIFIED_CACHE_SIZE = 10_000


class Unauthenticated(Exception):
    """The request is refused; the message says why without repeating the token."""

    def __init__(self, reason: str, token_sent: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.token_sent = token_sent


class KeysUnavailable(Exception):
    """No signing key can be had to check the token with: the fault is not the caller's."""


class ConfigurationError(Exception):
    """The settings would leave the gateway open or unable to vouch for callers."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the gateway cannot start: " + "; ".join(problems))
        self.problems = problems


def configuration_problems(settings: Settings) -> list[str]:
    problems = []
    internal = settings.internal_token_private_key
    if internal is None:
        problems.append(
            "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY must be set: the Ed25519 private key (PEM) the "
            "gateway signs forwarded identities with"
        )
    else:
        try:
            signing_key(internal.get_secret_value())
        except ValueError as error:
            problems.append(f"GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY cannot be used: {error}")
    if settings.request_timeout <= 0:
        problems.append("GATEWAY_REQUEST_TIMEOUT must be positive")
    if settings.internal_token_ttl_seconds <= settings.request_timeout:
        problems.append(
            "GATEWAY_INTERNAL_TOKEN_TTL_SECONDS must exceed GATEWAY_REQUEST_TIMEOUT, so that the "
            "identity signed at a request's start still holds for its last fetch"
        )
    secret = settings.auth_secret
    has_jwks = settings.auth_jwks_file is not None or bool(settings.auth_jwks_url)
    if settings.production:
        if not has_jwks:
            problems.append("production needs GATEWAY_AUTH_JWKS_URL or GATEWAY_AUTH_JWKS_FILE")
        if not settings.auth_issuer:
            problems.append("production needs GATEWAY_AUTH_ISSUER")
        if not settings.auth_audience:
            problems.append("production needs GATEWAY_AUTH_AUDIENCE")
        if secret is not None:
            problems.append("GATEWAY_AUTH_SECRET (HS256 user tokens) is refused in production")
        if settings.introspection:
            problems.append("GATEWAY_INTROSPECTION cannot be switched on in production")
    elif secret is None and not has_jwks:
        problems.append(
            "set GATEWAY_AUTH_SECRET (local HS256 tokens) or GATEWAY_AUTH_JWKS_URL / "
            "GATEWAY_AUTH_JWKS_FILE"
        )
    if secret is not None and len(secret.get_secret_value().encode()) < MIN_SECRET_BYTES:
        problems.append(f"GATEWAY_AUTH_SECRET must be at least {MIN_SECRET_BYTES} bytes")
    return problems


@dataclass(frozen=True, slots=True)
class _Verified:
    principal: Principal
    expires: float
    not_before: float


class Authenticator:
    def __init__(self, settings: Settings) -> None:
        self.verified: LRUCache[str, _Verified] = LRUCache(VERIFIED_CACHE_SIZE)
        problems = configuration_problems(settings)
        self.sources: list[KeySource] = []
        if settings.auth_jwks_file is not None:
            try:
                self.sources.append(
                    JwksFile(
                        settings.auth_jwks_file,
                        settings.auth_jwks_min_refresh_seconds,
                        self.forget_verified,
                    )
                )
            except (OSError, orjson.JSONDecodeError, JwksError) as error:
                problems.append(f"GATEWAY_AUTH_JWKS_FILE cannot be used: {error}")
        if settings.auth_jwks_url:
            self.sources.append(
                JwksUrl(
                    settings.auth_jwks_url,
                    settings.auth_jwks_cache_seconds,
                    settings.auth_jwks_min_refresh_seconds,
                    self.forget_verified,
                )
            )
        if problems:
            raise ConfigurationError(problems)
        self.secret = settings.auth_secret.get_secret_value() if settings.auth_secret else None
        self.issuer = settings.issuer
        self.audience = settings.audience
        self.leeway = settings.auth_leeway_seconds

    async def start(self) -> None:
        for source in self.sources:
            if isinstance(source, JwksUrl):
                await source.reload()

    async def aclose(self) -> None:
        for source in self.sources:
            await source.aclose()

    def forget_verified(self) -> None:
        self.verified.clear()

    async def authenticate(self, authorization: str | None) -> Principal:
        if not authorization:
            raise Unauthenticated(
                "Authentication required: send Authorization: Bearer <token>", token_sent=False
            )
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated(
                "The Authorization header must be: Bearer <token>", token_sent=False
            )
        for source in self.sources:
            source.keep_fresh()
        now = time.time()
        known = self.verified.get(token)
        if known is not None:
            if known.not_before - self.leeway <= now <= known.expires + self.leeway:
                return known.principal
            del self.verified[token]
        claims = await self._verify(token)
        try:
            principal = principal_from_claims(claims)
        except MalformedClaims as error:
            raise Unauthenticated(f"The token does not describe a caller: {error}") from None
        not_before = max(_number(claims.get("nbf")), _number(claims.get("iat")))
        self.verified[token] = _Verified(principal, float(claims["exp"]), not_before)
        return principal

    async def _verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("The token is not a well-formed JWT") from None
        algorithm = header.get("alg")
        kid = header.get("kid") if isinstance(header.get("kid"), str) else None
        key: Any
        if algorithm == "HS256" and self.secret is not None:
            key = self.secret
        elif algorithm in ("RS256", "ES256") and self.sources:
            found = None
            for source in self.sources:
                found = await source.find(kid, str(algorithm))
                if found is not None:
                    break
            if found is None and all(source.unavailable for source in self.sources):
                raise KeysUnavailable("The signing keys cannot be had; try again shortly")
            if found is None:
                raise Unauthenticated("The token is signed with a key this gateway does not know")
            key = found.key
        else:
            raise Unauthenticated("The token's signing algorithm is not accepted here")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[str(algorithm)],
                issuer=self.issuer,
                audience=self.audience,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated(_reason(error)) from None
        return claims


def _reason(error: jwt.PyJWTError) -> str:
    if isinstance(error, jwt.ExpiredSignatureError):
        return "The token has expired"
    if isinstance(error, jwt.ImmatureSignatureError):
        return "The token is not valid yet"
    if isinstance(error, jwt.InvalidIssuerError):
        return "The token's issuer is not accepted"
    if isinstance(error, jwt.InvalidAudienceError):
        return "The token is not meant for this API (audience)"
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"The token lacks the {error.claim} claim"
    if isinstance(error, jwt.InvalidSignatureError):
        return "The token's signature does not verify"
    return "The token is invalid"


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
