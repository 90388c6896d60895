"""A server of the test's own (a RabbitMQ node, a FerretDB) on a port of its own: started on
its log file, waited for until it takes connections, and killed with `kill -9` — its whole
process group, as a lost machine would take it; the shared servers are never touched."""

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from infra.local.suite import port_open


@dataclass
class OwnProcess:
    name: str  # what the failures call it: "the private RabbitMQ"
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(
        self,
        command: list[str],
        log: Path,
        timeout: float,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        """Start it in a process group of its own and wait until its port opens."""
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # killed whole: a script and the server under it
            )
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            assert self.process.poll() is None, f"{self.name} ended at start"
            assert time.monotonic() < deadline, f"{self.name} did not open its port"
            time.sleep(0.2)

    def kill_9(self) -> None:
        """SIGKILL to every process of its group; back once its port is closed."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while port_open(self.port):  # a grandchild (an Erlang VM) goes a moment after
            assert time.monotonic() < deadline, f"{self.name} outlived SIGKILL"
            time.sleep(0.1)
