"""Settings from the command line and GATEWAY_* environment variables."""

import pytest
from gateway.__main__ import parse_settings


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
    monkeypatch.setenv("GATEWAY_FORWARD_HEADERS", "authorization, x-request-id, x-tenant")
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", '["https://app.example.org"]')
    settings = parse_settings([])
    assert settings.forward_headers == ["authorization", "x-request-id", "x-tenant"]
    assert settings.cors_origins == ["https://app.example.org"]


def test_production_mode_turns_introspection_off_unless_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_PRODUCTION", "true")
    assert parse_settings([]).introspection_enabled is False
    monkeypatch.setenv("GATEWAY_INTROSPECTION", "true")
    assert parse_settings([]).introspection_enabled is True
