"""A ward's list of evaluations with every nested field: the per-request loaders against the
baseline, each evaluation's records read on their own (one to six queries per evaluation).

    uv run python bench/evaluations/run.py [--sizes 10 50 200] [--rounds 5]
                                           [--mongodb-url mongodb://127.0.0.1:27017/]

Seeds a fresh database through the service's own use cases: per size, a ward of an agency cell
and three residential cells, N members on the roster, their evaluations for 2019 DRAFT, PROPOSED
and FINALISED, tasks, job results (none for some cadres), supervision feedback. Then runs the
ward's list query through the subgraph's schema, as the service does, with the loaders
(batched) and with a one-by-one stand-in for them (the baseline), rounds interleaved; prints the
median time and the database round trips of each, and their ratios. Last, the lookup the
loaders make per kind of record: one `$in` on `member_id` against N concurrent single queries.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from evaluations.domain import (
    Evaluation,
    Finding,
    KnownOrganisation,
    Period,
    Placement,
    Policy,
    PolicyViolation,
    Rating,
    RosterEntry,
)
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
from evaluations.schema import schema
from evaluations.schema.context import EvaluationsContext
from evaluations.schema.loaders import Loaders, MemberPeriod
from evaluations.service import UseCases
from evaluations.service.commands import AssignTask, FinaliseRating, ProposeRating
from evaluations.service.workplace import AssessmentSubmission
from kit.access_log import AccessLog
from kit.mongo import Document, SerialisedDatabase
from kit.testing import STAFF, calling_as
from pymongo import AsyncMongoClient
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)
from strawberry.dataloader import DataLoader

T = TypeVar("T")
PERIOD = "2019"
LIST = """
query ($ward: ID!) {
  evaluations(organisationId: $ward, period: "2019") {
    id state finalRating
    policyFindings { rule blocking overriddenBecause }
    assignments { id task result }
    workplaceAssessments { id rating }
    supervisionFeedback { id comment }
  }
}"""


class RoundTrips(CommandListener):
    count = 0

    def started(self, event: CommandStartedEvent) -> None:
        self.count += 1

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass


def each(
    fetch: Callable[[str, Period], Awaitable[list[T]]],
) -> Callable[[Sequence[MemberPeriod]], Awaitable[list[list[T]]]]:
    async def load(keys: Sequence[MemberPeriod]) -> list[list[T]]:
        return await asyncio.gather(*(fetch(member_id, period) for member_id, period in keys))

    return load


class OneByOne(Loaders):
    """The baseline: what the resolvers did before the loaders, through the service's
    per-evaluation methods, each evaluation on its own (all of them at once)."""

    def __init__(self, service: UseCases) -> None:
        super().__init__(service)
        self.assignments = DataLoader(
            each(lambda m, p: service.assignments.assignments_of(m, str(p)))
        )
        self.assessments = DataLoader(each(lambda m, p: service.workplace.of_member(m, str(p))))
        self.feedback = DataLoader(each(service.supervision.feedback_of))

    async def policy_findings(self, evaluation: Evaluation) -> list[Finding]:
        return await self.findings.policy_findings(evaluation)


def organisation(
    id: str, kind: str, ancestors: tuple[str, ...], cell_type: str | None = None
) -> KnownOrganisation:
    return KnownOrganisation(
        id=id,
        code=id.upper(),
        name=id,
        kind=kind,
        cell_type=cell_type,
        parent_id=ancestors[-1] if ancestors else None,
        ancestor_ids=ancestors,
        status="ACTIVE",
        version=1,
    )


@dataclass
class Ward:
    id: str
    members: list[str]


async def seeded_ward(service: UseCases, district: str, size: int) -> Ward:
    """A ward of `size` members: a quarter each DRAFT and PROPOSED, half FINALISED; half of them
    cadres, most with job results; two tasks each; feedback on the residential cells' cadres."""
    suffix = uuid.uuid4().hex[:6]
    ward = f"ward-{size}-{suffix}"
    await service.roster.learn_organisation(organisation(ward, "WARD_COMMITTEE", (district,)))
    cells = [f"{ward}-cell-{n}" for n in range(4)]
    for n, cell in enumerate(cells):
        kind = "AGENCY" if n == 0 else "RESIDENTIAL"
        await service.roster.learn_organisation(organisation(cell, "CELL", (district, ward), kind))
    members = [f"{ward}-m{n:03d}" for n in range(size)]
    for n, member_id in enumerate(members):
        role = "CADRE" if n % 2 else "OTHER"
        entry = RosterEntry(member_id, f"Đảng viên {n}", role, [Placement(cells[n % 4], None)])
        await service.roster.enrol(entry, 1, f"registered-{member_id}")
    assessed = [m for n, m in enumerate(members) if n % 2 and n % 7]
    await service.workplace.submit(
        "ubnd",
        [
            AssessmentSubmission(f"{m}-{PERIOD}", m, PERIOD, "PEOPLES_COMMITTEE_CHAIR", "UBND", r)
            for m, r in zip(assessed, ["EXCELLENT", "GOOD"] * size, strict=False)
        ],
    )
    for n, member_id in enumerate(members):
        for day in (1, 2):
            task = f"Nhiệm vụ {day} của đảng viên {n}"
            await service.assignments.assign_task(
                AssignTask(member_id, PERIOD, task, date(2019, 3, day))
            )
        if n % 4 and n % 2 and n + 4 < size:  # a cadre of a residential cell, by a neighbour
            await service.supervision.add_supervision_feedback(
                member_id, members[n + 4], PERIOD, "Gương mẫu"
            )
        if n % 4 == 1:
            await service.evaluations.propose_rating(
                ProposeRating(member_id, PERIOD, Rating.EXCELLENT, None, None), "chi bộ"
            )
        elif n % 4 >= 2:
            await finalised(service, member_id, Rating.EXCELLENT if n % 10 == 2 else Rating.GOOD)
    return Ward(ward, members)


