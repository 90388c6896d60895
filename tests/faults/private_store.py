"""A FerretDB of the test's own — its own port and SQLite folder — to kill with `kill -9`; the
shared one on 27017 is never touched. The binary is the one `make infra` built (infra/local/run/
bin/ferretdb) or one on the PATH."""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from infra.local.suite import ROOT, free_port
from tests.faults.own_process import OwnProcess

RUN = Path(os.environ.get("PARTYORG_RUN_DIR", ROOT / "infra" / "local" / "run"))


def ferretdb_binary() -> str | None:
    built = RUN / "bin" / "ferretdb"
    return str(built) if built.exists() else shutil.which("ferretdb")


@dataclass
class PrivateStore:
    """FerretDB on SQLite in `folder`, started and killed at will on one port."""

    folder: Path
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.server = OwnProcess("the private FerretDB", self.port)

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"

    def __enter__(self) -> "PrivateStore":
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.kill_9()

    def start(self) -> None:
        binary = ferretdb_binary()
        assert binary is not None, "no FerretDB: `make infra` builds it"
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        command = [
            binary,
            "--handler=sqlite",
            f"--sqlite-url=file:{self.folder / 'data'}/",
            f"--state-dir={self.folder}",
            f"--listen-addr=127.0.0.1:{self.port}",
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=warn",
        ]
        self.server.start(command, self.folder / "ferretdb.log", timeout=30)

    def kill_9(self) -> None:
        self.server.kill_9()
