"""infra/helm/partyorg, rendered by helm with its defaults and with infra/helm/ci-values.yaml:
the topology of docker-compose.yml (the same workloads, ports and setting names, compared with
the compose file so that the two cannot drift), hardened as compose is — replicas, probes,
limits, unprivileged read-only containers, secrets as files and never in the environment, the
gateway's /metrics off its public Service — and every manifest valid for the Kubernetes
version make chart-check names. HELM names the binary (make chart-check); without it,
infra/local/helm.sh builds one."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from infra.compose import secrets as compose_secrets

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "infra" / "helm" / "partyorg"
PRODUCTION_LIKE = ROOT / "infra" / "helm" / "ci-values.yaml"
KUBERNETES_VERSION = os.environ.get("KUBERNETES_VERSION", "1.34.0")
MOUNT = "/run/secrets"
PINNED = re.compile(r"[\w./-]+:v?\d+\.\d+\.\d+[\w.-]*")
# compose's settings whose values are secrets: mounted files, or interpolated from a password
SECRET_VALUE = re.compile(r"\$\{\w*(PASSWORD|SECRET)")


@cache
def helm() -> str:
    if binary := os.environ.get("HELM"):
        return binary
    built = subprocess.run(
        [ROOT / "infra" / "local" / "helm.sh"], capture_output=True, text=True, check=True
    )
    return built.stdout.strip()


def render(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [helm(), "template", "partyorg", str(CHART), "--kube-version", KUBERNETES_VERSION]
    return subprocess.run([*command, *arguments], capture_output=True, text=True)


@cache
def manifests(values: Path | None) -> tuple[dict[str, Any], ...]:
    rendered = render(*(["-f", str(values)] if values else []))
    assert rendered.returncode == 0, rendered.stderr
    return tuple(doc for doc in yaml.safe_load_all(rendered.stdout) if doc)


def merged(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Values as Helm merges a file over the chart's: maps key by key, the rest replaced."""
    merged_values = dict(defaults)
    for key, value in overrides.items():
        both_maps = isinstance(value, dict) and isinstance(defaults.get(key), dict)
        merged_values[key] = merged(defaults[key], value) if both_maps else value
    return merged_values


@cache
def chart_values(values: Path | None) -> dict[str, Any]:
    defaults: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text())
    return merged(defaults, yaml.safe_load(values.read_text())) if values else defaults


@pytest.fixture(params=[None, PRODUCTION_LIKE], ids=["defaults", "production-like"])
def values(request: pytest.FixtureRequest) -> Path | None:
    path: Path | None = request.param
    return path


def of_kind(values: Path | None, kind: str) -> dict[str, dict[str, Any]]:
    """The manifests of a kind by component (organisations, …, gateway); the gateway's
    metrics Service as gateway-metrics."""
    found: dict[str, dict[str, Any]] = {}
    for manifest in manifests(values):
        if manifest["kind"] == kind:
            component = manifest["metadata"]["labels"]["app.kubernetes.io/component"]
            metrics = manifest["metadata"]["name"].endswith("-metrics")
            found[f"{component}-metrics" if metrics else component] = manifest
    return found


