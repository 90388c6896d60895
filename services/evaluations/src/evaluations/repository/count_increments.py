"""A roster write changes its cells' roster counts by increments derived from the write itself:
no member looked up, no cell counted again, no count document updated on the way.

Before the write, a document of `roster_increments` whose id is a token of the write's own
names the members it writes (`begin`). The write leaves its increments on each entry it
changes, under the token (`uncounted.<token>`: "cell day all required" rows), in the same
single-document update. The increments of the entries that carry the token are then set on
that document (`add`), once: only a document not added yet takes them. Readers add the
unfolded increments to the count documents they read, in the counts' write turn. Now and then
(every FOLD_EVERY batches) they are folded into the count documents, one update a cell guarded
by the tokens (`applied.<token>`: the increments a count document has taken, which readers
then leave out), then marked folded; a fold cut short is done again, its tokens passed by. A
crash between the roster write and `add` leaves tokens on the entries whose document is not
added: the events come again (in batches of their own, not the one cut short), their roster
writes change nothing, and `redo` adds what every member the document names carries. A
recount of a cell counts every entry placed in it and takes as applied the tokens whose
increments are not folded yet or not added yet (`applied_in_a_recount`), no others. The
tokens stay on the entries.
"""

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Collection, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress

from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import bulk_write_in_parts
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import RosterEntry
from evaluations.repository.summary_counting import (
    ADDED,
    ADDED_REQUIRED,
    START_FIELD,
    day_changes,
)

UNCOUNTED = "uncounted"
APPLIED = "applied"  # on a count document: {token: 1} of the increments it took
FOLD_EVERY = 32  # batches of increments read beside the counts before they are folded in
BY_CELL = 16  # past this many cells, a summary reads every unfolded increments document
INCREMENTS_INDEXES = (
    Index("unfolded", ("folded",)),
    Index("cells", ("cells", "folded")),
)

Row = tuple[str, str, int, int]  # cell, day, all, of those whose job results count


def new_token() -> str:
    return uuid.uuid4().hex


def increments(before: RosterEntry | None, after: RosterEntry) -> list[Row]:
    """How the write of `after` over `before` (None: a new entry) changes its cells' joins and
    leaves by day, of all and of those whose job results count."""
    changes: Counter[tuple[str, str, bool]] = Counter()
    for sign, entry in ((-1, before), (1, after)):
        if entry is None:
            continue
        required = entry.workplace_results_required
        for cell in entry.cells():
            for day, n in day_changes(entry, cell).items():
                changes[(cell, day, required)] += sign * n
    rows: Counter[tuple[str, str]] = Counter()
    required_rows: Counter[tuple[str, str]] = Counter()
    for (cell, day, required), n in changes.items():
        rows[(cell, day)] += n
        required_rows[(cell, day)] += n if required else 0
    return [
        (cell, day, n, required_rows[(cell, day)])
        for (cell, day), n in sorted(rows.items())
        if n or required_rows[(cell, day)]
    ]


def carrying(
    update: tuple[Document, Document], token: str, rows: Sequence[Row]
) -> tuple[Document, Document]:
    """A guarded roster update that also leaves its increments on the entry, under its token."""
    guard, change = update
    fields = {f"{UNCOUNTED}.{token}": kept_rows(rows)}
    return guard, {**change, "$set": {**change.get("$set", {}), **fields}}


def tokens_of(document: Document) -> list[str]:
    return list(document.get(UNCOUNTED) or {})