async def finalised(service: UseCases, member_id: str, rating: Rating) -> None:
    """Finalised past whatever blocks it, with a reason."""
    await service.evaluations.propose_rating(
        ProposeRating(member_id, PERIOD, rating, None, None), "chi bộ"
    )
    evaluation_id = f"{member_id}:{PERIOD}"
    try:
        await service.finalisations.finalise_rating(
            FinaliseRating(evaluation_id, rating, None, {}), "đảng ủy"
        )
    except PolicyViolation as refused:
        reasons = {f["rule"]: "xem xét lại" for f in refused.details["findings"]}  # type: ignore[attr-defined]
        await service.finalisations.finalise_rating(
            FinaliseRating(evaluation_id, rating, None, reasons), "đảng ủy"
        )


async def listed(
    service: UseCases, access_log: AccessLog, ward: str, loaders: Loaders
) -> dict[str, Any]:
    context = EvaluationsContext(use_cases=service, principal=STAFF, access_log=access_log)
    context.loaders = loaders  # the run's, whose reads the bench counts
    with calling_as(STAFF):
        result = await schema.execute(LIST, {"ward": ward}, context_value=context)
    assert not result.errors, result.errors
    assert result.data is not None
    return result.data


async def timed(trips: RoundTrips, run: Callable[[], Awaitable[Any]]) -> tuple[float, int, Any]:
    trips.count = 0
    started = time.perf_counter()
    answer = await run()
    return (time.perf_counter() - started) * 1000, trips.count, answer


def report(label: str, times: list[float], trips: int) -> float:
    median = statistics.median(times)
    print(f"  {label:36} {median:9.1f} ms {trips:6d} round trips")
    return median


async def compare_lists(
    service: UseCases, access_log: AccessLog, trips: RoundTrips, ward: Ward, rounds: int
) -> None:
    cases = {
        "loaders (batched)": lambda: listed(service, access_log, ward.id, Loaders(service)),
        "one by one (baseline)": lambda: listed(service, access_log, ward.id, OneByOne(service)),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    trips_of: dict[str, int] = {}
    answers = {}
    for _ in range(rounds):
        for name, run in cases.items():
            elapsed, trips_of[name], answers[name] = await timed(trips, run)
            times[name].append(elapsed)
    print(f"a ward of {len(ward.members)} evaluations, median of {rounds} rounds")
    ours = report("loaders (batched)", times["loaders (batched)"], trips_of["loaders (batched)"])
    base_trips = trips_of["one by one (baseline)"]
    base = report("one by one (baseline)", times["one by one (baseline)"], base_trips)
    same = answers["loaders (batched)"] == answers["one by one (baseline)"]
    print(
        f"  batched against the baseline: x{base / ours:.1f} faster, "
        f"x{base_trips / trips_of['loaders (batched)']:.1f} fewer round trips, "
        f"same answer: {'yes' if same else 'NO'}"
    )


async def compare_lookups(repositories: MongoRepositories, ward: Ward, rounds: int) -> None:
    """Why the loaders read many members with one `$in` (the kit's `by_ids` does not for `_id`)."""
    period = Period.parse(PERIOD)
    members = ward.members
    single: list[float] = []
    many: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        await asyncio.gather(*(repositories.assignments.of_member(m, period) for m in members))
        single.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await repositories.assignments.of_members(members, period)
        many.append((time.perf_counter() - started) * 1000)
    one, scan = statistics.median(single), statistics.median(many)
    print(
        f"  tasks of {len(members):3d} members: {len(members)} concurrent queries "
        f"{one:8.1f} ms, one $in {scan:7.1f} ms (x{one / scan:.1f})"
    )


async def main(sizes: list[int], rounds: int, url: str) -> None:
    trips = RoundTrips()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        url, tz_aware=True, event_listeners=[trips]
    )
    name = f"bench_evaluations_{uuid.uuid4().hex[:8]}"
    db = SerialisedDatabase(client, name)
    repositories = MongoRepositories(db)
    service = use_cases(repositories, Policy())
    access_log = AccessLog(db, "evaluations")
    try:
        district = "district-bench"
        await service.roster.learn_organisation(organisation(district, "DISTRICT_COMMITTEE", ()))
        started = time.perf_counter()
        wards = [await seeded_ward(service, district, size) for size in sizes]
        print(f"seeded {sum(sizes)} members in {time.perf_counter() - started:.0f} s, {url}")
        for ward in wards:
            await compare_lists(service, access_log, trips, ward, rounds)
        print(f"one `$in` against concurrent single queries, median of {rounds} rounds")
        for ward in wards:
            await compare_lookups(repositories, ward, rounds)
    finally:
        await client.drop_database(name)
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mongodb-url", default="mongodb://127.0.0.1:27017/")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.sizes, arguments.rounds, arguments.mongodb_url))
