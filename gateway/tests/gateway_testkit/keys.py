"""Key pairs published in a JWKS (file or a tiny HTTP server), and tokens forged by hand."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from gateway.tokens import keygen, load_private_key, mint
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway_testkit.serving import serve_app


@dataclass(frozen=True)
class KeyPair:
    kid: str
    algorithm: str
    private_key: Path
    jwks: Path

    @property
    def public_pem(self) -> bytes:
        return (
            load_private_key(self.private_key)
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )

    def token(self, **claims: Any) -> str:
        options: dict[str, Any] = {
            "kid": self.kid,
            "name": "Key Holder",
            "grants": ["WARD_COMMITTEE@ward-1"],
            "issuer": "partyorg-local",
            "audience": "partyorg",
            "ttl_seconds": 3600,
            **claims,
        }
        return mint("u-key", private_key=self.private_key, **options)


def make_key(folder: Path, algorithm: str) -> KeyPair:
    kid, private_key, jwks = keygen(folder, algorithm)
    return KeyPair(kid, algorithm, private_key, jwks)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forge(header: dict[str, Any], claims: dict[str, Any], hmac_key: bytes | None) -> str:
    """A compact JWS put together by hand: any header (alg none, HS256 over a public key…)."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    if hmac_key is None:
        return signing_input + "."
    signature = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


@dataclass
class JwksServer:
    """An identity provider's JWKS endpoint; `document` can change while it runs, and while
    `up` is false it answers 503."""

    document: dict[str, Any]
    url: str = ""
    fetches: int = 0
    up: bool = True


@contextmanager
def serve_jwks(document: dict[str, Any]) -> Iterator[JwksServer]:
    server = JwksServer(document)

    async def jwks(_: Request) -> JSONResponse:
        server.fetches += 1
        if not server.up:
            return JSONResponse({"error": "down for maintenance"}, status_code=503)
        return JSONResponse(server.document)

    with serve_app(Starlette(routes=[Route("/jwks.json", jwks)])) as base:
        server.url = f"{base}/jwks.json"
        yield server