class CountIncrements:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.roster: AsyncCollection[Document] = db["roster"]
        self.roster_counts: AsyncCollection[Document] = db["roster_counts"]
        self.increments: AsyncCollection[Document] = db["roster_increments"]
        self.prunable: dict[str, set[str]] = {}  # by cell, tokens folded since its last fold
        self.unfolded = 0  # batches added since the last fold

    async def create_indexes(self) -> None:
        await create_indexes(self.increments, INCREMENTS_INDEXES)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncCollection[Document]]:
        """Around a roster write and its increments (`add`): no recount of this process comes
        between them (a recount reads the roster and the increments, then sets the counts)."""
        async with exclusive_writes(self.roster_counts) as counts:
            yield counts

    async def begin(self, token: str, member_ids: Sequence[str]) -> None:
        """Before a roster write under this token, in the counts' write turn (`writing`): the
        members it writes, whose entries `add` reads again if a stop cuts it short."""
        await self.increments.insert_one({"_id": token, "folded": None, "members": member_ids})

    async def add(self, token: str, rows: Iterable[Row], *, begun: bool = True) -> None:
        """These increments under their token, unless they are in already, in the counts'
        write turn (`writing`); a token not `begun` (a write stored before they were) has its
        document inserted."""
        kept = kept_rows(rows)
        cells = sorted({row.split(" ", 1)[0] for row in kept})
        added = {"folded": not kept, "cells": cells, "rows": kept}  # none: nothing to fold
        if begun:
            await self.increments.update_one(
                {"_id": token, "folded": None}, {"$set": added, "$unset": {"members": ""}}
            )
        elif kept:
            with suppress(DuplicateKeyError):  # inserted before: by this write before a stop
                await self.increments.insert_one({"_id": token, **added})

    async def settle(self) -> None:
        """One batch's increments more; every FOLD_EVERY, fold them into the count documents."""
        self.unfolded += 1
        if self.unfolded >= FOLD_EVERY:
            async with self.writing() as counts:
                await self.fold(counts)

    async def fold(self, counts: AsyncCollection[Document]) -> None:
        """Add the unfolded increments to the count documents that have not taken them (one
        update a cell, guarded by the tokens), then mark them folded."""
        found = await self.increments.find({"folded": False}).to_list()
        if not found:
            return
        by_cell = folded_by_cell(found)
        cells = sorted(by_cell)
        updates = [
            UpdateOne(
                {"_id": cell, **{f"{APPLIED}.{t}": {"$exists": False} for t in tokens}},
                taking(tokens, fields, self.prunable.pop(cell, set())),
            )
            for cell, (tokens, fields) in sorted(by_cell.items())
        ]
        # in parts: FerretDB holds two connections for each update of a bulk write until all
        # of it is done, and a city's fold may touch hundreds of cells
        matched, _ = await bulk_write_in_parts(counts, updates, cells, tell=False)
        if matched < len(by_cell):  # new cells, or a fold cut short before
            await self._fold_rest(counts, found)
        await self.mark_folded([d["_id"] for d in found])
        for cell, (tokens, _) in by_cell.items():
            self.prunable.setdefault(cell, set()).update(tokens)
        self.unfolded = 0

    async def mark_folded(self, tokens: Sequence[str]) -> None:
        """These increments are in the count documents: readers leave them out now."""
        folded = {"$set": {"folded": True}, "$unset": {"rows": "", "cells": ""}}
        updates = [UpdateOne({"_id": t, "folded": False}, folded) for t in tokens]
        await bulk_write_in_parts(self.increments, updates, tokens, tell=False)

    async def _fold_rest(self, counts: AsyncCollection[Document], found: list[Document]) -> None:
        """Of these increments, those a count document has not taken (or has no document)."""
        by_cell = folded_by_cell(found)
        stored = {d["_id"]: d for d in await by_ids(counts, list(by_cell), {APPLIED: 1})}
        for cell in sorted(by_cell):
            taken = (stored.get(cell) or {}).get(APPLIED) or {}
            rest = [d for d in found if d["_id"] not in taken]
            if not (left := folded_by_cell(rest).get(cell)):
                continue
            new, fields = left
            guard = {f"{APPLIED}.{t}": {"$exists": False} for t in new}
            await counts.update_one({"_id": cell, **guard}, taking(new, fields, ()), upsert=True)

    async def unfolded_of(self, cell_ids: Sequence[str] | None) -> list[Document]:
        """The increments not folded yet: of these cells (one query a cell, up to BY_CELL), or
        of every cell (one query: at most FOLD_EVERY batches' since the last fold)."""
        if cell_ids is None or len(cell_ids) > BY_CELL:
            return await self.increments.find({"folded": False}).to_list()
        return await for_each_value(self.increments, "cells", cell_ids, {"folded": False})

    async def applied_in_a_recount(self, cell_id: str, carried: Collection[str]) -> Document:
        """The tokens a cell's count takes when counted from its entries, which carry these:
        those not added yet (a redo may add them) and those not folded yet."""
        stored = await by_ids(self.increments, list(carried), {"folded": 1})
        missing = set(carried) - {d["_id"] for d in stored if d.get("folded") is not None}
        unfolded = await for_each_value(
            self.increments, "cells", [cell_id], {"folded": False}, {"_id": 1}
        )
        return dict.fromkeys(sorted(missing | {d["_id"] for d in unfolded}), 1)

    async def carried(self, token: str, member_ids: Sequence[str]) -> list[Row]:
        """The increments the entries carry under this token (those the write changed)."""
        found = await by_ids(self.roster, member_ids, {f"{UNCOUNTED}.{token}": 1})
        return [rows_of(row) for d in found for row in (d.get(UNCOUNTED) or {}).get(token, ())]

    async def redo(self, member_ids: Sequence[str]) -> None:
        """Add the increments of the writes of these entries that stopped before they added
        them (a crash), once each: what every member a write names carries, wherever the
        members' events come again."""
        found = await by_ids(self.roster, member_ids, {UNCOUNTED: 1})
        carrying: dict[str, list[str]] = {}
        for document in found:
            for token in document.get(UNCOUNTED) or {}:
                carrying.setdefault(token, []).append(document["_id"])
        begun = {"folded": 1, "members": 1}  # not the rows of every earlier write's
        stored = {d["_id"]: d for d in await by_ids(self.increments, list(carrying), begun)}
        for token in sorted(carrying):
            kept = stored.get(token)
            if kept is not None and kept.get("folded") is not None:
                continue  # added
            writers = kept["members"] if kept is not None else carrying[token]
            rows = await self.carried(token, writers)
            async with self.writing():
                await self.add(token, rows, begun=kept is not None)
            await self.settle()

    async def upgrade_applied(self) -> int:
        """Count documents that kept their tokens as a list (before the increments were
        inserted) keep them by name."""
        changed = 0
        async for document in self.roster_counts.find({}, {APPLIED: 1}):
            if isinstance(document.get(APPLIED), list):
                tokens = {token: 1 for token in document[APPLIED]}
                await self.roster_counts.update_one(
                    {"_id": document["_id"]}, {"$set": {APPLIED: tokens}}
                )
                changed += 1
        return changed


