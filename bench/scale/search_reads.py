"""How many members the store reads for the member searches bench/scale times, on kept
databases: before (every member the search's word finds, read once for the count and once for
the page) and by bands of names (members.repository.member_search), counted from PyMongo's
command replies — what FerretDB hands back after the equalities PostgreSQL decided.

    uv run python bench/scale/search_reads.py --reuse scale_1a2b3c4d_

Run it after the members service has started once on those databases (it lists the bands).
"""

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: bench/scale is on the path, not the root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kit.search import phrase_pattern, search_word_of
from members.repository import MongoMemberRepository
from members.service.ports import MemberFilter
from pymongo import AsyncMongoClient, monitoring

MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
SEARCHES = [("tour 4", "nguyen", 3), ("tour 5", "nguyen duc binh", 1)]
SEARCHES += [("member search, city-wide", "nguyen van", 20)]


class Replies(monitoring.CommandListener):
    """Members handed back, and commands sent, to the members collection."""

    def __init__(self) -> None:
        self.members = self.commands = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command.get(event.command_name) == "members":
            self.commands += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        cursor: dict[str, Any] = event.reply.get("cursor", {})
        if str(cursor.get("ns", "")).endswith(".members"):
            self.members += len(cursor.get("firstBatch", cursor.get("nextBatch", [])))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", metavar="PREFIX", required=True)
    args = parser.parse_args()
    replies = Replies()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        MONGODB_URL, event_listeners=[replies]
    )
    db = client[f"{args.reuse}members"]
    repository = MongoMemberRepository(db)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| search | first | word | before: members read | by bands: read | commands | ms ×3 |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for screen, search, first in SEARCHES:
        word = search_word_of(search)
        query = {"search_words": word, "search_key": {"$regex": phrase_pattern(search)}}
        before = await db["members"].count_documents({"search_words": word})
        matches = await db["members"].count_documents(query)
        times = []
        for _ in range(3):  # the first reads the lists of bands too; then they are kept
            replies.members = replies.commands = 0
            started = time.perf_counter()
            page = await repository.page(MemberFilter(search=search), first, None)
            times.append(f"{(time.perf_counter() - started) * 1000:.0f}")
        print(
            f"| {screen}: {search!r} | {first} | {word} ({matches:,} match) | 2 × {before:,} |"
            f" {replies.members:,} | {replies.commands} | {' / '.join(times)} |"
            f" total {page.total}{'+' if page.capped else ''}"
        )
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
