"""The local store before and after, side by side in one run, on the same member-like documents
with the same declared indexes and the queries the member screens send:

- SQLite: FerretDB 1.24.2 on its SQLite backend (before: the local default until now);
- PostgreSQL, scans: the same binary on PostgreSQL, with the indexes as FerretDB makes them
  (btrees its pushed-down filters cannot use);
- PostgreSQL, pending lists: the same, plus infra/local/ferretdb-indexes.sql, which gives each
  declared index a GIN companion that serves FerretDB's equality filters — as PostgreSQL makes
  a GIN index by default, with a pending list of new entries that lookups read through until
  a vacuum merges it (before);
- PostgreSQL, indexed: the local default — the companions without a pending list
  (fastupdate = off).

    uv run python bench/store/run.py [--documents 20000] [--rounds 15]

Needs `make infra` first (the FerretDB binary it built, and its PostgreSQL on POSTGRES_PORT).
It starts three FerretDB processes of its own on free ports, loads each, measures each query
round by round, interleaved, and prints medians and ratios against SQLite; the lookups by _id
and the updates by _id are also compared with the pending lists (the whole load is in them:
PostgreSQL merges a list at 4 MB or at a vacuum).
"""

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient

ROOT = Path(__file__).resolve().parents[2]
RUN = Path(os.environ.get("PARTYORG_RUN_DIR", ROOT / "infra" / "local" / "run"))
FERRETDB = RUN / "bin" / "ferretdb"
POSTGRES_PORT = int(os.environ.get("POSTGRES_PORT", "54329"))
DATABASE = "bench_store"
PG_DATABASES = ("bench_store_scans", "bench_store_pending", "bench_store_indexed")
CONNECTION = ("-h", "127.0.0.1", "-p", str(POSTGRES_PORT), "-U", "postgres")
INDEXES = ROOT / "infra" / "local" / "ferretdb-indexes.sql"
CELL_SIZE = 200

Query = Callable[[Any], Awaitable[object]]


