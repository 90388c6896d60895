"""A FerretDB of the test's own — its own port and SQLite folder — to kill with `kill -9`; the
shared one on 27017 is never touched. The binary is the one `make infra` built (infra/local/run/
bin/ferretdb) or one on the PATH."""

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from infra.local.suite import ROOT, free_port, port_open

RUN = Path(os.environ.get("PARTYORG_RUN_DIR", ROOT / "infra" / "local" / "run"))


def ferretdb_binary() -> str | None:
    built = RUN / "bin" / "ferretdb"
    return str(built) if built.exists() else shutil.which("ferretdb")


@dataclass
class PrivateStore:
    """FerretDB on SQLite in `folder`, started and killed at will on one port."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"

    def __enter__(self) -> "PrivateStore":
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        binary = ferretdb_binary()
        assert binary is not None, "no FerretDB: `make infra` builds it"
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        with open(self.folder / "ferretdb.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    binary,
                    "--handler=sqlite",
                    f"--sqlite-url=file:{self.folder / 'data'}/",
                    f"--state-dir={self.folder}",
                    f"--listen-addr=127.0.0.1:{self.port}",
                    "--debug-addr=-",
                    "--telemetry=disable",
                    "--log-level=warn",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while not port_open(self.port):
            assert time.monotonic() < deadline, "the private FerretDB did not open its port"
            time.sleep(0.2)

    def kill_9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill_9()