def folded_by_cell(found: Iterable[Document]) -> dict[str, tuple[list[str], Counter[str]]]:
    """Increments documents as each cell takes them: their tokens, and the fields they add."""
    by_cell: dict[str, tuple[list[str], Counter[str]]] = {}
    for document in found:
        for cell, day, n, required in (rows_of(row) for row in document.get("rows") or ()):
            tokens, fields = by_cell.setdefault(cell, ([], Counter()))
            if document["_id"] not in tokens:
                tokens.append(document["_id"])
            fields[f"{ADDED}.{day or START_FIELD}"] += n
            fields[f"{ADDED_REQUIRED}.{day or START_FIELD}"] += required
    return by_cell


def taking(tokens: Collection[str], fields: Mapping[str, int], folded: Collection[str]) -> Document:
    """A count document's increments under their tokens, and the folded tokens taken off it."""
    update: Document = {"$inc": dict(fields), "$set": {f"{APPLIED}.{t}": 1 for t in tokens}}
    if folded:
        update["$unset"] = {f"{APPLIED}.{t}": "" for t in sorted(folded)}
    return update


def with_unfolded(
    documents: list[Document], found: Iterable[Document], wanted: Collection[str]
) -> list[Document]:
    """Count documents with the increments not folded yet that they have not taken added (a
    cell with none yet as a document of its own)."""
    by_id = {d["_id"]: d for d in documents}
    for document in found:
        for cell, day, n, required in (rows_of(row) for row in document.get("rows") or ()):
            counts = by_id.setdefault(cell, {"_id": cell})
            if cell not in wanted or document["_id"] in (counts.get(APPLIED) or ()):
                continue
            for field, k in ((ADDED, n), (ADDED_REQUIRED, required)):
                added = counts[field] = dict(counts.get(field) or {})
                added[day or START_FIELD] = added.get(day or START_FIELD, 0) + k
    return [d for d in by_id.values() if d["_id"] in wanted]


def kept_rows(rows: Iterable[Row]) -> list[str]:
    """Rows as the store keeps them: texts (FerretDB 1.24 stores no arrays of arrays)."""
    return [f"{cell} {day or START_FIELD} {n} {required}" for cell, day, n, required in rows]


def rows_of(kept: str) -> Row:
    cell, day, n, required = kept.rsplit(" ", 3)
    return cell, "" if day == START_FIELD else day, int(n), int(required)
