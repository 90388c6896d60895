"""Soak: a mixed read/write load through the gateway at a steady rate, with locust.

    uv run python bench/soak/run.py [--minutes 10] [--users 20] [--rate 20]   (make soak)

Starts its own suite (three services and the gateway on free ports, databases and an exchange
of its own, on the local FerretDB and RabbitMQ, as tests/e2e do), builds the demo's Ba Đình
tree with Giảng Võ's first residential cell staffed, and runs locust (bench/soak/locustfile.py)
headless: `--users` ward committee users at `--rate` requests per second in all — the ward's
screen, a cell's roster, a member's card, a member's name corrected, a member registered.

Prints: requests and failures by operation (locust's figures), the resident memory of every
process of the suite (the gateway's workers each) and of the store and broker at the start,
the middle and the end of the load, the growth from the middle to the end; then waits for the
services' queues and outboxes to drain and prints what is left. Fails (exit 1) on any failed
request, an error in a log, a queue or outbox not drained in `--drain-seconds`, or a process
whose memory grew more than `--growth` percent from the middle to the end.
"""

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: bench/soak is on the path, not the root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kit.identity import Grant, Principal, Role
from kit.testing import delete_from_broker

from bench.soak.drain import left_over
from bench.soak.memory import MemorySamples, processes_of
from infra.demo import members, organisations
from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.local.logged_errors import logged_errors
from infra.local.suite import DEFAULT_PORTS, ROOT, SERVICES, Suite, free_port

MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
WARD, CELL = "HN-BD-GV", "HN-BD-GV-TDP01"
NEW_MEMBER = {
    "fullName": "Nguyễn Văn Soak",
    "dateOfBirth": "1980-01-01",
    "gender": "MALE",
    "standing": "OFFICIAL",
    "admittedOn": "2005-01-01",
    "officialOn": "2006-01-01",
}


async def build_world(suite: Suite, users: int) -> dict[str, Any]:
    """The tree, a member for each user to correct, and the ward committee's token."""
    gateway = DemoGateway(suite.gateway_url, suite.authorization(DEMO_LOADER))
    try:
        ids = await organisations.load_hierarchy(gateway)
        registered = []
        for n in range(users):
            card = f"98.{uuid.uuid4().hex[:8].upper()}.{n}"
            fields = {**NEW_MEMBER, "cardNumber": card, "organisationId": ids[CELL]}
            await members.register(gateway, fields, ids[CELL])
            found = await gateway.execute(
                "query ($c: String!) { memberByCard(cardNumber: $c) { id } }", {"c": card}
            )
            registered.append(found["memberByCard"]["id"])
    finally:
        await gateway.close()
    committee = Principal(
        "soak-ward", "Soak ward committee", (Grant(Role.WARD_COMMITTEE, ids[WARD]),)
    )
    token = suite.token_for(committee)
    return {
        "ward_code": WARD,
        "cell_id": ids[CELL],
        "members": registered,
        "token": token,
        "new_member": NEW_MEMBER,
    }


def run_locust(
    suite: Suite, world: dict[str, Any], args: argparse.Namespace, csv_prefix: Path
) -> subprocess.Popen[bytes]:
    host = suite.gateway_url.removesuffix("/graphql")
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--host",
        host,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{int(args.minutes * 60)}s",
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "SOAK_WORLD": json.dumps(world), "SOAK_RATE": str(args.rate / args.users)}
    return subprocess.Popen(command, env=env, cwd=ROOT)


def locust_figures(csv_prefix: Path) -> list[dict[str, str]]:
    with open(f"{csv_prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))


def print_figures(rows: list[dict[str, str]], seconds: float) -> int:
    print(
        f"\n{'operation':<18}{'requests':>10}{'failures':>10}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
    )
    failures = 0
    for row in rows:
        name = row["Name"] or "all"
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        if row["Name"] == "Aggregated":
            failures = failed
        print(
            f"{name:<18}{count:>10}{failed:>10}{count / seconds:>8.1f}"
            f"{row['50%']:>8}{row['99%']:>8}"
        )
    return failures


async def soak(suite: Suite, args: argparse.Namespace) -> bool:
    world = await build_world(suite, args.users)
    csv_prefix = suite.run_dir / "locust"
    samples = MemorySamples(processes_of(suite))
    started = time.monotonic()
    locust = run_locust(suite, world, args, csv_prefix)
    samples.take("start")
    middle_taken = False
    while locust.poll() is None:
        await asyncio.sleep(2)
        if not middle_taken and time.monotonic() - started >= args.minutes * 30:
            samples.take("middle")
            middle_taken = True
    samples.take("end")
    seconds = time.monotonic() - started
    print(
        f"\nsoak: {args.minutes:g} min, {args.users} users, {args.rate:g} req/s asked,"
        f" load average {os.getloadavg()[0]:.1f} at the end"
    )
    failures = print_figures(locust_figures(csv_prefix), seconds)
    grown = samples.print_table(args.growth)
    left = await left_over(suite, MONGODB_URL, AMQP_URL, args.drain_seconds)
    print(f"\nleft after {args.drain_seconds:g} s to drain: {left or 'nothing'}")
    errors = logged_errors(suite.log_files.values())
    print(f"errors in the logs: {len(errors)}", *errors[:10], sep="\n  ")
    return failures == 0 and not grown and not left and not errors and locust.returncode == 0


async def clean_up(suite: Suite, keep: bool) -> None:
    from pymongo import AsyncMongoClient

    await delete_from_broker(AMQP_URL, suite.exchange, SERVICES)
    if keep:
        return
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL)
    for service in SERVICES:
        await mongo.drop_database(f"{suite.database_prefix}{service}")
    await mongo.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rate", type=float, default=20, help="requests per second in all")
    parser.add_argument("--growth", type=float, default=15, help="percent, middle to end")
    parser.add_argument("--drain-seconds", type=float, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    run_id = uuid.uuid4().hex[:8]
    suite = Suite(
        ports={name: free_port() for name in DEFAULT_PORTS},
        database_prefix=f"soak_{run_id}_",
        exchange=f"soak.{run_id}",
        run_dir=Path(tempfile.mkdtemp(prefix=f"partyorg-soak-{run_id}-")),
        extra_env={"LOG_LEVEL": "INFO", "OUTBOX_POLL_SECONDS": "0.2"},
    )
    suite.up()
    try:
        passed = asyncio.run(soak(suite, args))
    finally:
        suite.stop()
        asyncio.run(clean_up(suite, args.keep))
        print(f"soak logs: {suite.run_dir / 'logs'}")
    print("soak: passed" if passed else "soak: FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
