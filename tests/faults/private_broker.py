"""A RabbitMQ node of the test's own — its own node name, ports and data folder — to kill with
`kill -9` and start again on the same data; the shared broker on 5672 is never touched. The
broker is Debian's (`rabbitmq-server`, which `make infra` installs), run straight from its
library folder so that it runs as the test's user, with no plugins."""

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from infra.local.suite import free_port, port_open

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")


def broker_available() -> bool:
    return SERVER.exists()


@dataclass
class PrivateBroker:
    folder: Path
    port: int = field(default_factory=free_port)
    distribution_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def __enter__(self) -> "PrivateBroker":
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.kill_9()

    def start(self, timeout: float = 90.0) -> None:
        """Start the node (again, on the data it left) and wait until it takes connections."""
        (self.folder / "logs").mkdir(parents=True, exist_ok=True)
        plugins = self.folder / "enabled_plugins"
        plugins.write_text("[].\n")
        environment = {
            **os.environ,
            "RABBITMQ_NODENAME": f"faults-{self.port}@localhost",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.distribution_port),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "data"),
            "RABBITMQ_LOG_BASE": str(self.folder / "logs"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(plugins),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
        }
        with open(self.folder / "logs" / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [str(SERVER)],
                cwd=self.folder,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed whole, beam and all
            )
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            assert self.process.poll() is None, "the private RabbitMQ ended at start"
            assert time.monotonic() < deadline, "the private RabbitMQ did not open its port"
            time.sleep(0.25)

    def kill_9(self) -> None:
        """SIGKILL to the node's every process (the script and the Erlang VM under it)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while port_open(self.port):  # the VM, a grandchild, goes a moment after
            assert time.monotonic() < deadline, "the private RabbitMQ outlived SIGKILL"
            time.sleep(0.1)
