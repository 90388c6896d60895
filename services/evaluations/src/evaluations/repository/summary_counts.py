"""The counts an organisation's evaluation summary shows, kept per cell instead of counted by
reading every member of a ward or of the city.

`roster_counts`, one document per cell: how many members join (+) and leave (-) it on each day
of their placements; those on its list on a day are the sum up to that day. `evaluation_counts`,
one per cell and period: its stored evaluations by state and final rating, and by the cell the
roster places each member in for the period (to tell drafts from the stored ones).

A count is never moved by one: a write that changes a roster entry or an evaluation counts its
cells again from what is stored (one cell's members, not the city's), so that counting twice
changes nothing. Before the write, the cells are marked (`pending`, a token); the recount after
it takes the mark off. A mark left by a crash between the two makes the next summary count that
cell again before it answers. Recounts are versioned, and take the counts' write turn, so that
an older recount never overwrites a newer one.
"""

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta

from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import upgrade_once
from kit.mongo.lookups import by_ids, for_each_value
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from evaluations.domain import Period, RosterEntry
from evaluations.domain.counts import CountedCells
from evaluations.repository.roster_documents import roster_from

FROM_THE_START = ""  # the day of a placement with no date: before every other day
COUNTED = "summary counts kept per cell"
MARKS_LAPSE = timedelta(minutes=10)
CELLS_READ_BY_ID = 300  # past this many cells, a summary reads every cell's counts at once


def evaluation_key(cell_id: str, period: str) -> str:
    return f"{cell_id} {period}"


def day_changes(entry: RosterEntry, cell_id: str) -> Counter[str]:
    """+1 on each day the entry's placements bring the member into the cell, -1 on each day
    they take them out (as RosterEntry.cell_for_day reads them)."""
    changes: Counter[str] = Counter()
    ordered = sorted(entry.placements, key=lambda p: p.since or date.min)
    for placement, following in zip(ordered, [*ordered[1:], None], strict=True):
        if placement.cell_id != cell_id:
            continue
        changes[placement.since.isoformat() if placement.since else FROM_THE_START] += 1
        if following is not None:
            changes[following.since.isoformat() if following.since else FROM_THE_START] -= 1
    return changes


