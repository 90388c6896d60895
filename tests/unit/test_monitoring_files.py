"""The alert rules and the Grafana dashboard ops are given: well formed, covering what the
issue asks to alert on, and naming only figures the services and the gateway expose. With
promtool on the PATH, Prometheus itself checks the rules and runs their unit tests."""

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kit.metrics  # noqa: F401  (registers the services' figures)
import pytest
import yaml
from prometheus_client import REGISTRY

from gateway import metrics as gateway_metrics

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "infra" / "monitoring"
PROMTOOL = shutil.which("promtool")
SUFFIXES = ("", "_total", "_bucket", "_sum", "_count")


def alert_rules() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((MONITORING / "grafana" / "dashboards" / "partyorg.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def exposed() -> set[str]:
    families = [*REGISTRY.collect(), *gateway_metrics.registry.collect()]
    return {family.name + suffix for family in families for suffix in SUFFIXES}


def named_figures(expression: str) -> set[str]:
    return set(re.findall(r"\b(?:partyorg|gateway)_[a-z_]+\b", expression))


def test_every_alert_has_an_expression_a_wait_a_severity_and_a_summary() -> None:
    for rule in alert_rules():
        assert rule["alert"].startswith("Partyorg")
        assert rule["expr"].strip()
        assert re.fullmatch(r"\d+[smh]", rule["for"])
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]


def test_the_rules_cover_a_stuck_outbox_dead_letters_a_consumer_not_ready_and_error_rates() -> None:
    watched = {name for rule in alert_rules() for name in named_figures(rule["expr"])}
    assert {
        "partyorg_outbox_oldest_pending_seconds",
        "partyorg_dead_letter_messages",
        "partyorg_consumer_ready",
        "partyorg_http_requests_total",
        "gateway_requests_total",
    } <= watched


@pytest.mark.parametrize("source", ["alerts", "dashboard"])
def test_rules_and_dashboard_name_only_figures_that_are_exposed(source: str) -> None:
    expressions = (
        [rule["expr"] for rule in alert_rules()] if source == "alerts" else dashboard_expressions()
    )
    named = set().union(*map(named_figures, expressions))
    assert named and named <= exposed()


@pytest.mark.skipif(PROMTOOL is None, reason="promtool is not installed (README: Monitoring)")
def test_promtool_accepts_the_rules_and_their_unit_tests_pass() -> None:
    assert PROMTOOL is not None
    for command in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts.test.yml"]):
        run = subprocess.run(
            [PROMTOOL, *command], cwd=MONITORING, capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr
