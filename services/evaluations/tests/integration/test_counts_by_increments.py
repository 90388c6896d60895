"""A roster write moves its cells' roster counts by increments, exactly once in effect: a batch
applied again after a stop between its roster write and its increments, or between its
increments and taking its token off, neither loses them nor adds them twice."""

import asyncio
import uuid
from datetime import date
from typing import Any, TypeVar

import pytest
from evaluations.domain import Placement, Policy, RosterEntry
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories, count_increments, summary_counts
from evaluations.repository.count_increments import CountIncrements
from evaluations.repository.summary_counting import CountKeys, compacted
from evaluations.service import UseCases
from evaluations.service.roster_ports import Enrolment
from kit.testing import ServiceUnderTest

from services.evaluations.tests.integration.test_summary_counts import kept, recounted

PERIODS = ("2019-09", "2019-10")
T = TypeVar("T")


class Stopped(Exception):
    """The process stopped here (as a kill at a crash point would stop it)."""


def stopping_once(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make CountIncrements.<name> stop the write once, the first time it is called."""
    original = getattr(CountIncrements, name)
    calls = {"n": 0}

    async def stop_once(self: CountIncrements, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise Stopped(name)
        await original(self, *args, **kwargs)

    monkeypatch.setattr(CountIncrements, name, stop_once)


async def same_as_a_recount(service: UseCases, *organisations: str) -> None:
    for organisation in organisations:
        for period in PERIODS:
            assert await kept(service, organisation, period) == await recounted(
                service, organisation, period
            ), (organisation, period)


async def not_inserted(service: ServiceUnderTest, members: list[str]) -> set[str]:
    """The tokens these members' entries carry whose increments are not added."""
    db = service.app.state.runtime.db
    carried = {
        token
        async for document in db["roster"].find({"_id": {"$in": members}}, {"uncounted": 1})
        for token in document.get("uncounted") or {}
    }
    assert carried, "the entries carry the tokens of their writes"
    added = {"_id": {"$in": list(carried)}, "folded": {"$in": [False, True]}}
    found = await db["roster_increments"].find(added).to_list()
    return carried - {document["_id"] for document in found}


def in_parts(batch: list[T], parts: int) -> list[list[T]]:
    """A batch as a consumer may take it again after a stop: its messages in `parts` batches."""
    size = -(-len(batch) // parts)
    return [batch[start : start + size] for start in range(0, len(batch), size)]


def entry(member_id: str, cell: str) -> RosterEntry:
    return RosterEntry(member_id, f"Trần Thị {member_id[-4:]}", "CADRE", [Placement(cell, None)])


@pytest.mark.parametrize(("stop_at", "parts"), [("add", 1), ("add", 3), ("settle", 1)])
async def test_registrations_applied_again_after_a_stop_are_counted_once(
    scenario: Any,
    service: ServiceUnderTest,
    monkeypatch: pytest.MonkeyPatch,
    stop_at: str,
    parts: int,
) -> None:
    district, ward, (agency, first, _) = await scenario.ward()
    await scenario.until_known(district, ward, agency, first)
    evaluations = use_cases(MongoRepositories(service.app.state.runtime.db), Policy())
    members = [f"member-{uuid.uuid4().hex[:8]}" for _ in range(7)]
    batch = [
        Enrolment(entry(m, (first, agency)[n % 2]), 1, f"e-{m}") for n, m in enumerate(members)
    ]
    on_roster_before = (await kept(evaluations, ward, "2019-10"))[0]

    stopping_once(monkeypatch, stop_at)
    with pytest.raises(Stopped):
        await evaluations.roster.enrol_many(batch)
    for part in in_parts(batch, parts):  # the batch delivered again (in smaller batches)
        await evaluations.roster.enrol_many(part)
    await evaluations.roster.enrol_many(batch[:3])  # and a part of it once more

    assert (await kept(evaluations, ward, "2019-10"))[0] == on_roster_before + len(members)
    await same_as_a_recount(evaluations, ward, agency, first)
    assert await not_inserted(service, members) == set()


@pytest.mark.parametrize(("stop_at", "parts"), [("add", 1), ("add", 3), ("settle", 1)])
async def test_moves_applied_again_after_a_stop_are_counted_once(
    scenario: Any,
    service: ServiceUnderTest,
    monkeypatch: pytest.MonkeyPatch,
    stop_at: str,
    parts: int,
) -> None:
    district, ward, (agency, first, second) = await scenario.ward()
    await scenario.until_known(district, ward, agency, first, second)
    members = [await scenario.member(agency, role) for role in ("CADRE", "OTHER") * 3]
    for member in members:
        await scenario.until_evaluated_by(member, "2019-10", agency)
    evaluations = use_cases(MongoRepositories(service.app.state.runtime.db), Policy())
    moves = [
        (m, Placement((first, second)[n % 2], date(2019, 10, 8), f"t-{m}"), f"e-{m}")
        for n, m in enumerate(members)
    ]

    stopping_once(monkeypatch, stop_at)
    with pytest.raises(Stopped):
        await evaluations.roster.record_transfers(moves, [agency])
    for part in in_parts(moves, parts):  # the batch delivered again (in smaller batches)
        await evaluations.roster.record_transfers(part, [agency])

    assert (await kept(evaluations, agency, "2019-10"))[0] == 0
    assert (await kept(evaluations, agency, "2019-09"))[0] == len(members)
    assert (await kept(evaluations, first, "2019-10"))[0] == 3
    await same_as_a_recount(evaluations, ward, agency, first, second)
    assert await not_inserted(service, members) == set()


@pytest.mark.parametrize("stop", [False, True])
async def test_increments_folded_into_the_counts_are_counted_once(
    scenario: Any, service: ServiceUnderTest, monkeypatch: pytest.MonkeyPatch, stop: bool
) -> None:
    district, ward, (agency, first, _) = await scenario.ward()
    await scenario.until_known(district, ward, agency, first)
    db = service.app.state.runtime.db
    evaluations = use_cases(MongoRepositories(db), Policy())
    on_roster_before = (await kept(evaluations, ward, "2019-10"))[0]
    monkeypatch.setattr(count_increments, "FOLD_EVERY", 2)
    if stop:  # a fold stops after the counts took the increments, before they are marked
        stopping_once(monkeypatch, "mark_folded")
    stopped = 0
    for n in range(5):
        member = f"member-{uuid.uuid4().hex[:8]}"
        batch = [Enrolment(entry(member, (first, agency)[n % 2]), 1, f"e-{member}")]
        try:
            await evaluations.roster.enrol_many(batch)
        except Stopped:  # the entry and its increments are in: the next batch's fold folds again
            stopped += 1

    assert stopped == int(stop)
    assert (await kept(evaluations, ward, "2019-10"))[0] == on_roster_before + 5
    await same_as_a_recount(evaluations, ward, agency, first)
    unfolded = await db["roster_increments"].count_documents({"cells": first, "folded": False})
    assert unfolded <= 1
    counts = await db["roster_counts"].find_one({"_id": first})
    assert counts is not None
    assert len(counts["applied"]) <= 2  # the last fold's, until the cell's next


async def test_a_fold_and_a_recount_while_a_summary_reads_are_not_counted_twice(
    scenario: Any, service: ServiceUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    district, ward, (agency, first, _) = await scenario.ward()
    await scenario.until_known(district, ward, agency, first)
    db = service.app.state.runtime.db
    evaluations = use_cases(MongoRepositories(db), Policy())
    members = [f"member-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    await evaluations.roster.enrol_many([Enrolment(entry(m, agency), 1, f"e-{m}") for m in members])
    moves = [(m, Placement(first, date(2019, 10, 8), f"t-{m}"), f"e-{m}") for m in members]
    await evaluations.roster.record_transfers(moves, [agency])  # its increments not folded
    expected = [await recounted(evaluations, ward, period) for period in PERIODS]

    # another writer of the process, between the summary's read of the unfolded increments
    # and its read of the counts: folds them, then counts the cells again
    writer = MongoRepositories(db).summary_counts
    read_unfolded = CountIncrements.unfolded_of
    writing: list[asyncio.Task[None]] = []

    async def fold_and_recount() -> None:
        async with writer.increments.writing() as counts:
            await writer.increments.fold(counts)
        await writer.recount(CountKeys(cells=frozenset({agency, first})), [])

    async def unfolded_of(self: CountIncrements, cell_ids: Any) -> list[Any]:
        found = await read_unfolded(self, cell_ids)
        if not writing:
            writing.append(asyncio.create_task(fold_and_recount()))
            await asyncio.sleep(0.5)  # its turn, if the summary's read leaves it one
        return found

    monkeypatch.setattr(CountIncrements, "unfolded_of", unfolded_of)
    assert [await kept(evaluations, ward, period) for period in PERIODS] == expected
    await writing[0]
    assert await db["roster_increments"].count_documents({"cells": first, "folded": False}) == 0
    assert [await kept(evaluations, ward, period) for period in PERIODS] == expected


async def test_counts_that_kept_their_tokens_as_a_list_keep_them_by_name(
    service: ServiceUnderTest,
) -> None:
    db = service.app.state.runtime.db
    cell = f"cell-{uuid.uuid4().hex[:8]}"
    await db["roster_counts"].insert_one({"_id": cell, "days": "", "applied": ["t1", "t2"]})

    assert await CountIncrements(db).upgrade_applied() >= 1

    counts = await db["roster_counts"].find_one({"_id": cell})
    assert counts is not None
    assert counts["applied"] == {"t1": 1, "t2": 1}


async def test_a_count_that_took_many_days_is_compacted_when_read_and_counts_the_same(
    scenario: Any, service: ServiceUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each member joins the cell on a day of their own: its count takes a field a day, until
    a summary reads it over COMPACT_AT of them and writes them into its days, unless the count
    changed meanwhile."""
    district, ward, (agency, first, _) = await scenario.ward()
    await scenario.until_known(district, ward, agency, first)
    db = service.app.state.runtime.db
    evaluations = use_cases(MongoRepositories(db), Policy())
    monkeypatch.setattr(count_increments, "FOLD_EVERY", 1)
    monkeypatch.setattr(summary_counts, "COMPACT_AT", 3)
    joined = [date(2019, month, 1) for month in range(1, 8)]  # Jan to Jul: 7 days
    for day in joined[:4]:
        member = f"member-{uuid.uuid4().hex[:8]}"
        await evaluations.roster.enrol_many(
            [Enrolment(dated(member, first, day), 1, f"e-{member}")]
        )
    stale = await db["roster_counts"].find_one({"_id": first})
    assert stale is not None and len(stale["added"]) == 4

    for day in joined[4:]:  # the count changes after `stale` was read: its compaction misses
        member = f"member-{uuid.uuid4().hex[:8]}"
        await evaluations.roster.enrol_many(
            [Enrolment(dated(member, first, day), 1, f"e-{member}")]
        )
    refused = await db["roster_counts"].update_one(*compacted(stale))
    assert refused.modified_count == 0

    on_each_month = [(await kept(evaluations, first, f"2019-{m:02d}"))[0] for m in range(1, 9)]
    assert on_each_month == [1, 2, 3, 4, 5, 6, 7, 7]
    counts = await db["roster_counts"].find_one({"_id": first})
    assert counts is not None
    assert "added" not in counts and "added_required" not in counts
    assert counts["days"] == ",".join(f"{day.isoformat()}=1" for day in joined)
    again = [(await kept(evaluations, first, f"2019-{m:02d}"))[0] for m in range(1, 9)]
    assert again == on_each_month
    await same_as_a_recount(evaluations, ward, first)


def dated(member_id: str, cell: str, since: date) -> RosterEntry:
    return RosterEntry(member_id, f"Lê Văn {member_id[-4:]}", "CADRE", [Placement(cell, since)])