class MongoSummaryCounts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.roster_counts: AsyncCollection[Document] = db["roster_counts"]
        self.evaluation_counts: AsyncCollection[Document] = db["evaluation_counts"]
        self.roster: AsyncCollection[Document] = db["roster"]
        self.evaluations: AsyncCollection[Document] = db["evaluations"]

    @asynccontextmanager
    async def changing(
        self, cells: Collection[str], evaluation_keys: Collection[str] = ()
    ) -> AsyncIterator[None]:
        """Around a write that changes these cells' rosters or these (cell, period) evaluations:
        marked before, counted again after (also when the write failed half-way)."""
        token = f"{datetime.now(UTC).isoformat()} {uuid.uuid4().hex}"
        await self.mark(self.roster_counts, cells, token)
        await self.mark(self.evaluation_counts, evaluation_keys, token)
        try:
            yield
        finally:
            await self.recount(cells, evaluation_keys, token)

    @asynccontextmanager
    async def changing_members(
        self, member_ids: Sequence[str], new_cells: Collection[str]
    ) -> AsyncIterator[None]:
        """`changing` around a write of these members' roster entries or of where their
        evaluations are: the cells they were and will be in, and their evaluations' (whose
        drafts depend on where the roster places them) where they are and may go."""
        cells = await self.cells_of(member_ids) | set(new_cells)
        before = await self.evaluation_keys_of(member_ids)
        periods = {key.rsplit(" ", 1)[1] for key in before}  # their evaluations may follow
        following = {evaluation_key(cell, period) for cell in new_cells for period in periods}
        async with self.changing(cells, before | following):
            yield
        await self.recount((), await self.evaluation_keys_of(member_ids) - before)

    async def evaluation_keys_of(self, member_ids: Sequence[str]) -> set[str]:
        """The (cell, period) of every stored evaluation of these members."""
        found = await for_each_value(
            self.evaluations, "member_id", member_ids, None, {"cell_id": 1, "period": 1}
        )
        return {evaluation_key(d["cell_id"], d["period"]) for d in found}

    async def cells_of(self, member_ids: Sequence[str]) -> set[str]:
        """Every cell the roster has ever placed these members in."""
        found = await by_ids(self.roster, member_ids, {"cell_ids": 1})
        return {cell for d in found for cell in d.get("cell_ids") or ()}

    async def recount(
        self,
        cells: Collection[str],
        evaluation_keys: Collection[str],
        token: str | None = None,
        lapsed: Sequence[str] = (),
    ) -> None:
        """Count these cells again, each in the counts' write turn from its read to its write
        (an earlier recount cannot overwrite a later one), and take off this write's mark and
        the lapsed marks of writes that never came back."""
        done = [t for t in (token, *lapsed) if t]
        for cell_id in sorted(cells):
            async with exclusive_writes(self.roster_counts) as counts:
                await self._store(counts, cell_id, await self._roster_of(cell_id), done)
        for key in sorted(evaluation_keys):
            async with exclusive_writes(self.evaluation_counts) as counts:
                await self._store(counts, key, await self._evaluations_of(key), done)

    async def counted(self, cell_ids: Sequence[str], period: Period) -> CountedCells:
        """The counts of these cells for the period; a cell a write left marked is counted
        again first."""
        wanted = set(cell_ids)
        keys = [evaluation_key(c, str(period)) for c in cell_ids]
        roster = await self._read(self.roster_counts, cell_ids, wanted)
        evaluations = await self._read(self.evaluation_counts, keys, set(keys))
        marked_cells = [d["_id"] for d in roster if d.get("pending")]
        marked_keys = [d["_id"] for d in evaluations if d.get("pending")]
        if marked_cells or marked_keys:
            marks = {t for d in [*roster, *evaluations] for t in d.get("pending") or ()}
            await self.recount(marked_cells, marked_keys, None, sorted(filter(lapsed, marks)))
            roster = [d for d in roster if not d.get("pending")]
            roster += await by_ids(self.roster_counts, marked_cells)
            evaluations = [d for d in evaluations if not d.get("pending")]
            evaluations += await by_ids(self.evaluation_counts, marked_keys)
        found = CountedCells(documents_read=len(roster) + len(evaluations))
        last_day = period.ends_on.isoformat()
        for document in roster:
            days = counter_of(document.get("days"))
            found.on_roster += sum(n for day, n in days.items() if day <= last_day)
        for document in evaluations:
            found.by_state.update(counter_of(document.get("states")))
            found.by_rating.update(counter_of(document.get("ratings")))
            rostered = counter_of(document.get("rostered"))
            found.stored_on_roster += sum(n for cell, n in rostered.items() if cell in wanted)
        return found

    async def count_if_never_counted(self) -> None:
        """At start-up, once: the counts of a database kept before they were."""
        await upgrade_once(self.roster.database, COUNTED, self.recount_everything)

    async def recount_everything(self) -> int:
        """Every cell and (cell, period) counted from the whole roster and every evaluation
        (the counts of a database kept before they were)."""
        days: dict[str, Counter[str]] = {}
        async for document in self.roster.find({}, {"placements": 1}):
            entry = roster_from(document)
            for cell_id in entry.cells():
                days.setdefault(cell_id, Counter()).update(day_changes(entry, cell_id))
        async with exclusive_writes(self.roster_counts) as counts:
            for cell_id, changes in days.items():
                await self._store(counts, cell_id, {"days": stored(changes)}, [])
        keys = set()
        async for document in self.evaluations.find({}, {"cell_id": 1, "period": 1}):
            keys.add(evaluation_key(document["cell_id"], document["period"]))
        await self.recount((), keys)
        return len(days) + len(keys)

    async def _read(
        self, collection: AsyncCollection[Document], ids: Sequence[str], wanted: set[str]
    ) -> list[Document]:
        if len(ids) <= CELLS_READ_BY_ID:
            return await by_ids(collection, ids)
        return [d async for d in collection.find({}) if d["_id"] in wanted]

    async def _roster_of(self, cell_id: str) -> Document:
        found = await for_each_value(self.roster, "cell_ids", [cell_id], None, {"placements": 1})
        days: Counter[str] = Counter()
        for document in found:
            days.update(day_changes(roster_from(document), cell_id))
        return {"days": stored(days)}

    async def _evaluations_of(self, key: str) -> Document:
        cell_id, period_text = key.rsplit(" ", 1)
        found = await for_each_value(
            self.evaluations,
            "cell_id",
            [cell_id],
            {"period": period_text},
            {"member_id": 1, "state": 1, "final_rating": 1},
        )
        period = Period.parse(period_text)
        members = await by_ids(self.roster, [d["member_id"] for d in found], {"placements": 1})
        roster = {entry.member_id: entry for entry in map(roster_from, members)}
        rostered: Counter[str] = Counter()
        for document in found:
            entry = roster.get(document["member_id"])
            rostered[(entry.cell_for(period) if entry else None) or ""] += 1
        return {
            "cell_id": cell_id,
            "period": period_text,
            "states": stored(Counter(d["state"] for d in found)),
            "ratings": stored(Counter(d["final_rating"] for d in found if d.get("final_rating"))),
            "rostered": stored(rostered),
        }

    async def mark(
        self, collection: AsyncCollection[Document], ids: Collection[str], token: str
    ) -> None:
        """Mark these counts as about to change (a write follows, then a recount)."""
        if not ids:
            return
        async with exclusive_writes(collection) as counts:
            await counts.bulk_write(
                [UpdateOne({"_id": i}, {"$push": {"pending": token}}, upsert=True) for i in ids],
                ordered=False,
            )

    @staticmethod
    async def _store(
        counts: AsyncCollection[Document], key: str, counted: Document, done: Sequence[str]
    ) -> None:
        update: Document = {"$set": counted}
        if done:
            update["$pullAll"] = {"pending": list(done)}
        await counts.update_one({"_id": key}, update, upsert=True)


def stored(counter: Counter[str]) -> list[Document]:
    """A count by key as the store keeps it: a list of {key, n}. (FerretDB 1.24 takes a
    `$set` of a sub-document whose values equal the old one's, under other keys, for no
    change: {"2019-10-02": 1} does not replace {"2019-11-03": 1}.)"""
    return [{"key": key, "n": n} for key, n in sorted(counter.items()) if n]


def counter_of(kept: list[Document] | None) -> Counter[str]:
    return Counter({pair["key"]: pair["n"] for pair in kept or ()})


def lapsed(token: str) -> bool:
    """A mark older than any write takes: its writer stopped before counting again."""
    made = datetime.fromisoformat(token.split(" ", 1)[0])
    return datetime.now(UTC) - made > MARKS_LAPSE