def free_port() -> int:

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres(sql: str, database: str = "postgres") -> str:
    """What psql prints of `sql` (unaligned, no headers) run in `database`."""
    psql = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))[-1]
    done = subprocess.run(
        [str(psql), *CONNECTION, "-d", database, "-qXAt", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        input=sql.encode(),
        check=True,
        capture_output=True,
    )
    return done.stdout.decode().strip()


@contextlib.asynccontextmanager
async def ferretdb(backend: list[str], state: Path) -> AsyncIterator[AsyncMongoClient[Any]]:
    async with ferretdb_process(backend, state) as (_, client):
        yield client


@contextlib.asynccontextmanager
async def ferretdb_process(
    backend: list[str], state: Path, gogc: int | None = None
) -> AsyncIterator[tuple[asyncio.subprocess.Process, AsyncMongoClient[Any]]]:
    """A FerretDB of its own on a free port, and a client of it; `gogc`: its Go garbage
    collector's setting (Go's default when None)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GOGC"}
    if gogc is not None:
        env["GOGC"] = str(gogc)
    process = await asyncio.create_subprocess_exec(
        str(FERRETDB),
        *backend,
        f"--state-dir={state}",
        f"--listen-addr=127.0.0.1:{port}",
        "--debug-addr=-",
        "--telemetry=disable",
        "--log-level=error",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        f"mongodb://127.0.0.1:{port}/", serverSelectionTimeoutMS=15000
    )
    try:
        await client.admin.command("ping")
        yield process, client
    finally:
        await client.close()
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=15)


def members(count: int, seed: int = 2025) -> list[dict[str, Any]]:
    chance = random.Random(seed)
    cells = [f"cell-{n:04d}" for n in range(max(1, count // CELL_SIZE))]
    return [
        {
            "_id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
            "card_number": f"01.{n:08d}",
            "full_name": f"Nguyễn Văn {n}",
            "sort_name": f"nguyen van {n}",
            "date_of_birth": "1970-01-01",
            "organisation_id": cells[n % len(cells)],
            "standing": "OFFICIAL" if n % 10 else "PROBATIONARY",
            "residence": {"address": "Ba Đình, Hà Nội", "residential_group": f"Tổ {n % 40}"},
            "version": 1,
            "pending_events": [],
        }
        for n in range(count)
    ]


async def load(client: AsyncMongoClient[Any], documents: list[dict[str, Any]]) -> float:
    collection = client[DATABASE]["members"]
    await collection.drop()
    await collection.create_index("card_number", unique=True)
    await collection.create_index([("organisation_id", 1), ("sort_name", 1)])
    started = time.perf_counter()
    for at in range(0, len(documents), 1000):
        await collection.insert_many(documents[at : at + 1000])
    return len(documents) / (time.perf_counter() - started)


def queries(documents: list[dict[str, Any]]) -> dict[str, Query]:
    cell = documents[len(documents) // 2]["organisation_id"]
    some_id = documents[len(documents) // 3]["_id"]
    return {
        f"a cell's members (filter returning {CELL_SIZE})": lambda c: c.find(
            {"organisation_id": cell}
        ).to_list(),
        "count of a cell's members": lambda c: c.count_documents({"organisation_id": cell}),
        "first page of a cell, sorted by name": lambda c: (
            c.find({"organisation_id": cell}).sort("full_name", 1).limit(50).to_list()
        ),
        "find by a uuid _id": lambda c: c.find_one({"_id": some_id}),
        "update by a uuid _id": lambda c: c.update_one({"_id": some_id}, {"$inc": {"version": 1}}),
    }


async def timed(query: Query, collection: Any) -> float:
    started = time.perf_counter()
    await query(collection)
    return (time.perf_counter() - started) * 1000


async def main(count: int, rounds: int) -> None:
    if not FERRETDB.exists():
        raise SystemExit(f"{FERRETDB} is missing: run `make infra` first")
    documents = members(count)
    for name in PG_DATABASES:
        postgres(f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}")
    with_pending_lists = INDEXES.read_text().replace("fastupdate = off", "fastupdate = on")
    postgres(with_pending_lists, database=PG_DATABASES[1])
    postgres(INDEXES.read_text(), database=PG_DATABASES[2])
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    for folder in ("sqlite", "state-sqlite", "state-scans", "state-pending", "state-indexed"):
        (work / folder).mkdir()

    def on_postgres(name: str) -> list[str]:
        url = f"postgres://postgres@127.0.0.1:{POSTGRES_PORT}/{name}?pool_max_conns=1000"
        return ["--handler=postgresql", f"--postgresql-url={url}"]

    try:
        async with (
            ferretdb(
                ["--handler=sqlite", f"--sqlite-url=file:{work}/sqlite/"], work / "state-sqlite"
            ) as sqlite,
            ferretdb(on_postgres(PG_DATABASES[0]), work / "state-scans") as scans,
            ferretdb(on_postgres(PG_DATABASES[1]), work / "state-pending") as pending,
            ferretdb(on_postgres(PG_DATABASES[2]), work / "state-indexed") as indexed,
        ):
            stores = {
                "SQLite (before)": sqlite,
                "PostgreSQL, scans": scans,
                "PostgreSQL, pending lists": pending,
                "PostgreSQL, indexed (now)": indexed,
            }
            print(f"FerretDB 1.24.2, {count:,} member documents, {rounds} rounds, interleaved")
            for name, client in stores.items():
                rate = await load(client, documents)
                print(f"  loaded into {name}: {rate:,.0f} documents/s (insert_many of 1,000)")
            timings: dict[tuple[str, str], list[float]] = {}
            for _ in range(rounds):
                for label, query in queries(documents).items():
                    for name, client in stores.items():
                        ms = await timed(query, client[DATABASE]["members"])
                        timings.setdefault((label, name), []).append(ms)
            print()
            print(f"| median, ms | {' | '.join(stores)} |")
            print("|---|---|---|---|---|")
            for label in queries(documents):
                sqlite_ms, *postgres_ms = (statistics.median(timings[(label, n)]) for n in stores)
                against = " | ".join(
                    f"{ms:.1f} ({sqlite_ms / ms:.0f}× faster)" for ms in postgres_ms
                )
                print(f"| {label} | {sqlite_ms:.1f} | {against} |")
            print()
            print("indexed (now) against pending lists, median ms:")
            for label in queries(documents):
                pending_ms, indexed_ms = (
                    statistics.median(timings[(label, n)]) for n in list(stores)[2:]
                )
                ratio = pending_ms / indexed_ms
                print(f"  {label}: {pending_ms:.2f} → {indexed_ms:.2f} ({ratio:.1f}×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for name in PG_DATABASES:
            postgres(f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.documents, arguments.rounds))
