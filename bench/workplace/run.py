"""A city system's month of job results for a ward's members, through the service's use case:
named by card number against named by member id (what finding members by their keys' digests
costs), and sent again — told apart by reading what the sender had recorded for the period —
against the baseline of the release before: every item inserted again, to be refused as a
duplicate, and read back by id.

    uv run python bench/workplace/run.py [--members 1000] [--rounds 3]
                                         [--mongodb-url mongodb://127.0.0.1:27017/]

Seeds a fresh database: a ward's cell with N members on the roster, each with the digest of
their card number, as member events leave them. Each round sends N results by id and N by card
number (new external ids), then each bulk again, then the baseline's resend of the same
results; rounds interleaved, medians printed with their ratios.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable
from typing import Any

from evaluations.domain import Placement, Policy, RosterEntry, WorkplaceAssessment
from evaluations.main import REAL_TIME, use_cases
from evaluations.repository import MongoRepositories
from evaluations.repository.records import MongoWorkplaceAssessments
from evaluations.service import UseCases, WorkplaceResults
from evaluations.service.workplace import AssessmentSubmission, Outcome
from kit.mongo import Document, SerialisedDatabase
from kit.pseudonyms import DEVELOPMENT_SECRET, KeyDigests, KeyKind
from pymongo import AsyncMongoClient

PERIOD = "2019-10"
DIGESTS = KeyDigests(DEVELOPMENT_SECRET)


def card(n: int) -> str:
    return f"01.{n:06d}"


async def seeded(service: UseCases, members: int) -> list[str]:
    ids = [f"m-{n:06d}" for n in range(members)]
    for n, member_id in enumerate(ids):
        entry = RosterEntry(
            member_id,
            f"Đảng viên {n}",
            "CIVIL_SERVANT",
            [Placement("cell-bench", None)],
            (DIGESTS.of(KeyKind.CARD_NUMBER, card(n)),),
        )
        await service.roster.enrol(entry, 1, f"registered-{member_id}")
    return ids


def bulk(tag: str, ids: list[str], by_card: bool) -> list[AssessmentSubmission]:
    return [
        AssessmentSubmission(
            f"{tag}-{n}",
            None if by_card else member_id,
            PERIOD,
            "CITY_SYSTEM",
            "HR",
            "GOOD",
            card_number=card(n) if by_card else None,
        )
        for n, member_id in enumerate(ids)
    ]


async def timed(run: Awaitable[Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = await run
    return time.perf_counter() - started, answer


async def round_of(
    service: UseCases, baseline: WorkplaceResults, ids: list[str], times: dict[str, list[float]]
) -> None:
    for by_card in (False, True):
        how = "card" if by_card else "id"
        sender = f"hr-{how}-{uuid.uuid4().hex[:6]}"
        items = bulk(sender, ids, by_card)
        took, first = await timed(service.workplace.submit(sender, items))
        assert {r.outcome for r in first} == {Outcome.RECORDED}, first[0]
        times[f"first by {how}"].append(took)
        took, again = await timed(service.workplace.submit(sender, items))
        assert {r.outcome for r in again} == {Outcome.ALREADY_RECORDED}
        times[f"resend by {how}"].append(took)
        took, again = await timed(baseline.submit(sender, items))
        assert {r.outcome for r in again} == {Outcome.ALREADY_RECORDED}
        times[f"baseline resend by {how}"].append(took)


class InsertedAgain:
    """The release before, as a repository: what a sender had recorded is not read first, so
    every item of a resend is inserted again, refused as a duplicate, and read back by id."""

    def __init__(self, assessments: MongoWorkplaceAssessments) -> None:
        self.assessments = assessments

    def __getattr__(self, name: str) -> Any:
        return getattr(self.assessments, name)

    async def sent_by(self, submitted_by: str, periods: Any) -> list[WorkplaceAssessment]:
        return []


async def main(members: int, rounds: int, url: str) -> None:
    client: AsyncMongoClient[Document] = AsyncMongoClient(url, tz_aware=True)
    name = f"bench_workplace_{uuid.uuid4().hex[:8]}"
    db = SerialisedDatabase(client, name)
    repositories = MongoRepositories(db)
    await repositories.create_indexes()
    service = use_cases(repositories, Policy())
    baseline = WorkplaceResults(
        InsertedAgain(repositories.assessments),
        service.roster,
        REAL_TIME.now,
    )
    try:
        started = time.perf_counter()
        ids = await seeded(service, members)
        print(f"seeded {members} members in {time.perf_counter() - started:.0f} s, {url}")
        times: dict[str, list[float]] = {}
        for label in ("first", "resend", "baseline resend"):
            for how in ("id", "card"):
                times[f"{label} by {how}"] = []
        for _ in range(rounds):
            await round_of(service, baseline, ids, times)
        median = {label: statistics.median(values) for label, values in times.items()}
        print(f"{members} job results in one bulk, median of {rounds} rounds")
        for label, seconds in median.items():
            print(f"  {label:<24} {seconds:7.2f} s")
        print(
            f"  by card / by id, first send:  {median['first by card'] / median['first by id']:.2f}"
        )
        for how in ("id", "card"):
            ratio = median[f"baseline resend by {how}"] / median[f"resend by {how}"]
            print(
                f"  resend by {how}: baseline's insert-and-read-back / this release's: {ratio:.2f}"
            )
    finally:
        await client.drop_database(name)
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mongodb-url", default="mongodb://127.0.0.1:27017/")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.rounds, arguments.mongodb_url))
