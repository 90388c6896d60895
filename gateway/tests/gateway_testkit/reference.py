"""Runs Apollo's reference gateway (gateway/node/reference-gateway.mjs) on a free port."""

from __future__ import annotations

import json
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


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], log: object) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise RuntimeError(f"@apollo/gateway exited:\n{log.read()}")  # type: ignore[attr-defined]
        try:
            response = httpx.post(f"{base}/", json={"query": "{ __typename }"}, timeout=1)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("@apollo/gateway did not become ready in 60 s")
