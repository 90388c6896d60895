"""Settings from the command line and GATEWAY_* environment variables."""

import os

import pytest
from gateway.__main__ import parse_settings
from gateway.tokens import internal_key_pair
from pydantic import ValidationError


def test_subgraph_urls_come_from_the_environment_and_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_SUBGRAPH_URLS", '{"members": "http://127.0.0.1:5002/graphql"}')
    monkeypatch.setenv("GATEWAY_PORT", "4100")
    settings = parse_settings(["--subgraph-url", "organisations=http://127.0.0.1:5001/graphql"])
    assert settings.subgraph_urls == {
        "members": "http://127.0.0.1:5002/graphql",
        "organisations": "http://127.0.0.1:5001/graphql",
    }
    assert settings.port == 4100


def test_header_and_origin_lists_accept_commas_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_FORWARD_HEADERS", "x-locale, x-request-id, x-tenant")
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", '["https://app.example.org"]')
    settings = parse_settings([])
    assert settings.forward_headers == ["x-locale", "x-request-id", "x-tenant"]
    assert settings.cors_origins == ["https://app.example.org"]


def test_production_mode_turns_introspection_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PRODUCTION", "true")
    assert parse_settings([]).introspection_enabled is False
    monkeypatch.setenv("GATEWAY_PRODUCTION", "false")
    monkeypatch.setenv("GATEWAY_INTROSPECTION", "false")
    assert parse_settings([]).introspection_enabled is False


def test_secrets_never_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_AUTH_SECRET", "a-local-secret-that-is-long-enough-000")
    private_key, _ = internal_key_pair()
    monkeypatch.setenv("GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY", private_key)
    settings = parse_settings([])
    shown = repr(settings)
    assert "a-local-secret" not in shown
    assert settings.internal_token_private_key is not None
    assert settings.internal_token_private_key.get_secret_value() == private_key
    assert private_key.splitlines()[1] not in shown


def test_user_tokens_default_to_the_local_issuer_and_audience(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GATEWAY_AUTH_ISSUER", raising=False)
    monkeypatch.delenv("GATEWAY_AUTH_AUDIENCE", raising=False)
    settings = parse_settings([])
    assert (settings.issuer, settings.audience) == ("partyorg-local", "partyorg")
    monkeypatch.setenv("GATEWAY_AUTH_ISSUER", "https://idp.example.org/realms/partyorg")
    monkeypatch.setenv("GATEWAY_AUTH_AUDIENCE", "partyorg-api")
    settings = parse_settings([])
    assert settings.issuer == "https://idp.example.org/realms/partyorg"
    assert settings.audience == "partyorg-api"


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AUTH_JWKS_URL", "AUTH_JWKS_FILE", "AUTH_SECRET", "AUTH_ISSUER", "INTROSPECTION"):
        monkeypatch.setenv(f"GATEWAY_{name}", "")
    settings = parse_settings([])
    assert settings.auth_jwks_url is None
    assert settings.auth_jwks_file is None
    assert settings.auth_secret is None
    assert settings.auth_issuer is None
    assert settings.introspection is None


def test_workers_default_to_the_cpus_the_gateway_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_settings([]).worker_count == len(os.sched_getaffinity(0))
    monkeypatch.setenv("GATEWAY_WORKERS", "3")
    assert parse_settings([]).worker_count == 3
    assert parse_settings(["--workers", "1"]).worker_count == 1
    with pytest.raises(ValidationError):
        parse_settings(["--workers", "0"])
