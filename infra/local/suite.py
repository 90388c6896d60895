"""Start, wait for and stop the three services and the gateway as local processes.

    python infra/local/suite.py up      start what is not running, wait until all are ready
    python infra/local/suite.py down    stop what `up` started (pids in infra/local/run/)
    python infra/local/suite.py status

Secrets: the first `up` writes `secrets.json` (mode 600) in the run directory — the HS256 key
that local user tokens are signed with, and the Ed25519 key pair of the identities the gateway
forwards (the private key for the gateway, the public key for the services) — and every later
start reuses it; one written before the key pair existed gets one added. `token_for(principal)`
mints a user token the gateway accepts, `identity_for(principal)` the identity the gateway
would forward for it.

Logs: every process writes to `log_files[name]` (`<run dir>/logs/<name>.log`).

The e2e tests use the same `Suite` with free ports, a database prefix, an exchange and a run
directory (so secrets) of their own, so that they never touch what `make up` runs.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from gateway.identity import signing_key
from gateway.settings import LOCAL_AUDIENCE, LOCAL_ISSUER
from gateway.tokens import internal_key_pair, mint
from kit.identity import Principal, sign_internal

ROOT = Path(__file__).resolve().parents[2]
RUN = Path(os.environ.get("PARTYORG_RUN_DIR", ROOT / "infra" / "local" / "run"))
SERVICES = ("organisations", "members", "evaluations")
DEFAULT_PORTS = {"gateway": 4000, "organisations": 4001, "members": 4002, "evaluations": 4003}
SECRET_BYTES = 48
TOKEN_TTL_SECONDS = 8 * 3600
# how long a process may take to answer its readiness check; a busy machine may need more
READY_SECONDS = float(os.environ.get("PARTYORG_READY_SECONDS", "180"))


@dataclass(frozen=True)
class LocalSecrets:
    """The keys of one local run: made once, kept in the run directory, reused by restarts."""

    auth_secret: str  # HS256 key of user tokens; local use only
    internal_token_private_key: str  # PEM, Ed25519: the gateway signs forwarded identities with it
    internal_token_public_keys: str  # PEM: the services verify those identities with it
    issuer: str = LOCAL_ISSUER
    audience: str = LOCAL_AUDIENCE

    @classmethod
    def load(cls, run_dir: Path) -> "LocalSecrets":
        path = run_dir / "secrets.json"
        if not path.exists():
            raise FileNotFoundError(f"no local secrets in {path}: `make up` makes them")
        return cls(**json.loads(path.read_text()))

    @classmethod
    def load_or_create(cls, run_dir: Path) -> "LocalSecrets":
        path = run_dir / "secrets.json"
        if not path.exists():
            run_dir.mkdir(parents=True, exist_ok=True)
            private_key, public_key = internal_key_pair()
            made = cls(secrets.token_urlsafe(SECRET_BYTES), private_key, public_key)
            _write_private(path, asdict(made), replace=False)
        else:
            _add_the_internal_key_pair(path)
        return cls.load(run_dir)

    def token_for(self, principal: Principal, ttl_seconds: float = TOKEN_TTL_SECONDS) -> str:
        """A user token for `principal` that the gateway started with these secrets accepts."""
        return mint(
            principal.subject,
            name=principal.name,
            grants=[(grant.role.value, grant.organisation_id) for grant in principal.grants],
            member_id=principal.member_id,
            ttl_seconds=ttl_seconds,
            secret=self.auth_secret,
            issuer=self.issuer,
            audience=self.audience,
        )

    def identity_for(self, principal: Principal, ttl_seconds: float = 60) -> str:
        """The x-partyorg-identity the gateway started with these secrets forwards for
        `principal`."""
        key = signing_key(self.internal_token_private_key)
        return sign_internal(principal, key, ttl_seconds=ttl_seconds)


def _add_the_internal_key_pair(path: Path) -> None:
    """Upgrades a secrets.json made when the gateway and the services shared a secret."""
    kept = json.loads(path.read_text())
    if "internal_token_private_key" in kept:
        return
    kept.pop("internal_token_secret", None)
    private_key, public_key = internal_key_pair()
    kept.update(internal_token_private_key=private_key, internal_token_public_keys=public_key)
    _write_private(path, kept, replace=True)
    print(f"suite: {path} upgraded: the gateway now signs with a key pair", file=sys.stderr)


def _write_private(path: Path, content: dict[str, str], replace: bool) -> None:
    """Writes the file whole, readable by its owner only. Unless `replace`, a file another
    process wrote meanwhile is kept: theirs is used."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(content, file, indent=2)
    try:
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


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

    @cached_property
    def keys(self) -> LocalSecrets:
        return LocalSecrets.load_or_create(self.run_dir)

    def token_for(self, principal: Principal, ttl_seconds: float = TOKEN_TTL_SECONDS) -> str:
        return self.keys.token_for(principal, ttl_seconds)

    def authorization(self, principal: Principal) -> dict[str, str]:
        """The header that makes a request to the gateway come from `principal`."""
        return {"authorization": f"Bearer {self.token_for(principal)}"}

    @property
    def log_files(self) -> dict[str, Path]:
        """Where each process of the suite writes its log (stdout and stderr)."""
        return {name: self.run_dir / "logs" / f"{name}.log" for name in (*SERVICES, "gateway")}

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
        keys = self.keys
        if name == "gateway":
            urls = {s: f"{self.url(s)}/graphql" for s in SERVICES}
            env["GATEWAY_SUBGRAPH_URLS"] = json.dumps(urls)
            env["GATEWAY_PORT"] = str(self.ports[name])
            env["GATEWAY_AUTH_SECRET"] = keys.auth_secret
            env["GATEWAY_AUTH_ISSUER"] = keys.issuer
            env["GATEWAY_AUTH_AUDIENCE"] = keys.audience
            env["GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY"] = keys.internal_token_private_key
        else:
            env["MONGODB_DATABASE"] = f"{self.database_prefix}{name}"
            env["EVENT_EXCHANGE"] = self.exchange
            env["INTERNAL_TOKEN_PUBLIC_KEYS"] = keys.internal_token_public_keys
        return env

    def ready_url(self, name: str) -> str:
        return f"{self.url(name)}/health" if name == "gateway" else f"{self.url(name)}/readyz"

    def is_ready(self, name: str) -> bool:
        try:
            with urllib.request.urlopen(self.ready_url(name), timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def start(self, name: str, detached: bool = False, env: dict[str, str] | None = None) -> None:
        """Start one component; `env` adds to its environment (the fault tests' crash points)."""
        log_file = self.log_files[name]
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "ab") as log:
            process = subprocess.Popen(
                self.command(name),
                env={**self.environment(name), **(env or {})},
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=detached,
            )
        self.processes[name] = process
        if detached:
            (self.run_dir / f"{name}.pid").write_text(str(process.pid))

    def wait_ready(self, names: tuple[str, ...], timeout: float = READY_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            pending = [n for n in pending if not self.is_ready(n)]
            for name in pending:
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    log = self.log_files[name]
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
