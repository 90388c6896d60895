"""The public keys callers' tokens are signed with: a JWKS file, a JWKS URL, or both.

Only signing keys of two kinds are taken, and each fixes its algorithm: RSA (2048 bits or
more) → RS256, EC P-256 → ES256. Symmetric ("oct") and private keys in a JWKS are ignored.
The URL is fetched without blocking the event loop, cached, refreshed in the background when
older than `max_age`, and fetched again when a token names an unknown kid (at most once per
`min_interval`, so that made-up kids cannot hammer the identity provider, nor can an identity
provider that is down). The file is looked at again every `min_interval`, and read again when it
changed. Both checks run on every request, remembered tokens included, so a key withdrawn from
the JWKS stops working within `max_age` (URL) or `min_interval` (file) of its withdrawal. A
failed fetch keeps the keys already known; a source that has none and cannot get them is
`unavailable`."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt import PyJWK, PyJWKError
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

log = logging.getLogger("gateway.keys")

MIN_RSA_BITS = 2048
PUBLIC_KEY_ALGORITHMS = frozenset({"RS256", "ES256"})
PublicKey = RSAPublicKey | EllipticCurvePublicKey


class JwksError(ValueError):
    """The document is not a JWKS."""


@dataclass(frozen=True, slots=True)
class VerificationKey:
    kid: str | None
    algorithm: str
    key: PublicKey


def public_jwk(public_key: PublicKey | Ed25519PublicKey) -> dict[str, str]:
    if isinstance(public_key, RSAPublicKey):
        return RSAAlgorithm.to_jwk(public_key, as_dict=True)
    if isinstance(public_key, Ed25519PublicKey):
        return OKPAlgorithm.to_jwk(public_key, as_dict=True)
    return ECAlgorithm.to_jwk(public_key, as_dict=True)


THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}


def key_id(public_key: PublicKey | Ed25519PublicKey) -> str:
    """The key's RFC 7638 thumbprint: the kid `mint` and the gateway's identity tokens name,
    the one `keygen` publishes and the subgraphs find their trusted keys by."""
    jwk = public_jwk(public_key)
    members = THUMBPRINT_MEMBERS[jwk["kty"]]
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class KeyRing:
    """The usable keys of one JWKS document."""

    def __init__(self, keys: list[VerificationKey]) -> None:
        self.keys = keys

    @classmethod
    def from_jwks(cls, document: Any, origin: str) -> KeyRing:
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise JwksError(f"{origin} is not a JWKS (an object with a keys list)")
        usable = []
        for jwk in document["keys"]:
            key = _verification_key(jwk, origin)
            if key is not None:
                usable.append(key)
        return cls(usable)

    def find(self, kid: str | None, algorithm: str) -> VerificationKey | None:
        """The key a token's header names; with no kid, the only key of its algorithm."""
        if kid is not None:
            return next((k for k in self.keys if k.kid == kid and k.algorithm == algorithm), None)
        candidates = [k for k in self.keys if k.algorithm == algorithm]
        return candidates[0] if len(candidates) == 1 else None


