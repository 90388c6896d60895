"""Start, wait for and stop the three services and the gateway as local processes.

    python infra/local/suite.py up      start what is not running, wait until all are ready
    python infra/local/suite.py down    stop what `up` started (pids in infra/local/run/)
    python infra/local/suite.py status

The e2e tests use the same `Suite` with free ports, a database prefix and an exchange of
their own, so that they never touch what `make up` runs.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = Path(os.environ.get("PARTYORG_RUN_DIR", ROOT / "infra" / "local" / "run"))
SERVICES = ("organisations", "members", "evaluations")
DEFAULT_PORTS = {"gateway": 4000, "organisations": 4001, "members": 4002, "evaluations": 4003}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Suite:
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    database_prefix: str = "partyorg_"
    exchange: str = "partyorg.events"
    run_dir: Path = RUN
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}/graphql"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def command(self, name: str) -> list[str]:
        if name == "gateway":
            return [
                sys.executable,
                "-m",
                "gateway",
                "--supergraph",
                str(ROOT / "gateway" / "supergraph.graphql"),
                "--port",
                str(self.ports[name]),
            ]
        return [sys.executable, "-m", name]

    def environment(self, name: str) -> dict[str, str]:
        env = {**os.environ, **self.extra_env, "PORT": str(self.ports[name])}
        env.setdefault("PYTHONUNBUFFERED", "1")
        if name == "gateway":
            urls = {s: f"{self.url(s)}/graphql" for s in SERVICES}
            env["GATEWAY_SUBGRAPH_URLS"] = json.dumps(urls)
            env["GATEWAY_PORT"] = str(self.ports[name])
        else:
            env["MONGODB_DATABASE"] = f"{self.database_prefix}{name}"
            env["EVENT_EXCHANGE"] = self.exchange
        return env

    def ready_url(self, name: str) -> str:
        return f"{self.url(name)}/health" if name == "gateway" else f"{self.url(name)}/readyz"

    def is_ready(self, name: str) -> bool:
        try:
            with urllib.request.urlopen(self.ready_url(name), timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def start(self, name: str, detached: bool = False) -> None:
        logs = self.run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                self.command(name),
                env=self.environment(name),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=detached,
            )
        self.processes[name] = process
        if detached:
            (self.run_dir / f"{name}.pid").write_text(str(process.pid))

    def wait_ready(self, names: tuple[str, ...], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            pending = [n for n in pending if not self.is_ready(n)]
            for name in pending:
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    log = self.run_dir / "logs" / f"{name}.log"
                    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout}s: {', '.join(pending)}")
            if pending:
                time.sleep(0.3)

    def up(self, detached: bool = False) -> None:
        """Start every component that does not answer yet, services before the gateway."""
        for group in (SERVICES, ("gateway",)):
            for name in group:
                if port_open(self.ports[name]):
                    print(f"suite: reusing {name} on :{self.ports[name]}", file=sys.stderr)
                else:
                    self.start(name, detached)
            self.wait_ready(group)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def down(self) -> None:
        """Stop the processes that a detached `up` started, and nothing else."""
        for name in (*SERVICES, "gateway"):
            pid_file = self.run_dir / f"{name}.pid"
            if not pid_file.exists():
                continue
            try:
                os.killpg(int(pid_file.read_text()), signal.SIGTERM)
                print(f"suite: stopped {name}", file=sys.stderr)
            except (ProcessLookupError, ValueError):
                pass
            pid_file.unlink()


def main() -> int:
    suite = Suite(
        ports={n: int(os.environ.get(f"{n.upper()}_PORT", p)) for n, p in DEFAULT_PORTS.items()}
    )
    action = sys.argv[1] if len(sys.argv) > 1 else "status"
    if action == "up":
        suite.up(detached=True)
    elif action == "down":
        suite.down()
    elif action == "status":
        for name in (*SERVICES, "gateway"):
            state = "ready" if suite.is_ready(name) else "down"
            print(f"{name:14} :{suite.ports[name]}  {state}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
