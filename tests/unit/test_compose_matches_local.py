"""docker-compose.yml and the local runner describe the same suite; compose keeps its secrets
out of git and gives each service only the database and broker rights it uses."""

import json
import re
from pathlib import Path
from typing import Any

import yaml
from evaluations.config import Settings as EvaluationsSettings
from gateway.settings import Settings as GatewaySettings
from kit.access_log import COLLECTION as ACCESS_LOG
from kit.public_stream import PUBLIC_EVENTS, stream_arguments
from kit.settings import ServiceSettings
from members.config import Settings as MembersSettings
from organisations.config import Settings as OrganisationsSettings

from infra.local.suite import DEFAULT_PORTS, Suite
from infra.rabbitmq.users import EXCHANGE, stream_reader_permissions

ROOT = Path(__file__).resolve().parents[2]
SETTINGS: dict[str, type[ServiceSettings]] = {
    "organisations": OrganisationsSettings,
    "members": MembersSettings,
    "evaluations": EvaluationsSettings,
}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_each_service_listens_on_its_default_port_in_compose() -> None:
    services = compose()["services"]
    for name, settings in SETTINGS.items():
        assert int(services[name]["environment"]["PORT"]) == DEFAULT_PORTS[name]
        assert settings().port == DEFAULT_PORTS[name]


def test_compose_sets_only_settings_the_services_read() -> None:
    services = compose()["services"]
    for name, settings in SETTINGS.items():
        known = {field.upper() for field in settings.model_fields}
        # OTEL_* are the OpenTelemetry SDK's own (partyorg_logs.traces)
        ours = {variable for variable in services[name]["environment"] if variable[:5] != "OTEL_"}
        assert ours <= known, name


def test_the_gateway_in_compose_knows_every_composed_subgraph() -> None:
    gateway = compose()["services"]["gateway"]["environment"]
    urls = json.loads(gateway["GATEWAY_SUBGRAPH_URLS"])
    composed = json.loads((ROOT / "gateway" / "subgraphs.json").read_text())
    assert set(urls) == {subgraph["name"] for subgraph in composed}
    for subgraph in composed:
        assert urls[subgraph["name"]].endswith(f":{DEFAULT_PORTS[subgraph['name']]}/graphql")


def secret_variables(service: dict[str, Any]) -> set[str]:
    """Secrets the settings read as a setting from their file in /run/secrets (kit.settings)."""
    targets = {secret["target"] for secret in service.get("secrets", [])}
    return {target for target in targets if re.fullmatch(r"[A-Z0-9_]+", target)}


def secret_sources(service: dict[str, Any]) -> set[str]:
    return {secret["source"] for secret in service.get("secrets", [])}


def test_services_get_the_gateways_public_keys_as_a_setting_and_run_in_production(
    tmp_path: Path,
) -> None:
    services = compose()["services"]
    local = Suite(run_dir=tmp_path)
    for name, settings in SETTINGS.items():
        known = {field.upper() for field in settings.model_fields}
        # no password in the environment: the URLs and the digests' key are files too
        expected = {"INTERNAL_TOKEN_PUBLIC_KEYS", "MONGODB_URL", "AMQP_URL"}
        if name != "organisations":
            expected.add("MEMBER_KEY_SECRET")
        assert secret_variables(services[name]) == expected <= known, name
        assert not set(services[name]["environment"]) & expected, name
        assert "internal_token_private_key" not in secret_sources(services[name]), name
        assert services[name]["environment"]["ENVIRONMENT"].endswith(":-production}"), name
        environment = local.environment(name)
        assert environment["INTERNAL_TOKEN_PUBLIC_KEYS"] == local.keys.internal_token_public_keys
        assert local.keys.internal_token_private_key not in environment.values(), name


def test_the_gateway_gets_the_keys_it_verifies_and_signs_with_and_runs_in_production(
    tmp_path: Path,
) -> None:
    gateway = compose()["services"]["gateway"]
    known = {f"GATEWAY_{field.upper()}" for field in GatewaySettings.model_fields}
    assert {name for name in gateway["environment"] if name[:5] != "OTEL_"} <= known
    assert secret_variables(gateway) == {"GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY"} <= known
    assert secret_sources(gateway) == {"internal_token_private_key", "jwks"}
    mounted = {f"/run/secrets/{secret['target']}" for secret in gateway["secrets"]}
    assert gateway["environment"]["GATEWAY_AUTH_JWKS_FILE"] in mounted
    assert gateway["environment"]["GATEWAY_PRODUCTION"] == "${GATEWAY_PRODUCTION:-true}"
    for required in ("GATEWAY_AUTH_ISSUER", "GATEWAY_AUTH_AUDIENCE"):
        assert ":?" in gateway["environment"][required]
    local = Suite(run_dir=tmp_path)
    environment = local.environment("gateway")
    assert (
        environment["GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY"] == local.keys.internal_token_private_key
    )


def test_secrets_and_passwords_live_in_git_ignored_files() -> None:
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "/secrets/" in ignored and "/.env" in ignored
    for secret in compose()["secrets"].values():
        assert secret["file"].startswith("./secrets/")
    example = (ROOT / "infra" / "compose" / "example.env").read_text()
    interpolated = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    assert interpolated <= set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))
    assert all(v.startswith("change-me") for v in re.findall(r"PASSWORD=(.*)", example))


def collections_written_by(service: str) -> set[str]:
    """Collections the service's code names, the inbox the kit gives every service, and the
    kit's leases where the service runs work in one replica at a time."""
    code = "\n".join(p.read_text() for p in (ROOT / "services" / service / "src").rglob("*.py"))
    leased = {"leases"} if "leased_for=" in code else set()
    return set(re.findall(r'db\["(\w+)"\]', code)) | {"inbox"} | leased


def test_database_users_may_update_what_the_code_writes_and_never_the_access_log() -> None:
    script = (ROOT / "infra" / "compose" / "mongo-init.js").read_text()
    block = script.split("const UPDATED = {", 1)[1].split("};", 1)[0]
    granted = {
        service: set(re.findall(r'"(\w+)"', names))
        for service, names in re.findall(r"(\w+): \[(.*?)\]", block, flags=re.DOTALL)
    }
    assert set(granted) == set(SETTINGS)
    for service, collections in granted.items():
        assert collections_written_by(service) - {ACCESS_LOG} <= collections, service
        assert ACCESS_LOG not in collections
    assert '"remove"' not in script and '"readWrite"' not in script


def test_compose_declares_the_public_stream_as_the_services_do() -> None:
    definitions = json.loads((ROOT / "infra" / "rabbitmq" / "definitions.json").read_text())
    settings = ServiceSettings()
    [stream] = definitions["queues"]
    assert stream["name"] == settings.public_stream
    assert stream["durable"] and stream["arguments"] == stream_arguments(settings)
    [binding] = definitions["bindings"]
    assert (binding["source"], binding["destination"]) == (
        settings.public_exchange,
        settings.public_stream,
    )
    assert binding["routing_key"] == PUBLIC_EVENTS


def test_the_city_account_may_only_read_the_public_stream() -> None:
    granted = stream_reader_permissions()
    assert (granted.configure, granted.write) == ("^$", "^$")
    assert re.fullmatch(granted.read, ServiceSettings().public_stream)
    for service in ("members", "evaluations", "organisations"):
        assert not re.fullmatch(granted.read, f"{EXCHANGE}.{service}")
    assert not re.fullmatch(granted.read, EXCHANGE)
    users = compose()["services"]["rabbitmq-users"]["environment"]
    assert "CITY_STREAM_AMQP_PASSWORD" in users
