"""The cases of a list of campaigns: one `campaign_id $in` query against one query per campaign
(all at once), on FerretDB, which may scan the whole collection for `$in`.

    uv run python bench/organisations/run.py [--campaigns 200] [--rounds 5]
        [--mongodb-url mongodb://127.0.0.1:27017/]

Seeds a fresh database with `--campaigns` campaigns of 14 cases each (one per ward agency
cell), then asks the organisations service's own repository for the cases of 5, 20 and 50 of
them both ways. Prints the median time of each and their ratio.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from kit.mongo import Document
from organisations.domain import DissolutionCase
from organisations.repository import MongoCaseRepository
from organisations.repository.cases import to_document
from pymongo import AsyncMongoClient

CASES_PER_CAMPAIGN = 14
LISTS = (5, 20, 50)


def campaign_cases(campaign: int) -> list[DissolutionCase]:
    return [
        DissolutionCase(
            id=f"case-{campaign:04d}-{ward:02d}",
            campaign_id=f"campaign-{campaign:04d}",
            cell_id=f"cell-{campaign:04d}-{ward:02d}",
            ward_committee_id=f"ward-{ward:02d}",
            plan_deadline=date(2019, 9, 15),
            opened_at=datetime(2019, 9, 5, tzinfo=UTC),
        )
        for ward in range(CASES_PER_CAMPAIGN)
    ]


async def median_seconds(rounds: int, work: Callable[[], Awaitable[object]]) -> float:
    await work()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def compare(cases: MongoCaseRepository, ids: list[str], rounds: int) -> tuple[float, float]:
    """The median seconds of one `$in` query, and of one query per campaign, all at once."""
    expected = len(ids) * CASES_PER_CAMPAIGN

    async def in_one_query() -> None:
        assert len(await cases.find(campaign_ids=ids)) == expected

    async def one_query_each() -> None:
        found = await asyncio.gather(*(cases.find(campaign_id=i) for i in ids))
        assert sum(map(len, found)) == expected

    return await median_seconds(rounds, in_one_query), await median_seconds(rounds, one_query_each)


async def main(campaigns: int, rounds: int, url: str) -> None:
    client: AsyncMongoClient[Document] = AsyncMongoClient(url)
    name = f"bench_organisations_{uuid.uuid4().hex[:8]}"
    db = client[name]
    try:
        cases = MongoCaseRepository(db)
        await cases.create_indexes()
        await db["dissolution_cases"].insert_many(
            [to_document(case) for n in range(campaigns) for case in campaign_cases(n)]
        )
        print(
            f"{campaigns * CASES_PER_CAMPAIGN} cases of {campaigns} campaigns; median of {rounds}"
        )
        print(f"{'campaigns':>9} {'one $in query':>14} {'one query each':>15} {'ratio':>7}")
        for size in LISTS:
            ids = [f"campaign-{n:04d}" for n in range(0, campaigns, campaigns // size)][:size]
            one, many = await compare(cases, ids, rounds)
            print(f"{size:>9} {one * 1000:>11.1f} ms {many * 1000:>12.1f} ms {many / one:>6.1f}x")
    finally:
        await client.drop_database(name)
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mongodb-url", default="mongodb://127.0.0.1:27017/")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.campaigns, arguments.rounds, arguments.mongodb_url))
