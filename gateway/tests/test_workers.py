"""`python -m gateway` with several worker processes: the command line's settings reach every
worker, and /metrics counts the requests all of them answered — beside /graphql, or on a port
of its own (GATEWAY_METRICS_PORT), the public one then answering it 404."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.identity import AUTH_SECRET, INTERNAL_PRIVATE_KEY, staff_token
from gateway_testkit.serving import free_socket, serve_subgraphs

STAFF = {"authorization": f"Bearer {staff_token()}"}
REQUESTS = 40


def counted(metrics: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(sample)} ([\d.e+]+)$", metrics, flags=re.MULTILINE)
    return float(found.group(1)) if found else 0.0


@pytest.mark.parametrize("metrics_apart", [False, True], ids=["public-port", "metrics-port"])
def test_every_worker_answers_with_the_command_lines_settings_and_metrics_add_up(
    tmp_path: Path, metrics_apart: bool
) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(supergraph_of("catalog"))
    with free_socket() as sock, free_socket() as other:
        port, metrics_port = sock.getsockname()[1], other.getsockname()[1]
    apart = {"GATEWAY_METRICS_PORT": str(metrics_port)} if metrics_apart else {}
    with serve_subgraphs(catalog_subgraphs()) as running:
        gateway = start_gateway(supergraph, port, running, apart)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(gateway, url, seconds=60)
            for _ in range(REQUESTS):  # a connection each: any worker may take it
                response = httpx.post(
                    f"{url}/graphql", json={"query": "{ me { name } }"}, headers=STAFF
                )
                assert response.json() == {"data": {"me": {"name": "Ada Lovelace"}}}
                assert "server" not in response.headers  # no server software named
                assert "date" in response.headers
            public = httpx.get(f"{url}/metrics")
            if metrics_apart:
                assert public.status_code == 404
                metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
            else:
                metrics = public.text
        finally:
            gateway.terminate()
            gateway.wait(20)
    assert counted(metrics, 'gateway_requests_total{outcome="ok"}') == REQUESTS
    fetches = 'gateway_subgraph_fetch_duration_seconds_count{subgraph="accounts"}'
    assert counted(metrics, fetches) == REQUESTS


def test_workers_slow_to_start_are_waited_for_not_killed_as_hung(tmp_path: Path) -> None:
    # Each worker's interpreter takes 7 s before uvicorn's health check can answer, as on a
    # loaded machine: past uvicorn's own 5 s, the supervisor killed and restarted them forever.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys, time\nif '--multiprocessing-fork' in sys.argv:\n    time.sleep(7)\n"
    )
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(supergraph_of("catalog"))
    with free_socket() as sock:
        port = sock.getsockname()[1]
    slow = {"PYTHONPATH": str(tmp_path)}
    with serve_subgraphs(catalog_subgraphs()) as running:
        gateway = start_gateway(supergraph, port, running, slow)
        try:
            wait_healthy(gateway, f"http://127.0.0.1:{port}", seconds=45)
        finally:
            gateway.terminate()
            gateway.wait(20)


def start_gateway(
    supergraph: Path, port: int, running: dict[str, Any], settings: dict[str, str]
) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "gateway", "--supergraph", str(supergraph)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    for name, subgraph in running.items():
        command += ["--subgraph-url", f"{name}={subgraph.url}"]
    return subprocess.Popen(
        command,
        env={
            **environment,
            "GATEWAY_AUTH_SECRET": AUTH_SECRET,
            "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY": INTERNAL_PRIVATE_KEY,
            "GATEWAY_WATCH_SUPERGRAPH": "false",
            "GATEWAY_LOG_LEVEL": "WARNING",
            "GATEWAY_METRICS_HOST": "127.0.0.1",
            **settings,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_healthy(gateway: subprocess.Popen[str], url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert gateway.poll() is None, gateway.communicate()[1]
        try:
            if httpx.get(f"{url}/health").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.2)
