"""Runs the reference gateways on free ports: Apollo's (gateway/node/reference-gateway.mjs)
and Hive Gateway (@graphql-hive/gateway)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from gateway_testkit.composition import NODE_DIR, node_modules_missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def run_reference_gateway(supergraph: str, urls: dict[str, str]) -> Iterator[str]:
    """Yields the base URL of @apollo/gateway serving `supergraph` against `urls`."""
    missing = node_modules_missing()
    if missing:
        raise RuntimeError(missing)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "supergraph.graphql"
        path.write_text(supergraph)
        port = free_port()
        log = (Path(folder) / "reference.log").open("w+")
        process = subprocess.Popen(
            [
                "node",
                str(NODE_DIR / "reference-gateway.mjs"),
                "--supergraph",
                str(path),
                "--port",
                str(port),
                "--urls",
                json.dumps(urls),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_ready(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(10)
            log.close()


@contextmanager
def run_hive_gateway(supergraph: str, urls: dict[str, str]) -> Iterator[str]:
    """Yields the GraphQL URL of Hive Gateway serving `supergraph` (composed by
    composition.compose, whose subgraph URLs are http://<name>.invalid/graphql) against `urls`."""
    missing = node_modules_missing()
    if missing:
        raise RuntimeError(missing)
    for name, url in urls.items():
        supergraph = supergraph.replace(f"http://{name}.invalid/graphql", url)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "supergraph.graphql"
        path.write_text(supergraph)
        port = free_port()
        log = (Path(folder) / "hive.log").open("w+")
        command = [str(NODE_DIR / "node_modules" / ".bin" / "hive-gateway"), "supergraph"]
        process = subprocess.Popen(
            [*command, str(path), "--port", str(port), "--host", "127.0.0.1", "--fork", "1"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_ENV": "production"},
        )
        url = f"http://127.0.0.1:{port}/graphql"
        try:
            _wait_until_ready(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(10)
            log.close()


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], log: object) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise RuntimeError(f"the reference gateway exited:\n{log.read()}")  # type: ignore[attr-defined]
        try:
            url = base if base.endswith("/graphql") else f"{base}/"
            response = httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the reference gateway did not become ready in 60 s")
