"""A RabbitMQ node of the test's own — its own node name, ports and data folder — to kill with
`kill -9` and start again on the same data; the shared broker on 5672 is never touched. The
broker is Debian's (`rabbitmq-server`, which `make infra` installs), run straight from its
library folder so that it runs as the test's user, with no plugins."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from infra.local.suite import free_port
from tests.faults.own_process import OwnProcess

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")


def broker_available() -> bool:
    return SERVER.exists()


@dataclass
class PrivateBroker:
    folder: Path
    port: int = field(default_factory=free_port)
    distribution_port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.node = OwnProcess("the private RabbitMQ", self.port)

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
        log = self.folder / "logs" / "server.log"
        self.node.start([str(SERVER)], log, timeout, env=environment, cwd=self.folder)

    def kill_9(self) -> None:
        """SIGKILL to the node's every process (the script and the Erlang VM under it)."""
        self.node.kill_9()