def _verification_key(jwk: Any, origin: str) -> VerificationKey | None:
    if not isinstance(jwk, dict):
        return None
    kid = jwk.get("kid") if isinstance(jwk.get("kid"), str) else None
    skipped = f"{origin}: key {kid or '(no kid)'} ignored:"
    if jwk.get("use", "sig") != "sig" or "d" in jwk:
        log.warning(f"{skipped} not a public signing key")
        return None
    if jwk.get("kty") == "RSA":
        algorithm = "RS256"
    elif jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        algorithm = "ES256"
    else:
        log.warning(f"{skipped} only RSA and EC P-256 keys are used")
        return None
    if jwk.get("alg", algorithm) != algorithm:
        log.warning(f"{skipped} its alg does not match its kind")
        return None
    try:
        key = PyJWK(jwk, algorithm).key
    except (PyJWKError, ValueError, TypeError) as error:
        log.warning(f"{skipped} {error.__class__.__name__}")
        return None
    if not isinstance(key, RSAPublicKey | EllipticCurvePublicKey):
        return None
    if isinstance(key, RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        log.warning(f"{skipped} RSA keys must have at least {MIN_RSA_BITS} bits")
        return None
    return VerificationKey(kid, algorithm, key)


class KeySource:
    """Keys from one place; `find` may look again when a kid is unknown."""

    def __init__(self, origin: str, min_interval: float, on_change: Callable[[], None]) -> None:
        self.origin = origin
        self.ring = KeyRing([])
        self.min_interval = min_interval
        self.on_change = on_change
        self.last_attempt = -float("inf")
        self.failing = False  # the last attempt to load failed
        self._loading: asyncio.Task[None] | None = None

    @property
    def unavailable(self) -> bool:
        """No keys known, and the last attempt to get some failed."""
        return self.failing and not self.ring.keys

    def keep_fresh(self) -> None:
        """Starts loading the keys again in the background when they are due; never waits."""
        if self.due() and (self._loading is None or self._loading.done()):
            self._loading = asyncio.ensure_future(self._load_logged())

    def due(self) -> bool:
        """Time to look again, whatever the keys known (a URL also waits for them to age)."""
        return self.may_look_again()

    def may_look_again(self) -> bool:
        return time.monotonic() - self.last_attempt >= self.min_interval

    async def find(self, kid: str | None, algorithm: str) -> VerificationKey | None:
        found = self.ring.find(kid, algorithm)
        if found is None and self.may_look_again():
            await self.reload()
            found = self.ring.find(kid, algorithm)
        return found

    async def reload(self) -> None:
        """Loads the keys again; callers arriving meanwhile wait for the same load."""
        if self._loading is None or self._loading.done():
            self._loading = asyncio.ensure_future(self._load_logged())
        await asyncio.shield(self._loading)

    async def _load_logged(self) -> None:
        self.last_attempt = time.monotonic()
        try:
            ring = await self.load()
        except (OSError, httpx.HTTPError, orjson.JSONDecodeError, JwksError) as error:
            self.failing = True
            log.error(
                "signing keys could not be loaded; keeping the known ones",
                extra={"origin": self.origin, "error": f"{error.__class__.__name__}: {error}"},
            )
            return
        self.failing = False
        self.replace(ring)

    def replace(self, ring: KeyRing) -> None:
        changed = [(k.kid, k.algorithm, k.key.public_numbers()) for k in ring.keys] != [
            (k.kid, k.algorithm, k.key.public_numbers()) for k in self.ring.keys
        ]
        self.ring = ring
        if changed:
            log.info(
                "signing keys loaded",
                extra={"origin": self.origin, "kids": [k.kid for k in ring.keys]},
            )
            self.on_change()

    async def load(self) -> KeyRing:
        raise NotImplementedError

    async def aclose(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()


class JwksFile(KeySource):
    """A JWKS file ops maintain; read at start, read again on an unknown kid if it changed."""

    def __init__(self, path: Path, min_interval: float, on_change: Callable[[], None]) -> None:
        super().__init__(str(path), min_interval, on_change)
        self.path = path
        self.mtime = path.stat().st_mtime_ns
        self.replace(KeyRing.from_jwks(orjson.loads(path.read_bytes()), self.origin))

    async def load(self) -> KeyRing:
        return await asyncio.to_thread(self._read)

    def _read(self) -> KeyRing:
        mtime = self.path.stat().st_mtime_ns
        if mtime == self.mtime:
            return self.ring
        ring = KeyRing.from_jwks(orjson.loads(self.path.read_bytes()), self.origin)
        self.mtime = mtime
        return ring


class JwksUrl(KeySource):
    """The identity provider's JWKS endpoint."""

    def __init__(
        self, url: str, max_age: float, min_interval: float, on_change: Callable[[], None]
    ) -> None:
        super().__init__(url, min_interval, on_change)
        self.url = url
        self.max_age = max_age
        self.loaded_at = -float("inf")
        self.http = httpx.AsyncClient(timeout=5.0, follow_redirects=False)

    def due(self) -> bool:
        return time.monotonic() - self.loaded_at > self.max_age and self.may_look_again()

    async def load(self) -> KeyRing:
        response = await self.http.get(self.url, headers={"accept": "application/json"})
        response.raise_for_status()
        ring = KeyRing.from_jwks(orjson.loads(response.content), self.origin)
        self.loaded_at = time.monotonic()
        return ring

    async def aclose(self) -> None:
        await super().aclose()
        await self.http.aclose()
