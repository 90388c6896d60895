"""Benchmarks our gateway against Hive Router, Hive Gateway and @apollo/gateway: same fast
subgraphs, same supergraph, same operations, same load tool (wrk), loopback only.

    uv run python bench/gateway/run.py [--duration 10] [--connections 32] [--workers 2]

Prints requests per second and latency (p50, p99) per gateway and operation, at full load
and for a single client, with the ratios to Hive Gateway and to Hive Router (medians of
interleaved rounds), and the latency a direct call to a subgraph takes for comparison; writes
bench/gateway/results/. Hive Router (`hive-router`, Rust) is measured when it is on the PATH."""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from gateway.tokens import internal_key_pair, mint

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "gateway" / "node"
RESULTS = Path(__file__).resolve().parent / "results"
SUBGRAPHS = ["organisations", "members", "evaluations"]
# Our gateway verifies the caller's token and signs the identity it forwards on every request;
# every gateway gets the same header (the Node ones do not look at it).
AUTH_SECRET = secrets.token_urlsafe(32)
INTERNAL_PRIVATE_KEY, _ = internal_key_pair()  # the fast subgraphs do not verify it
TOKEN = mint(
    "bench",
    name="Benchmark",
    grants=["DISTRICT_STANDING"],
    secret=AUTH_SECRET,
    issuer="partyorg-local",
    audience="partyorg",
    ttl_seconds=6 * 3600,
)
HEADERS = {"authorization": f"Bearer {TOKEN}"}

# The hive-router crate installs its server as `hive_router`.
HIVE_ROUTER = shutil.which("hive_router") or shutil.which("hive-router")
# The ratios printed: to Hive Gateway (the Node peer), to Hive Router (the fastest peer) and to
# Hive Router without its deduplication of identical subgraph fetches in flight (on by default).
BASELINES = {"hive": "hive", "hive-router": "router", "hive-router-no-dedupe": "rt-nd"}

OPERATIONS = {
    "one-subgraph": '{ organisation(id: "org-1") { id name kind } }',
    "three-subgraphs": (
        '{ organisation(id: "org-1") { name members { fullName '
        'evaluations(period: "2019-10") { period } } } }'
    ),
}


@dataclass
class Measure:
    gateway: str
    operation: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    # the gateway's CPU time (all its processes and threads) per request answered
    cpu_us: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            ready = httpx.post(url, json={"query": "{ __typename }"}, headers=HEADERS, timeout=2)
            if ready.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


