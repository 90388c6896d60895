"""toxiproxy (Shopify's fault proxy, built by infra/local/toxiproxy.sh) run for a test: a proxy
per upstream on free ports, faults put on and taken off through its HTTP API."""

import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from infra.local.suite import ROOT, free_port


@dataclass
class FaultProxy:
    folder: Path
    api_port: int = field(default_factory=free_port)
    listening: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "FaultProxy":
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        built = subprocess.run(
            [str(ROOT / "infra" / "local" / "toxiproxy.sh")], check=True, capture_output=True
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "toxiproxy.log", "ab") as log:
            self.process = subprocess.Popen(
                [built.stdout.decode().strip(), "-host", "127.0.0.1", "-port", str(self.api_port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.api}/version", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "toxiproxy did not answer"
                time.sleep(0.2)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def proxy(self, name: str, upstream_port: int) -> int:
        """A proxy to 127.0.0.1:`upstream_port`; the port it listens on."""
        port = free_port()
        self._call(
            "POST",
            "/proxies",
            {
                "name": name,
                "listen": f"127.0.0.1:{port}",
                "upstream": f"127.0.0.1:{upstream_port}",
                "enabled": True,
            },
        )
        self.listening[name] = port
        return port

    def add_to(self, names: Sequence[str], toxic: str, kind: str, **attributes: int) -> None:
        """A toxic on both directions of these proxies' connections."""
        for name in names:
            for stream in ("downstream", "upstream"):
                body = {
                    "name": f"{toxic}-{stream}",
                    "type": kind,
                    "stream": stream,
                    "attributes": attributes,
                }
                self._call("POST", f"/proxies/{name}/toxics", body)

    def remove_from(self, names: Sequence[str], toxic: str) -> None:
        for name in names:
            for stream in ("downstream", "upstream"):
                self._call("DELETE", f"/proxies/{name}/toxics/{toxic}-{stream}")

    def cut(self, *names: str) -> None:
        """Close every connection through these proxies and refuse new ones."""
        for name in names:
            self._call("POST", f"/proxies/{name}", {"enabled": False})

    def mend(self, *names: str) -> None:
        for name in names:
            self._call("POST", f"/proxies/{name}", {"enabled": True})

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        httpx.request(method, f"{self.api}{path}", json=body, timeout=5).raise_for_status()
