"""The counts an organisation's evaluation summary shows, kept per cell instead of counted by
reading every member of a ward or of the city.

`roster_counts`, one document per cell: how many members join (+) and leave (-) it on each day
of their placements, of all and of those whose job results count; those on its list on a day
are the sum up to that day. `evaluation_counts`, one per cell and period: its stored
evaluations by state and final rating, and by the cell the roster places each member in for
the period (to tell drafts from the stored ones) — with or without the job results they need.
`assessment_counts`, one per cell and period: of the members the roster places in the cell
for the period, those whose job results count and are in.

Registrations and moves change the roster counts by increments (`count_increments`). Any other
write counts its cells again from what is stored (one cell's members, not the city's), so that
counting twice changes nothing: before it, the counts are marked (`pending`); the recount after
it takes the mark off. A mark a crash left between the two makes the next
summary count again before it answers. Each recount holds the counts' write turn from its read
to its write, so that an earlier recount never overwrites a later one.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from contextlib import asynccontextmanager

from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import bulk_write_in_parts, upgrade_once
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from evaluations.domain import Period, RosterEntry, WorkplaceAssessment
from evaluations.domain.counts import CountedCells
from evaluations.repository.count_increments import (
    APPLIED,
    UNCOUNTED,
    CountIncrements,
    tokens_of,
    with_unfolded,
)
from evaluations.repository.roster_documents import roster_from
from evaluations.repository.summary_counting import (
    ADDED,
    ADDED_REQUIRED,
    CountKeys,
    cell_and_period,
    compacted,
    evaluations_counted,
    lapsed,
    marked,
    new_mark,
    period_key,
    roster_counted,
    summed,
)
from evaluations.repository.summary_keys import ID_KEYS, SummaryKeys
from evaluations.service.roster_ports import Move

COUNTED = "summary counts kept per cell (4)"  # (4): a cell's counts name it, `cell_id`
BY_ID = 300  # past this many cells, a summary reads a period's counts of every cell
COMPACT_AT = 16  # a roster count read with increments of more days than this is compacted
BY_PERIOD = (Index("period", ("period",)), Index("cell_id", ("cell_id",)))
ENTRY = {"placements": 1, "workplace_role": 1, UNCOUNTED: 1}


class MongoSummaryCounts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.roster_counts: AsyncCollection[Document] = db["roster_counts"]
        self.evaluation_counts: AsyncCollection[Document] = db["evaluation_counts"]
        self.assessment_counts: AsyncCollection[Document] = db["assessment_counts"]
        self.roster: AsyncCollection[Document] = db["roster"]
        self.evaluations: AsyncCollection[Document] = db["evaluations"]
        self.assessments: AsyncCollection[Document] = db["workplace_assessments"]
        self.keys = SummaryKeys(db)
        self.increments = CountIncrements(db)

    async def create_indexes(self) -> None:
        await create_indexes(self.evaluation_counts, BY_PERIOD)
        await create_indexes(self.assessment_counts, BY_PERIOD)
        await upgrade_once(self.roster.database, COUNTED, self.recount_everything)

    # around the writes that change them

    @asynccontextmanager
    async def changing(self, keys: CountKeys) -> AsyncIterator[None]:
        """Around a write that changes these counts: marked before, counted again after (also
        when the write failed half-way)."""
        mark = new_mark()
        for collection, ids in self._kinds(keys):
            await self.mark(collection, ids, mark)
        try:
            yield
        finally:
            await self.recount(keys, [mark])

    @asynccontextmanager
    async def changing_members(
        self, member_ids: Sequence[str], new_cells: Collection[str], *, roster_only: bool = False
    ) -> AsyncIterator[None]:
        """`changing` around a write of these members' roster entries or profiles, or of where
        their evaluations are: the counts of the cells they were and will be in, for the
        periods of their evaluations and job results. `roster_only`: a write of roster entries
        alone, which changes no evaluation or job result and places no one beyond `new_cells`:
        every count it changes is known before it, and is not looked for again after."""
        before = await self.keys.of_members(member_ids, new_cells)
        async with self.changing(before):
            yield
        if not roster_only:
            await self.recount(await self.keys.of_members(member_ids, ()) - before, [])

    @asynccontextmanager
    async def changing_moves(
        self, moves: Sequence[Move], entries: Mapping[str, RosterEntry], *, roster: bool = True
    ) -> AsyncIterator[None]:
        """`changing` around these moves of roster entries (`roster`) or of the members' open
        evaluations, the counts they change found from the moves and the entries before them
        (`SummaryKeys.of_moves`), not member by member, once, before the write."""
        async with self.changing(await self.keys.of_moves(moves, entries, roster=roster)):
            yield

    @asynccontextmanager
    async def changing_assessments(
        self, assessments: Sequence[WorkplaceAssessment]
    ) -> AsyncIterator[None]:
        """`changing` around a write of these job results; the cells the roster places their
        members in are read again after it (a move written meanwhile, whose evaluations
        followed before these results were counted, has not counted them)."""
        assessed = [(a.member_id, a.period) for a in assessments]
        before = await self._places(assessed)
        evaluations = await for_each_value(
            self.evaluations, "_id", [f"{m}:{period}" for m, period in assessed], None, ID_KEYS
        )
        keys = frozenset(period_key(d["cell_id"], d["period"]) for d in evaluations)
        async with self.changing(CountKeys(evaluations=keys, assessments=before)):
            yield
        await self.recount(CountKeys(assessments=await self._places(assessed) - before), [])

    async def _places(self, assessed: Sequence[tuple[str, Period]]) -> frozenset[str]:
        entries = {e.member_id: e for e in await self._entries([m for m, _ in assessed])}
        return frozenset(
            period_key(cell, str(period))
            for member_id, period in assessed
            if (entry := entries.get(member_id)) and (cell := entry.cell_for(period))
        )

    # counting

    async def recount(self, keys: CountKeys, done: Sequence[str]) -> None:
        """Count these again, each in its counts' write turn from its read to its write, and
        take off the marks `done` (this write's, and lapsed ones)."""
        counting: list[tuple[AsyncCollection[Document], Callable[[str], Awaitable[Document]]]]
        counting = [
            (self.roster_counts, self._roster_of),
            (self.evaluation_counts, self._evaluations_of),
            (self.assessment_counts, self._assessments_of),
        ]
        for (collection, count), (_, ids) in zip(counting, self._kinds(keys), strict=True):
            for key in sorted(ids):
                async with exclusive_writes(collection) as counts:
                    update = await count(key)
                    if done:
                        update["$pullAll"] = {"pending": list(done)}
                    await counts.update_one({"_id": key}, update, upsert=True)

    async def counted(self, cell_ids: Sequence[str], period: Period) -> CountedCells:
        """The counts of these cells for the period; counts a write left marked are counted
        again first."""
        wanted, text = set(cell_ids), str(period)
        roster, evaluations, assessed = await self._read(cell_ids, text)
        marked = CountKeys(
            *(
                frozenset(d["_id"] for d in ds if d.get("pending"))
                for ds in (roster, evaluations, assessed)
            )
        )
        if marked != CountKeys():
            marks = {
                m
                for ds in (roster, evaluations, assessed)
                for d in ds
                for m in d.get("pending") or ()
            }
            await self.recount(marked, sorted(filter(lapsed, marks)))
            roster, evaluations, assessed = await self._read(cell_ids, text)
        return summed(roster, evaluations, assessed, wanted, period)

    async def recount_everything(self) -> int:
        """Every count made from the whole roster, every evaluation and every job result (the
        counts of a database kept before they were)."""
        cells: set[str] = set()
        evaluations: set[str] = set()
        assessments: set[str] = set()
        async for document in self.roster.find({}, {"cell_ids": 1}):
            cells.update(document.get("cell_ids") or ())
        async for document in self.evaluations.find({}, ID_KEYS):
            evaluations.add(period_key(document["cell_id"], document["period"]))
        assessed = [d async for d in self.assessments.find({}, {"member_id": 1, "period": 1})]
        entries = {e.member_id: e for e in await self._entries([d["member_id"] for d in assessed])}
        for document in assessed:
            entry = entries.get(document["member_id"])
            cell = entry.cell_for(Period.parse(document["period"])) if entry else None
            if cell:
                assessments.add(period_key(cell, document["period"]))
        keys = CountKeys(frozenset(cells), frozenset(evaluations), frozenset(assessments))
        await self.recount(keys, [])
        return len(cells) + len(evaluations) + len(assessments)

    async def mark(
        self, collection: AsyncCollection[Document], ids: Collection[str], mark: str
    ) -> None:
        """Mark these counts as about to change (a write follows, then a recount); a count of
        a cell's period names them, so that a move's keys find it (`SummaryKeys.of_moves`)."""
        if ids:
            named = collection.name != self.roster_counts.name
            async with exclusive_writes(collection) as counts:
                await counts.bulk_write(
                    [UpdateOne({"_id": i}, marked(i, mark, named), upsert=True) for i in ids],
                    ordered=False,
                )

    def _kinds(self, keys: CountKeys) -> list[tuple[AsyncCollection[Document], frozenset[str]]]:
        return [
            (self.roster_counts, keys.cells),
            (self.evaluation_counts, keys.evaluations),
            (self.assessment_counts, keys.assessments),
        ]

    async def _read(self, cell_ids: Sequence[str], period: str) -> list[list[Document]]:
        keys = [period_key(cell, period) for cell in cell_ids]
        by_id = len(cell_ids) <= BY_ID  # by id: FerretDB reads every count for an `$in`
        if by_id:
            return list(
                await asyncio.gather(
                    self._roster_read(cell_ids, by_id=True),
                    by_ids(self.evaluation_counts, keys),
                    by_ids(self.assessment_counts, keys),
                )
            )
        keyed = set(keys)
        return [
            await self._roster_read(cell_ids, by_id=False),
            [d async for d in self.evaluation_counts.find({"period": period}) if d["_id"] in keyed],
            [d async for d in self.assessment_counts.find({"period": period}) if d["_id"] in keyed],
        ]

    async def _roster_read(self, cell_ids: Sequence[str], *, by_id: bool) -> list[Document]:
        """The roster counts of these cells with the increments they have not taken added,
        both read in the counts' write turn: a fold and a recount between the two reads would
        have the counts take an increment the increments read before showed unfolded, and it
        would be added twice."""
        wanted = set(cell_ids)
        async with exclusive_writes(self.roster_counts) as counts:
            unfolded = await self.increments.unfolded_of(cell_ids if by_id else None)
            if by_id:
                roster = await by_ids(counts, cell_ids)
            else:
                roster = [d async for d in counts.find({}) if d["_id"] in wanted]
            await self._compact(counts, roster)
        return with_unfolded(roster, unfolded, wanted)

    async def _compact(self, counts: AsyncCollection[Document], roster: list[Document]) -> None:
        """Of these roster counts as read, each that took increments of more than COMPACT_AT
        days is written compacted (`compacted`): the same counts, read faster the next time."""
        grown = [d for d in roster if len(d.get(ADDED) or ()) > COMPACT_AT]
        if grown:
            updates = [UpdateOne(*compacted(document)) for document in grown]
            await bulk_write_in_parts(counts, updates, [d["_id"] for d in grown], tell=False)

    async def _entries(self, member_ids: Sequence[str]) -> list[RosterEntry]:
        return [roster_from(d) for d in await by_ids(self.roster, member_ids, ENTRY)]

    async def _placed(self, cell_id: str) -> list[RosterEntry]:
        return [roster_from(document) for document in await self._placed_documents(cell_id)]

    async def _placed_documents(self, cell_id: str) -> list[Document]:
        return await for_each_value(self.roster, "cell_ids", [cell_id], None, ENTRY)

    async def _assessed(self, member_ids: Sequence[str], period: str) -> set[str]:
        found = await for_each_value(
            self.assessments, "member_id", member_ids, {"period": period}, {"member_id": 1}
        )
        return {document["member_id"] for document in found}

    async def _roster_of(self, cell_id: str) -> Document:
        """A cell's roster counted from every entry placed in it; the tokens of the increments
        not folded yet, or not inserted yet, are those it has taken (`CountIncrements`)."""
        placed = await self._placed_documents(cell_id)
        carried = {token for document in placed for token in tokens_of(document)}
        applied = await self.increments.applied_in_a_recount(cell_id, carried)
        counted = roster_counted([roster_from(d) for d in placed], cell_id)
        return {"$set": counted | {APPLIED: applied}, "$unset": {ADDED: "", ADDED_REQUIRED: ""}}

    async def _evaluations_of(self, key: str) -> Document:
        cell_id, period = cell_and_period(key)
        found = await for_each_value(
            self.evaluations, "cell_id", [cell_id], {"period": period}, EVALUATION_COUNTED
        )
        entries = await self._entries([d["member_id"] for d in found])
        counting = [e.member_id for e in entries if e.workplace_results_required]
        assessed = await self._assessed(counting, period)
        return {
            "$set": {"cell_id": cell_id, **evaluations_counted(found, entries, assessed, period)}
        }

    async def _assessments_of(self, key: str) -> Document:
        cell_id, period = cell_and_period(key)
        placed = [
            entry.member_id
            for entry in await self._placed(cell_id)
            if entry.workplace_results_required and entry.cell_for(Period.parse(period)) == cell_id
        ]
        assessed = len(await self._assessed(placed, period))
        return {"$set": {"cell_id": cell_id, "period": period, "required_assessed": assessed}}


EVALUATION_COUNTED = {"member_id": 1, "state": 1, "final_rating": 1}
