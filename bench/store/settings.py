"""The local store's settings side by side in one run, on what a restructuring asks of it: a
cell's members read, then written again with one guarded `update_many` (their history, version
and path, as kit.batched_saves writes them), and an inbox record inserted for each of their
events (as the evaluations consumer claims them).

- as before: FerretDB with Go's default garbage collection (GOGC 100), PostgreSQL compressing
  large values with its default, pglz;
- GOGC: FerretDB collecting its garbage less often (GOGC as given);
- GOGC and lz4: the same, and PostgreSQL compressing with lz4 (`default_toast_compression`).

    uv run python bench/store/settings.py [--documents 20000] [--cells 60] [--rounds 3] [--gogc 400]

Needs `make infra` first. Each setting has its own FerretDB process on its own PostgreSQL
database; the cells are worked through in turn on each (interleaved), so that the machine's
load falls on all alike. Prints, for each, documents a second and the CPU seconds that FerretDB
and its PostgreSQL backends spent per 1,000 documents, and the ratio against "as before".
Member documents are shaped as the members service keeps them (a real one is about 1.3 kB, and
FerretDB's stored form with its type schema more than 2 kB, so PostgreSQL compresses each).
"""

import argparse
import asyncio
import contextlib
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kit.mongo.indexes import create_indexes
from members.repository.members import MEMBER_INDEXES

from bench.gateway.run import cpu_seconds
from bench.store.run import FERRETDB, INDEXES, POSTGRES_PORT, ferretdb_process, postgres
from bench.store.writes import members

DATABASE = "bench_store"
CELL_SIZE = 40
STREETS = ("Hoàng Hoa Thám", "Đội Cấn", "Liễu Giai", "Kim Mã", "Giảng Võ", "Nguyễn Thái Học")


@dataclass
class Setting:
    name: str
    database: str
    gogc: int | None
    compression: str
    process: Any = None
    client: Any = None
    cpu: dict[str, float] = field(default_factory=lambda: {"ferretdb": 0.0, "postgresql": 0.0})
    rates: dict[str, list[float]] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)


def as_kept(document: dict[str, Any], n: int) -> dict[str, Any]:
    """A member with the fields of the members service's documents (their size matters: the
    store compresses what it keeps of each)."""
    words = document["search_words"]
    card = document["card_number"]
    return {
        **document,
        "gender": "FEMALE" if n % 2 else "MALE",
        "residence": {
            "address": f"Số {n % 300}, ngõ {n % 97}, phố {STREETS[n % len(STREETS)]}, "
            f"phường Ba Đình, Hà Nội",
            "residential_group": document["residence"]["residential_group"],
        },
        "workplace": {"name": "Đảng ủy phường Ba Đình", "role": "CADRE"},
        "search_words": sorted(
            {*words, card, card[:3] + "*", *(w[:3] + "*" for w in words), " ".join(words[1:])}
        ),
        "admitted_on": "2015-06-15",
        "official_on": "2016-06-15",
        "introducers": [],
        "restructurings": [],
        "transferred_out_to": None,
        "admission_ceremony_on": None,
        "awareness_certificate": None,
    }