@contextmanager
def started(
    command: list[str], url: str | None, log: Path, env: dict[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("w") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, **env}, cwd=ROOT
        )
    try:
        if url is not None:
            wait_ready(url, process, log)
        else:
            deadline = time.monotonic() + 30
            while "ready" not in log.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"subgraphs failed:\n{log.read_text()}")
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(
    url: str, query: str, connections: int, seconds: int, folder: Path
) -> tuple[float, float, float, int]:
    script = folder / "post.lua"
    body = json.dumps({"query": query})
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [==[{body}]==]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "{HEADERS["authorization"]}"\n'
    )
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _latency(re.search(r"50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _latency(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(failed.group(1)) if failed else 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rps, p50, p99, errors


def cpu_seconds(*roots: int) -> float:
    """User and system CPU time of these processes, their threads and their descendants so
    far (one pass over /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid, spent in times.items():
        ancestor: int | None = pid
        while ancestor is not None and ancestor not in roots:
            ancestor = parents.get(ancestor)
        if ancestor is not None:
            total += spent
    return total


def _latency(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def check_answer(url: str, query: str) -> None:
    answer = httpx.post(url, json={"query": query}, headers=HEADERS, timeout=10).json()
    if "errors" in answer or not answer.get("data"):
        raise RuntimeError(f"{url} answered {answer}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--gateways",
        default="ours,ours-shared,hive-router,hive-router-no-dedupe,hive,apollo",
        help="also: ours-per-request (GATEWAY_IDENTITY_PER_REQUEST=true), ours-separate "
        "(GATEWAY_COALESCE_FETCHES=false), ours-shared (GATEWAY_SHARE_FETCHES=true), "
        "hive-router-no-dedupe (its subgraph dedupe off)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="processes (Hive Router: threads) of ours, Hive Router and Hive Gateway; "
        "@apollo/gateway runs in one",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs per gateway, interleaved; medians reported"
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout of partyorg (its own .venv): its gateway measured as `before`, "
        "with the same settings as `ours`, to compare a change in one run",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    if not (NODE / "node_modules" / "@graphql-hive" / "gateway").is_dir():
        sys.exit("gateway/node/node_modules is missing: npm ci --prefix gateway/node")

    chosen = args.gateways.split(",")
    if args.before is not None and "before" not in chosen:
        chosen.insert(1 if chosen[:1] == ["ours"] else 0, "before")
    if HIVE_ROUTER is None and any(name.startswith("hive-router") for name in chosen):
        print(
            "Hive Router skipped: hive_router is not on the PATH "
            "(cargo +nightly install hive-router --locked --features graphiql)"
        )
        chosen = [name for name in chosen if not name.startswith("hive-router")]
    print(f"{args.workers} worker(s) each; load average {os.getloadavg()[0]:.1f} at the start")

    folder = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    ports = [free_port() for _ in SUBGRAPHS]
    supergraph = (ROOT / "gateway/tests/fixtures/party.supergraph.graphql").read_text()
    for name, port in zip(SUBGRAPHS, ports, strict=True):
        supergraph = supergraph.replace(
            f"http://{name}.invalid/graphql", f"http://127.0.0.1:{port}/graphql"
        )
    supergraph_path = folder / "supergraph.graphql"
    supergraph_path.write_text(supergraph)

    Started = tuple[list[str], str, dict[str, str]]

    def ours(port: int, settings: dict[str, str], python: str = sys.executable) -> Started:
        command = [python, "-m", "gateway", "--supergraph", str(supergraph_path)]
        environment = {
            "GATEWAY_HOST": "127.0.0.1",
            "GATEWAY_LOG_LEVEL": "WARNING",
            "GATEWAY_WATCH_SUPERGRAPH": "false",
            "GATEWAY_AUTH_SECRET": AUTH_SECRET,
            "GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY": INTERNAL_PRIVATE_KEY,
            "GATEWAY_WORKERS": str(args.workers),
        }
        url = f"http://127.0.0.1:{port}/graphql"
        return [*command, "--port", str(port)], url, {**environment, **settings}

    def hive_router(port: int, settings: dict[str, str]) -> Started:
        environment = {
            "SUPERGRAPH_FILE_PATH": str(supergraph_path),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "ROUTER_HTTP_WORKERS": str(args.workers),
            "LOG_LEVEL": "warn",
        }
        url = f"http://127.0.0.1:{port}/graphql"
        return [str(HIVE_ROUTER)], url, {**environment, **settings}

    no_dedupe = folder / "router-no-dedupe.yaml"
    no_dedupe.write_text("traffic_shaping:\n  all:\n    dedupe_enabled: false\n")

    gateways: dict[str, Callable[[int], Started]] = {
        "ours": lambda port: ours(port, {}),
        # the gateway of another checkout (--before), as it comes there
        "before": lambda port: ours(port, {}, str(args.before / ".venv" / "bin" / "python")),
        # an identity token signed for each request, naming it (GATEWAY_IDENTITY_PER_REQUEST)
        "ours-per-request": lambda port: ours(port, {"GATEWAY_IDENTITY_PER_REQUEST": "true"}),
        # every fetch its own subgraph request (GATEWAY_COALESCE_FETCHES=false)
        "ours-separate": lambda port: ours(port, {"GATEWAY_COALESCE_FETCHES": "false"}),
        # identical fetches in flight at once shared, as Hive Router does by default
        "ours-shared": lambda port: ours(port, {"GATEWAY_SHARE_FETCHES": "true"}),
        "hive-router": lambda port: hive_router(port, {}),
        # its subgraph fetches not deduplicated (traffic_shaping.all.dedupe_enabled: false)
        "hive-router-no-dedupe": lambda port: hive_router(
            port, {"ROUTER_CONFIG_FILE_PATH": str(no_dedupe)}
        ),
        "apollo": lambda port: (
            [
                "node",
                str(NODE / "reference-gateway.mjs"),
                "--supergraph",
                str(supergraph_path),
                "--port",
                str(port),
            ],
            f"http://127.0.0.1:{port}/",
            {"NODE_ENV": "production"},
        ),
        "hive": lambda port: (
            [
                str(NODE / "node_modules/.bin/hive-gateway"),
                "supergraph",
                str(supergraph_path),
                "--port",
                str(port),
                "--host",
                "127.0.0.1",
                "--fork",
                str(args.workers),
            ],
            f"http://127.0.0.1:{port}/graphql",
            {"NODE_ENV": "production"},
        ),
    }
    measures: list[Measure] = []
    subgraphs_command = [
        sys.executable,
        str(Path(__file__).parent / "fast_subgraphs.py"),
        "--set",
        "party-20",
        "--ports",
        ",".join(map(str, ports)),
    ]
    with started(subgraphs_command, None, folder / "subgraphs.log", {}):
        direct = f"http://127.0.0.1:{ports[0]}/graphql"
        for name, operation in [("one-subgraph", OPERATIONS["one-subgraph"])]:
            wrk(direct, operation, 1, 2, folder)
            rps, p50, p99, errors = wrk(direct, operation, 1, args.duration, folder)
            measures.append(Measure("subgraph-direct", name, 1, rps, p50, p99, errors))
        runs: list[Measure] = []
        for round_number in range(1, args.rounds + 1):
            for gateway in chosen:
                port = free_port()
                command, url, env = gateways[gateway](port)
                with started(command, url, folder / f"{gateway}.log", env) as process:
                    for operation_name, query in OPERATIONS.items():
                        check_answer(url, query)
                        wrk(url, query, args.connections, 3, folder)
                        for connections in (args.connections, 1):
                            before = cpu_seconds(process.pid)
                            rps, p50, p99, errors = wrk(
                                url, query, connections, args.duration, folder
                            )
                            spent = cpu_seconds(process.pid) - before
                            cpu_us = spent / max(rps * args.duration, 1) * 1e6
                            measure = Measure(
                                gateway, operation_name, connections, rps, p50, p99, errors, cpu_us
                            )
                            runs.append(measure)
                            print(
                                f"  round {round_number} {gateway:21} {operation_name:16} "
                                f"c={connections:<3} {rps:9.0f} rps  p50 {p50:7.2f} ms  "
                                f"p99 {p99:7.2f} ms  cpu {cpu_us:6.1f} us/request",
                                flush=True,
                            )
        measures += medians(runs)
    report(measures)
    overheads(measures)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"{stamp}.json").write_text(json.dumps([asdict(m) for m in measures], indent=2))


def medians(runs: list[Measure]) -> list[Measure]:
    grouped: dict[tuple[str, str, int], list[Measure]] = {}
    for run in runs:
        grouped.setdefault((run.gateway, run.operation, run.connections), []).append(run)
    return [
        Measure(
            gateway,
            operation,
            connections,
            statistics.median(m.rps for m in group),
            statistics.median(m.p50_ms for m in group),
            statistics.median(m.p99_ms for m in group),
            sum(m.errors for m in group),
            statistics.median(m.cpu_us for m in group),
        )
        for (gateway, operation, connections), group in grouped.items()
    ]


def overheads(measures: list[Measure]) -> None:
    """What a gateway adds to one direct subgraph call, for a single client."""
    direct = next((m for m in measures if m.gateway == "subgraph-direct"), None)
    if direct is None:
        return
    print(
        f"\noverhead over a direct subgraph call (one-subgraph, 1 connection): "
        f"direct p50 {direct.p50_ms:.2f} ms, p99 {direct.p99_ms:.2f} ms"
    )
    for m in measures:
        if m.operation == "one-subgraph" and m.connections == 1 and m.gateway != direct.gateway:
            print(
                f"  {m.gateway:21} p50 +{m.p50_ms - direct.p50_ms:6.2f} ms   "
                f"p99 +{m.p99_ms - direct.p99_ms:6.2f} ms"
            )


def report(measures: list[Measure]) -> None:
    ratios = "".join(f" {'rps/' + n:>10} {'p99/' + n:>10}" for n in BASELINES.values())
    print(
        f"\n{'gateway':21} {'operation':16} {'conns':>5} {'rps':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'cpu us/req':>10}{ratios} {'cpu/router':>10}"
    )
    bases = [
        {(m.operation, m.connections): m for m in measures if m.gateway == gateway}
        for gateway in BASELINES
    ]
    router = {(m.operation, m.connections): m for m in measures if m.gateway == "hive-router"}
    for m in measures:
        line = (
            f"{m.gateway:21} {m.operation:16} {m.connections:5} {m.rps:9.0f} {m.p50_ms:8.2f} "
            f"{m.p99_ms:8.2f} {m.errors:6} {m.cpu_us:10.1f}"
        )
        for by_measure in bases:
            base = by_measure.get((m.operation, m.connections))
            if base is None or m.gateway == "subgraph-direct":
                line += " " * 22
            else:
                line += f" {m.rps / base.rps:10.2f} {m.p99_ms / base.p99_ms:10.2f}"
        base = router.get((m.operation, m.connections))
        if base is not None and base.cpu_us and m.gateway != "subgraph-direct":
            line += f" {m.cpu_us / base.cpu_us:10.2f}"
        print(line)


if __name__ == "__main__":
    main()
