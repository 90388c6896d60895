"""docker-compose.yml and the local runner describe the same suite."""

import json
from pathlib import Path
from typing import Any

import yaml
from evaluations.config import Settings as EvaluationsSettings
from members.config import Settings as MembersSettings
from organisations.config import Settings as OrganisationsSettings

from infra.local.suite import DEFAULT_PORTS

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {
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
        assert set(services[name]["environment"]) <= known, name


def test_the_gateway_in_compose_knows_every_composed_subgraph() -> None:
    gateway = compose()["services"]["gateway"]["environment"]
    urls = json.loads(gateway["GATEWAY_SUBGRAPH_URLS"])
    composed = json.loads((ROOT / "gateway" / "subgraphs.json").read_text())
    assert set(urls) == {subgraph["name"] for subgraph in composed}
    for subgraph in composed:
        assert urls[subgraph["name"]].endswith(f":{DEFAULT_PORTS[subgraph['name']]}/graphql")
