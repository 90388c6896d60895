"""docker-compose.yml as ops run it in production: every image pinned by version, restarted,
limited, unprivileged, logging within bounds, our own containers on read-only file systems,
the gateway's /metrics off its public port, its readiness checked, monitoring on request."""

import re
from pathlib import Path
from typing import Any

import yaml
from gateway.settings import Settings as GatewaySettings

from infra.compose.secrets import SERVICES, connection_secrets

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"[\w./-]+:v?\d+\.\d+\.\d+[\w.-]*")  # a full version: 3.13.7, v3.5.0


def services() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return dict(loaded["services"])


def test_every_image_is_pinned_to_a_version_in_compose_and_the_dockerfiles() -> None:
    images = [s["image"] for s in services().values() if "image" in s]
    for dockerfile in (ROOT / "gateway" / "Dockerfile", ROOT / "services" / "Dockerfile"):
        images += re.findall(r"^FROM (\S+)", dockerfile.read_text(), flags=re.MULTILINE)
    assert images
    for image in images:
        assert PINNED.fullmatch(image), image


def test_every_container_restarts_is_limited_gains_no_privilege_and_rotates_its_logs() -> None:
    for name, service in services().items():
        assert service["restart"] in {"unless-stopped", "no"}, name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert service["logging"]["options"]["max-size"], name
        assert service["mem_limit"] and float(service["cpus"]) > 0, name


def test_our_own_containers_run_on_read_only_file_systems() -> None:
    for name, service in services().items():
        if "build" in service or name in {"rabbitmq-users", "mongodb-replica-set"}:
            assert service["read_only"] is True, name
            assert "/tmp" in service["tmpfs"], name


def test_mongodb_runs_as_the_replica_set_the_services_name_with_its_key_file() -> None:
    everything = services()
    mongodb = everything["mongodb"]
    command = mongodb["command"]
    name = command[command.index("--replSet") + 1]
    keyfile = command[command.index("--keyFile") + 1]
    assert keyfile in " ".join(mongodb["entrypoint"])  # copied there, for mongod alone
    assert "mongodb_keyfile" in mongodb["secrets"]
    script = (ROOT / "infra" / "compose" / "mongo-replica-set.js").read_text()
    assert f'_id: "{name}", members: [{{ _id: 0, host: "mongodb:27017" }}]' in script
    urls = connection_secrets(
        {
            **{f"{s.upper()}_DB_PASSWORD": "p" for s in SERVICES},
            **{f"{s.upper()}_AMQP_PASSWORD": "p" for s in SERVICES},
            "MEMBER_KEY_SECRET": "k",
        }
    )
    for service in SERVICES:
        assert urls[f"{service}_mongodb_url"].endswith(f"?replicaSet={name}")
        # a service starts once the set has a primary, not merely once mongod answers
        started_after = everything[service]["depends_on"]
        assert started_after["mongodb-replica-set"] == {
            "condition": "service_completed_successfully"
        }


def test_the_gateways_metrics_are_served_on_a_port_that_is_not_published() -> None:
    gateway, edge = services()["gateway"], services()["edge"]
    metrics_port = gateway["environment"]["GATEWAY_METRICS_PORT"]
    assert "metrics_port" in GatewaySettings.model_fields
    # the gateway's replicas publish nothing; `edge` publishes the one public port
    assert "ports" not in gateway
    published = [str(port) for port in edge["ports"]]
    assert published == ["4000:4000"]
    assert all(metrics_port not in port for port in published)
    scraped = yaml.safe_load((ROOT / "infra" / "monitoring" / "prometheus.yml").read_text())
    targets = [
        t for job in scraped["scrape_configs"] for c in job["static_configs"] for t in c["targets"]
    ]
    assert f"gateway:{metrics_port}" in targets


def test_the_gateway_and_the_services_are_checked_for_readiness() -> None:
    for name in ("organisations", "members", "evaluations", "gateway"):
        assert "/readyz" in " ".join(services()[name]["healthcheck"]["test"]), name


def test_prometheus_and_grafana_run_only_with_the_monitoring_profile_and_on_loopback() -> None:
    for name in ("prometheus", "grafana"):
        service = services()[name]
        assert service["profiles"] == ["monitoring"]
        assert all(str(port).startswith("127.0.0.1:") for port in service["ports"])
    for name, service in services().items():
        if name not in {"prometheus", "grafana", "jaeger"}:
            assert "profiles" not in service, name


def test_the_trace_viewer_runs_only_with_the_traces_profile_and_the_others_send_to_it() -> None:
    jaeger = services()["jaeger"]
    assert jaeger["profiles"] == ["traces"]
    assert jaeger["ports"] == ["127.0.0.1:16686:16686"]
    assert "4318" in jaeger["expose"]
    for name in ("organisations", "members", "evaluations", "gateway"):
        sent = services()[name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"]
        assert sent == "${OTEL_EXPORTER_OTLP_ENDPOINT:-}", name
