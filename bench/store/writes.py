"""The local store's writes with the members' own declared indexes, side by side in one run:

- btrees kept (before): infra/local/ferretdb-indexes.sql as it was, FerretDB's btrees written
  on every insert and update beside the GIN companions;
- btrees empty (now): the same file, FerretDB's non-unique btrees made again with no entries
  (`WHERE false`), which no query of FerretDB 1.24 reads.

    uv run python bench/store/writes.py [--documents 20000] [--rounds 3]

Needs `make infra` first. Two FerretDB processes on PostgreSQL databases of their own; each
round loads both (insert_many of 1,000, in turn), then times, interleaved, what the services
do to a member: a save with its event (`$set` and `$push` to the outbox, as kit's repositories
do), the relay taking the event off (`$pop` guarded by the event's id), a cell's members and a
find by `_id`. Prints medians and the ratio, and the size of each database's indexes.
"""

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kit.mongo.indexes import create_indexes
from members.repository.members import MEMBER_INDEXES

from bench.store.run import FERRETDB, INDEXES, POSTGRES_PORT, ferretdb, postgres

DATABASE = "bench_store"
KEPT_EMPTY = "  PERFORM partyorg_kept_empty(btree);\n"
STORES = {"btrees kept (before)": "bench_writes_kept", "btrees empty (now)": "bench_writes_empty"}
CELL_SIZE = 40
SURNAMES = ("nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "dang", "bui", "do")
MIDDLE = ("van", "thi", "duc", "minh", "thu", "quang", "ngoc", "hong")
GIVEN = ("an", "binh", "cuong", "dung", "giang", "ha", "hanh", "hung", "lan", "linh", "mai")


def members(count: int, seed: int) -> list[dict[str, Any]]:
    """Members shaped as the members service stores them (the fields its indexes hold)."""
    chance = random.Random(seed)
    cells = max(1, count // CELL_SIZE)
    documents = []
    for n in range(count):
        words = [chance.choice(SURNAMES), chance.choice(MIDDLE), chance.choice(GIVEN)]
        cell = n % cells
        ward, district = f"ward-{cell // 20}", f"district-{cell // 400}"
        documents.append(
            {
                "_id": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
                "card_number": f"01.{seed:03d}{n:08d}",
                "citizen_id": f"001{seed:03d}{n:06d}",
                "full_name": " ".join(w.title() for w in words),
                "sort_name": " ".join(words) + f" {n}",
                "search_key": " ".join(words),
                "search_words": words,
                "name_band_1": words[0],
                "name_band_2": " ".join(words[:2]),
                "date_of_birth": "1970-01-01",
                "organisation_id": f"cell-{cell:05d}",
                "scope_ids": [f"cell-{cell:05d}", ward, district, "city"],
                "standing": "OFFICIAL" if n % 10 else "PROBATIONARY",
                "residence": {"address": "Ba Đình, Hà Nội", "residential_group": f"Tổ {n % 40}"},
                "outbox_writes": [],
                "version": 1,
                "pending_events": [],
            }
        )
    return documents


async def load(client: Any, documents: list[dict[str, Any]]) -> float:
    collection = client[DATABASE]["members"]
    await collection.drop()
    await create_indexes(collection, MEMBER_INDEXES)
    started = time.perf_counter()
    for at in range(0, len(documents), 1000):
        await collection.insert_many(documents[at : at + 1000])
    return len(documents) / (time.perf_counter() - started)


async def saved(collection: Any, member: dict[str, Any]) -> None:
    event = {"id": uuid.uuid4().hex, "type": "partyorg.members.member.updated.v1", "data": {}}
    await collection.update_one(
        {"_id": member["_id"]},
        {
            "$set": {"standing": "OFFICIAL"},
            "$inc": {"version": 1},
            "$push": {"pending_events": event},
        },
    )
    member["event"] = event["id"]


async def relayed(collection: Any, member: dict[str, Any]) -> None:
    await collection.update_one(
        {"_id": member["_id"], "pending_events.0.id": member["event"]},
        {"$pop": {"pending_events": -1}},
    )


async def timed(step: Any) -> float:
    started = time.perf_counter()
    await step
    return (time.perf_counter() - started) * 1000


async def main(count: int, rounds: int, seed: int) -> None:
    if not FERRETDB.exists():
        raise SystemExit(f"{FERRETDB} is missing: run `make infra` first")
    now = INDEXES.read_text()
    if KEPT_EMPTY not in now:
        raise SystemExit(f"{INDEXES} no longer keeps FerretDB's btrees empty as this bench knows")
    for sql, database in (
        (now.replace(KEPT_EMPTY, ""), STORES["btrees kept (before)"]),
        (now, STORES["btrees empty (now)"]),
    ):
        postgres(f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}")
        postgres(sql, database=database)
    work = Path(tempfile.mkdtemp(prefix="bench-store-writes-"))
    documents = members(count, seed)
    chance = random.Random(seed)
    timings: dict[tuple[str, str], list[float]] = {}

    def on(database: str) -> list[str]:
        url = f"postgres://postgres@127.0.0.1:{POSTGRES_PORT}/{database}?pool_max_conns=100"
        return ["--handler=postgresql", f"--postgresql-url={url}"]

    try:
        async with (
            ferretdb(on(STORES["btrees kept (before)"]), work / "kept") as kept,
            ferretdb(on(STORES["btrees empty (now)"]), work / "empty") as empty,
        ):
            clients = {"btrees kept (before)": kept, "btrees empty (now)": empty}
            print(
                f"FerretDB 1.24.2 on PostgreSQL, {count:,} members, {len(MEMBER_INDEXES)} "
                f"declared indexes, {rounds} rounds, interleaved"
            )
            for _ in range(rounds):
                for name, client in clients.items():
                    rate = await load(client, documents)
                    timings.setdefault(("insert_many of 1,000 (documents/s)", name), []).append(
                        rate
                    )
                picked = chance.sample(documents, 200)
                for member in picked:
                    for name, client in clients.items():
                        collection = client[DATABASE]["members"]
                        for label, step in (
                            ("a save with its event (ms)", saved(collection, dict(member))),
                            ("find by _id (ms)", collection.find_one({"_id": member["_id"]})),
                            (
                                "a cell's members (ms)",
                                collection.find(
                                    {"organisation_id": member["organisation_id"]}
                                ).to_list(),
                            ),
                        ):
                            timings.setdefault((label, name), []).append(await timed(step))
                        taken = {**member, "event": None}
                        await saved(collection, taken)
                        timings.setdefault(("the relay's $pop (ms)", name), []).append(
                            await timed(relayed(collection, taken))
                        )
            print()
            print(f"| median | {' | '.join(clients)} | ratio |")
            print("|---|---:|---:|---:|")
            for label in dict.fromkeys(label for label, _ in timings):
                before, after = (statistics.median(timings[(label, n)]) for n in clients)
                ratio = after / before if "documents/s" in label else before / after
                print(f"| {label} | {before:,.2f} | {after:,.2f} | {ratio:.1f}× |")
        print()
        for name, database in STORES.items():
            sizes = indexes_size(database)
            print(f"indexes of {name}: {sizes}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for database in STORES.values():
            postgres(f"DROP DATABASE IF EXISTS {database}")


def indexes_size(database: str) -> str:
    return postgres(
        "select pg_size_pretty(sum(pg_relation_size(indexrelid))) from pg_stat_user_indexes "
        "where relname like 'members%'",
        database,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.documents, arguments.rounds, arguments.seed))