def containers(
    values: Path | None, kind: str = "Deployment"
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for name, workload in of_kind(values, kind).items():
        pod = workload["spec"]["template"]["spec"]
        for container in pod["containers"]:
            yield name, pod, container


@cache
def compose() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return services


def ours() -> set[str]:
    """The workloads compose builds from this repository (the rest are others' images)."""
    return {name for name, service in compose().items() if "build" in service}


def compose_settings(name: str) -> tuple[set[str], set[str]]:
    """What compose gives a workload: its plain settings, and those that are secrets."""
    service = compose()[name]
    secrets = {secret["target"] for secret in service.get("secrets", [])}
    for setting, value in service["environment"].items():
        if SECRET_VALUE.search(str(value)):
            secrets.add(setting)
    return set(service["environment"]) - secrets, secrets


def mounted_secrets(pod: dict[str, Any]) -> set[str]:
    [volume] = [v for v in pod["volumes"] if v["name"] == "secrets"]
    sources = volume["projected"]["sources"]
    return {item["path"] for source in sources for item in source["secret"]["items"]}


def test_every_manifest_is_valid_for_the_named_kubernetes_version(values: Path | None) -> None:
    for manifest in manifests(values):
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_the_chart_runs_what_compose_builds_each_with_its_replicas_from_values(
    values: Path | None,
) -> None:
    deployments = of_kind(values, "Deployment")
    assert set(deployments) == ours() == {"organisations", "members", "evaluations", "gateway"}
    wanted = chart_values(values)
    for name, deployment in deployments.items():
        settings = wanted["gateway"] if name == "gateway" else wanted["services"][name]
        assert deployment["spec"]["replicas"] == settings["replicas"] >= 2, name
    if values is None:
        assert {d["spec"]["replicas"] for d in deployments.values()} == {2}


def test_each_workload_has_the_settings_compose_gives_it_its_secrets_only_as_files(
    values: Path | None,
) -> None:
    configs = of_kind(values, "ConfigMap")
    for name, pod, container in containers(values):
        plain, secret = compose_settings(name)
        assert "env" not in container, name
        assert container["envFrom"] == [
            {"configMapRef": {"name": configs[name]["metadata"]["name"]}}
        ]
        assert set(configs[name]["data"]) == plain, name
        assert mounted_secrets(pod) == secret, name
        [mount] = [m for m in container["volumeMounts"] if m["name"] == "secrets"]
        assert mount == {"name": "secrets", "mountPath": "/run/secrets", "readOnly": True}
        assert not any("secretKeyRef" in json.dumps(c) for c in pod["containers"]), name


def test_the_secrets_are_the_ones_values_name_and_the_chart_makes_none(
    values: Path | None,
) -> None:
    assert not of_kind(values, "Secret")
    wanted = chart_values(values)
    for name, pod, _ in containers(values):
        [volume] = [v for v in pod["volumes"] if v["name"] == "secrets"]
        named = {source["secret"]["name"] for source in volume["projected"]["sources"]}
        if name == "gateway":
            assert named == {wanted["gateway"]["existingSecret"]}
        else:
            assert named == {wanted["services"][name]["existingSecret"], wanted["sharedSecret"]}
        assert volume["projected"]["defaultMode"] == 0o440


def test_each_service_listens_on_the_port_compose_gives_it_behind_a_service_of_its_own(
    values: Path | None,
) -> None:
    services = of_kind(values, "Service")
    configs = of_kind(values, "ConfigMap")
    for name in ours() - {"gateway"}:
        port = int(compose()[name]["environment"]["PORT"])
        assert configs[name]["data"]["PORT"] == str(port)
        assert [p["port"] for p in services[name]["spec"]["ports"]] == [port]


def test_the_gateway_reaches_every_subgraph_compose_names_through_its_service(
    values: Path | None,
) -> None:
    services = of_kind(values, "Service")
    urls = json.loads(of_kind(values, "ConfigMap")["gateway"]["data"]["GATEWAY_SUBGRAPH_URLS"])
    composed = json.loads(compose()["gateway"]["environment"]["GATEWAY_SUBGRAPH_URLS"])
    assert set(urls) == set(composed)
    for name, url in urls.items():
        service = services[name]
        port = service["spec"]["ports"][0]["port"]
        assert url == f"http://{service['metadata']['name']}:{port}/graphql"
        assert url.endswith(composed[name].rsplit(":", 1)[1])


def test_the_gateways_metrics_are_on_a_service_of_their_own_never_the_public_one(
    values: Path | None,
) -> None:
    services = of_kind(values, "Service")
    config = of_kind(values, "ConfigMap")["gateway"]["data"]
    metrics_port = config["GATEWAY_METRICS_PORT"]
    assert metrics_port == compose()["gateway"]["environment"]["GATEWAY_METRICS_PORT"]
    public = services["gateway"]["spec"]["ports"]
    assert [(p["port"], p["targetPort"]) for p in public] == [(4000, "http")]
    assert [p["port"] for p in services["gateway-metrics"]["spec"]["ports"]] == [int(metrics_port)]
    [gateway] = of_kind(values, "Deployment")["gateway"]["spec"]["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in gateway["ports"]}
    assert ports == {"http": 4000, "metrics": int(metrics_port)}
    for ingress in of_kind(values, "Ingress").values():
        backends = [
            path["backend"]["service"]
            for rule in ingress["spec"]["rules"]
            for path in rule["http"]["paths"]
        ]
        assert backends == [
            {"name": services["gateway"]["metadata"]["name"], "port": {"name": "http"}}
        ]


def test_readiness_is_checked_on_readyz_as_compose_does_and_liveness_on_the_health_check(
    values: Path | None,
) -> None:
    for name, _, container in containers(values):
        assert "/readyz" in " ".join(compose()[name]["healthcheck"]["test"])
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        alive = "/health" if name == "gateway" else "/healthz"
        assert container["livenessProbe"]["httpGet"] == {"path": alive, "port": "http"}
        assert container["startupProbe"]["httpGet"] == {"path": alive, "port": "http"}


def test_every_container_is_limited_unprivileged_and_on_a_read_only_file_system(
    values: Path | None,
) -> None:
    every = [*containers(values), *containers(values, "Job")]
    assert {name for name, _, _ in every} == ours() | {"gateway"}
    for name, pod, container in every:
        for bound in ("requests", "limits"):
            assert set(container["resources"][bound]) == {"cpu", "memory"}, name
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        # with the container's context below: the "restricted" Pod Security Standard
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert container["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
        }
        # compose's tmpfs on /tmp: the only place written
        [tmp] = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert "tmpfs" in compose()[name] and "/tmp" in compose()[name]["tmpfs"]
        assert {v["name"]: v for v in pod["volumes"]}[tmp["name"]]["emptyDir"]


def test_before_a_release_rolls_out_each_service_runs_its_upgrade_step_in_the_new_image(
    values: Path | None,
) -> None:
    """README, Upgrades: `python -m <service> upgrade` (its indexes, what earlier releases
    stored) as a hook Job, with the settings and secret files the service's pods get."""
    jobs = of_kind(values, "Job")
    deployments = of_kind(values, "Deployment")
    configs = of_kind(values, "ConfigMap")
    assert set(jobs) == ours() - {"gateway"}
    for name, job in jobs.items():
        hooks = job["metadata"]["annotations"]["helm.sh/hook"].split(",")
        assert set(hooks) == {"pre-install", "pre-upgrade"}, name
        assert "hook-succeeded" in job["metadata"]["annotations"]["helm.sh/hook-delete-policy"]
        pod = job["spec"]["template"]["spec"]
        served = deployments[name]["spec"]["template"]["spec"]
        [container], [serving] = pod["containers"], served["containers"]
        assert pod["restartPolicy"] == "Never"
        assert container["command"] == ["python", "-m", name, "upgrade"]
        assert container["image"] == serving["image"], name
        # the hook runs before the release's ConfigMap exists: the same settings, inline
        assert {e["name"]: e["value"] for e in container["env"]} == configs[name]["data"], name
        assert mounted_secrets(pod) == mounted_secrets(served), name
        assert container["volumeMounts"] == serving["volumeMounts"], name


def test_every_image_is_pinned_by_the_version_values_give(values: Path | None) -> None:
    wanted = chart_values(values)
    for name, _, container in containers(values):
        image = (
            wanted["gateway"]["image"] if name == "gateway" else wanted["services"][name]["image"]
        )
        assert PINNED.fullmatch(container["image"]), container["image"]
        assert container["image"] == f"{wanted['imageRegistry']}/{image['name']}:{image['tag']}"


def test_values_out_of_bounds_are_refused_before_anything_renders() -> None:
    refusals = {
        "services.members.image.tag=latest": "/services/members/image/tag",
        "gateway.image.tag=main": "/gateway/image/tag",
        "services.organisations.replicas=0": "/services/organisations/replicas",
        "services.evaluations.sharedSecretKeys={MEMBER_KEY_SECRET}": "sharedSecretKeys",
        "gateway.auth.issuer=": "/gateway/auth/issuer",
        "services.members.resources.limits=null": "/services/members/resources",
    }
    for setting, where in refusals.items():
        refused = render("--set", setting)
        assert refused.returncode != 0, setting
        assert where in refused.stderr, (setting, refused.stderr)


def test_every_workload_spreads_its_replicas_over_nodes_and_keeps_all_but_one_in_a_drain(
    values: Path | None,
) -> None:
    budgets = of_kind(values, "PodDisruptionBudget")
    for name, deployment in of_kind(values, "Deployment").items():
        assert budgets[name]["spec"]["maxUnavailable"] == 1
        assert budgets[name]["spec"]["selector"] == deployment["spec"]["selector"]
        [spread] = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert spread["topologyKey"] == "kubernetes.io/hostname"
        assert spread["labelSelector"] == deployment["spec"]["selector"]


def test_the_ingress_is_off_by_default_and_serves_its_host_over_tls_when_on() -> None:
    assert not of_kind(None, "Ingress")
    ingress = of_kind(PRODUCTION_LIKE, "Ingress")["gateway"]["spec"]
    wanted = chart_values(PRODUCTION_LIKE)["ingress"]
    assert ingress["tls"] == [{"hosts": [wanted["host"]], "secretName": wanted["tlsSecret"]}]
    assert [rule["host"] for rule in ingress["rules"]] == [wanted["host"]]


def secret_files(folder: Path, workload: str, keys: set[str], made: Path) -> Path:
    """The files of a workload's /run/secrets as README's `kubectl create secret` commands
    make them, from what `make compose-secrets` made in `made`."""
    sources = {
        "INTERNAL_TOKEN_PUBLIC_KEYS": made / "internal_token_public_keys.pem",
        "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY": made / "internal_token_private_key.pem",
        "jwks.json": made / "jwks.json",
    }
    literals = {
        "MEMBER_KEY_SECRET": "a-long-random-value-members-and-evaluations-share",
        "MONGODB_URL": f"mongodb://{workload}:pass@mongodb:27017/partyorg_{workload}",
        "AMQP_URL": f"amqp://{workload}:pass@rabbitmq:5672/",
    }
    folder.mkdir()
    for key in keys:
        text = sources[key].read_text() if key in sources else literals[key]
        (folder / key).write_text(text)
    return folder


def test_each_workload_starts_in_production_from_the_charts_settings_and_secret_files_alone(
    tmp_path: Path,
) -> None:
    """The app each pod would build (its settings checked as at start), in a process whose
    environment holds the ConfigMap and nothing else; it serves the probes' paths."""
    compose_secrets.make(tmp_path)
    configs = of_kind(None, "ConfigMap")
    for name, pod, container in containers(None):
        folder = secret_files(tmp_path / name, name, mounted_secrets(pod), tmp_path / "secrets")
        environment = {
            key: value.replace(MOUNT, str(folder)) if value.startswith(f"{MOUNT}/") else value
            for key, value in configs[name]["data"].items()
        }
        # the gateway's image sets it (gateway/Dockerfile's ENV)
        environment["GATEWAY_SUPERGRAPH"] = str(ROOT / "gateway" / "supergraph.graphql")
        started = subprocess.run(
            [sys.executable, str(Path(__file__).parent / "start_from_chart.py"), name, folder],
            env={**environment, "PATH": os.environ["PATH"]},
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert started.returncode == 0, started.stderr
        served = json.loads(started.stdout.splitlines()[-1])
        assert served["production"] is True, name
        assert served["port"] == container["ports"][0]["containerPort"], name
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["path"] in served["routes"], (name, probe)


def test_network_policies_are_off_by_default_and_when_on_services_answer_the_gateway_only() -> None:
    assert not of_kind(None, "NetworkPolicy")
    policies = of_kind(PRODUCTION_LIKE, "NetworkPolicy")
    deployments = of_kind(PRODUCTION_LIKE, "Deployment")
    scrapers = chart_values(PRODUCTION_LIKE)["networkPolicy"]["metricsFrom"]
    assert set(policies) == set(deployments) and scrapers
    gateway_pods = {"podSelector": deployments["gateway"]["spec"]["selector"]}
    for name, policy in policies.items():
        assert policy["spec"]["podSelector"] == deployments[name]["spec"]["selector"]
        assert policy["spec"]["policyTypes"] == ["Ingress"]
        admitted = policy["spec"]["ingress"]
        if name == "gateway":
            assert admitted == [
                {"ports": [{"port": "http"}]},
                {"from": scrapers, "ports": [{"port": "metrics"}]},
            ]
        else:
            assert admitted == [{"from": [gateway_pods, *scrapers], "ports": [{"port": "http"}]}]