def backends(database: str) -> list[int]:
    listed = postgres(f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'")
    return [int(pid) for pid in listed.split()]


@contextlib.asynccontextmanager
async def started(setting: Setting, state: Path) -> AsyncIterator[None]:
    url = f"postgres://postgres@127.0.0.1:{POSTGRES_PORT}/{setting.database}?pool_max_conns=100"
    backend = ["--handler=postgresql", f"--postgresql-url={url}"]
    async with ferretdb_process(backend, state, setting.gogc) as (process, client):
        setting.process, setting.client = process, client
        yield


async def measured(setting: Setting, label: str, count: int, step: Any) -> None:
    """Run `step` on this setting, adding its rate and the CPU its store spent."""
    pids = backends(setting.database)
    ferretdb = cpu_seconds(setting.process.pid)
    postgresql = cpu_seconds(*pids)
    started_at = time.perf_counter()
    await step
    seconds = time.perf_counter() - started_at
    setting.cpu["ferretdb"] += cpu_seconds(setting.process.pid) - ferretdb
    setting.cpu["postgresql"] += cpu_seconds(*pids) - postgresql
    setting.rates.setdefault(label, []).append(count / seconds)
    setting.documents[label] = setting.documents.get(label, 0) + count


async def follow(collection: Any, cell: str, version: int) -> None:
    """A cell's members written again as a restructuring's bulk save writes them."""
    members = await collection.find({"organisation_id": cell}).to_list()
    ids = [m["_id"] for m in members if m["version"] == version]
    entry = {
        "case_id": str(uuid.uuid4()),
        "kind": "MERGE_NEW",
        "decision": {"number": "1656/NQ-UBTVQH15", "effective_on": "2025-07-01"},
        "organisation_id": cell,
        "to_organisation_id": "ward-new",
    }
    await collection.update_many(
        {"organisation_id": cell, "_id": {"$in": ids}, "version": version},
        {
            "$set": {
                "restructurings": [entry],
                "version": version + 1,
                "scope_ids": [cell, "ward-new", "city"],
            },
            "$addToSet": {"outbox_writes": str(uuid.uuid4())},
        },
    )


async def claimed(collection: Any, count: int) -> None:
    """An inbox record for each of `count` events, in one insert."""
    now = time.time()
    claim = f"claim:{uuid.uuid4()}"
    records = [
        {"_id": str(uuid.uuid4()), "type": "member.updated", "claim": claim, "claimed_at": now}
        for _ in range(count)
    ]
    await collection.insert_many(records, ordered=False)


async def main(count: int, cells: int, rounds: int, gogc: int) -> None:
    if not FERRETDB.exists():
        raise SystemExit(f"{FERRETDB} is missing: run `make infra` first")
    settings = [
        Setting("as before", "bench_settings_before", None, "pglz"),
        Setting(f"GOGC {gogc}", "bench_settings_gogc", gogc, "pglz"),
        Setting(f"GOGC {gogc} and lz4", "bench_settings_lz4", gogc, "lz4"),
    ]
    for setting in settings:
        postgres(f"DROP DATABASE IF EXISTS {setting.database}; CREATE DATABASE {setting.database}")
        postgres(INDEXES.read_text(), database=setting.database)
        postgres(  # after the file, which sets lz4
            f"ALTER DATABASE {setting.database} "
            f"SET default_toast_compression = {setting.compression}"
        )
    documents = [as_kept(d, n) for n, d in enumerate(members(count, 2025))]
    cell_ids = sorted({d["organisation_id"] for d in documents})
    work = Path(tempfile.mkdtemp(prefix="bench-store-settings-"))
    try:
        async with contextlib.AsyncExitStack() as stack:
            for setting in settings:
                (work / setting.database).mkdir()
                await stack.enter_async_context(started(setting, work / setting.database))
            print(
                f"FerretDB 1.24.2 on PostgreSQL, {count:,} members in cells of about "
                f"{count // len(cell_ids)}, {cells} cells followed a round, {rounds} rounds, "
                "interleaved"
            )
            for setting in settings:
                collection = setting.client[DATABASE]["members"]
                await collection.drop()
                await create_indexes(collection, MEMBER_INDEXES)
            for at in range(0, count, 1000):
                part = documents[at : at + 1000]
                for setting in settings:
                    collection = setting.client[DATABASE]["members"]
                    await measured(
                        setting, "insert_many of 1,000", len(part), collection.insert_many(part)
                    )
            chance = random.Random(2025)
            for version in range(1, rounds + 1):
                for cell in chance.sample(cell_ids, min(cells, len(cell_ids))):
                    size = sum(1 for d in documents if d["organisation_id"] == cell)
                    for setting in settings:
                        db = setting.client[DATABASE]
                        step = follow(db["members"], cell, version)
                        await measured(setting, "a cell read and written", size, step)
                        step = claimed(db["inbox"], size)
                        await measured(setting, "inbox records inserted", size, step)
            report(settings)
            sizes = {
                s.name: postgres(
                    "SELECT round(avg(pg_column_size(_jsonb))) FROM "
                    f"{DATABASE}.{stored_table(s.database)}",
                    s.database,
                )
                for s in settings
            }
            print()
            print(
                "stored size of a member (bytes): "
                + ", ".join(f"{k} {v}" for k, v in sizes.items())
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for setting in settings:
            postgres(f"DROP DATABASE IF EXISTS {setting.database}")


def stored_table(database: str) -> str:
    return postgres(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{DATABASE}' "
        "AND table_name LIKE 'members\\_%'",
        database,
    )


def report(settings: list[Setting]) -> None:
    before = settings[0]
    print()
    print(f"| median documents/s | {' | '.join(s.name for s in settings)} |")
    print("|---|" + "---:|" * len(settings))
    for label in before.rates:
        rates = [statistics.median(s.rates[label]) for s in settings]
        cells = [f"{rates[0]:,.0f}"]
        cells += [f"{r:,.0f} ({r / rates[0]:.2f}×)" for r in rates[1:]]
        print(f"| {label} | {' | '.join(cells)} |")
    print()
    print(f"| CPU s per 1,000 documents | {' | '.join(s.name for s in settings)} |")
    print("|---|" + "---:|" * len(settings))
    for part in ("ferretdb", "postgresql"):
        spent = [1000 * s.cpu[part] / sum(s.documents.values()) for s in settings]
        cells = [f"{spent[0]:.3f}"] + [f"{c:.3f} ({spent[0] / c:.2f}×)" for c in spent[1:]]
        print(f"| {part} | {' | '.join(cells)} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--cells", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--gogc", type=int, default=400)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.documents, arguments.cells, arguments.rounds, arguments.gogc))
