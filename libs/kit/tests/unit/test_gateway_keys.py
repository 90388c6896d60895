"""What a service does with INTERNAL_TOKEN_PUBLIC_KEYS: production does not start without a
usable key; without any, /graphql answers 401 to every request, genuine tokens included."""

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kit.http import trusted_gateway_keys
from kit.identity import IDENTITY_HEADER, sign_internal
from kit.identity_verification import GatewayKeys, IdentityMiddleware
from kit.settings import ServiceSettings
from kit.testing import GATEWAY_KEY, STAFF, public_pem
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

P256_PUBLIC_KEY = (
    ec.generate_private_key(ec.SECP256R1())
    .public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def test_production_refuses_to_start_without_the_gateways_public_key() -> None:
    for unset in (None, "", "  \n"):
        settings = ServiceSettings(environment="production", internal_token_public_keys=unset)
        with pytest.raises(RuntimeError, match="INTERNAL_TOKEN_PUBLIC_KEYS must be set"):
            trusted_gateway_keys(settings)


@pytest.mark.parametrize("environment", ["development", "production"])
@pytest.mark.parametrize(
    "pem",
    [
        pytest.param("not a key", id="no PEM"),
        pytest.param(P256_PUBLIC_KEY, id="a P-256 key"),
        pytest.param(public_pem(GATEWAY_KEY) + P256_PUBLIC_KEY, id="one of them P-256"),
    ],
)
def test_public_keys_that_cannot_be_used_stop_the_service(environment: str, pem: str) -> None:
    settings = ServiceSettings(environment=environment, internal_token_public_keys=pem)
    with pytest.raises(RuntimeError, match="INTERNAL_TOKEN_PUBLIC_KEYS cannot be used"):
        trusted_gateway_keys(settings)


def test_every_trusted_key_is_read_from_one_pem_text() -> None:
    new = Ed25519PrivateKey.generate()
    settings = ServiceSettings(
        environment="production",
        internal_token_public_keys=public_pem(GATEWAY_KEY) + "\n" + public_pem(new),
    )
    keys = trusted_gateway_keys(settings)
    assert keys is not None and len(keys.by_kid) == 2


def test_a_shared_secret_left_from_before_is_ignored_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("INTERNAL_TOKEN_SECRET", "left over from the shared-secret days")
    settings = ServiceSettings(internal_token_public_keys=public_pem(GATEWAY_KEY))
    with caplog.at_level("WARNING", logger="kit.http"):
        keys = trusted_gateway_keys(settings)
    assert keys is not None and len(keys.by_kid) == 1
    [warning] = caplog.records
    assert "INTERNAL_TOKEN_SECRET is no longer read" in warning.getMessage()
    assert "left over" not in warning.getMessage()


def guarded(keys: GatewayKeys | None) -> httpx.AsyncClient:
    async def answer(_: object) -> PlainTextResponse:
        return PlainTextResponse("answered")

    app = Starlette(routes=[Route("/graphql", answer, methods=["POST"]), Route("/healthz", answer)])
    transport = httpx.ASGITransport(app=IdentityMiddleware(app, keys))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_without_keys_every_graphql_request_is_refused_and_health_stays_open() -> None:
    genuine = {IDENTITY_HEADER: sign_internal(STAFF, GATEWAY_KEY)}
    async with guarded(None) as client:
        refused = await client.post("/graphql", headers=genuine)
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await client.get("/healthz")).text == "answered"
    async with guarded(GatewayKeys.from_pem(public_pem(GATEWAY_KEY))) as client:
        assert (await client.post("/graphql", headers=genuine)).text == "answered"
