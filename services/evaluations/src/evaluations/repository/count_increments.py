"""A roster write changes its cells' roster counts by increments derived from the write itself:
no member looked up, no cell counted again.

The write leaves its increments on each entry it changes, under a token of its own
(`uncounted.<token>`: "cell day all required" rows), in the same single-document update. The
increments of the entries that carry the token are then added to the count documents in one
bulk `$inc`, each update guarded by the token (`applied.<token>`: the tokens a count document
has taken), and the token is settled after: one insert in `settled_increments`, whatever the
number of entries and cells. A crash before that leaves the token unsettled on the entries: the
event comes again, its roster write changes nothing, and `redo` adds what the entries carry
under unsettled tokens — once, as the guard refuses a count document that took the token
already. Settled tokens stay on the entries (`redo` passes them by) and leave the count
documents at their next increments (`$unset` beside the `$set` of the new token: an array's
`$push` and `$pull` in one update are refused). A recount of a cell counts every entry placed
in it and takes the unsettled tokens they carry as applied (`unsettled`), no others.
"""

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Collection, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress

from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import duplicates_among
from kit.mongo.lookups import by_ids
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from evaluations.domain import RosterEntry
from evaluations.repository.summary_counting import (
    ADDED,
    ADDED_REQUIRED,
    START_FIELD,
    day_changes,
)

UNCOUNTED = "uncounted"
APPLIED = "applied"  # on a count document: {token: 1} of the increments it took

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
        self.settled: AsyncCollection[Document] = db["settled_increments"]
        self.prunable: dict[str, set[str]] = {}  # by cell, the tokens settled since its last

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncCollection[Document]]:
        """Around a roster write and its increments (`add` to the counts yielded): no recount
        of this process comes between them (a recount reads the roster, then sets the counts)."""
        async with exclusive_writes(self.roster_counts) as counts:
            yield counts

    async def add(self, counts: AsyncCollection[Document], token: str, rows: Iterable[Row]) -> None:
        """Add these increments to the count documents that have not taken the token yet
        (one bulk write, which also takes off the tokens settled since a cell's last; a cell
        counted for the first time gets its document), in the counts' write turn (`writing`)."""
        by_cell: dict[str, Counter[str]] = {}
        for cell, day, n, required in rows:
            field = day or START_FIELD
            fields = by_cell.setdefault(cell, Counter())
            fields[f"{ADDED}.{field}"] += n
            fields[f"{ADDED_REQUIRED}.{field}"] += required
        if not by_cell:
            return
        result = await counts.bulk_write(
            [
                UpdateOne(
                    {"_id": cell, f"{APPLIED}.{token}": {"$exists": False}},
                    taking(token, fields, self.prunable.pop(cell, set())),
                )
                for cell, fields in sorted(by_cell.items())
            ],
            ordered=False,
        )
        if result.matched_count == len(by_cell):
            return
        # a cell unmatched has no counts yet, or took the token already: an insert of each
        # cell adds the first, and is refused (a duplicate key) for the others
        try:
            await counts.insert_many(
                [
                    {
                        "_id": cell,
                        "days": "",
                        "required_days": "",
                        **nested(fields),
                        APPLIED: {token: 1},
                    }
                    for cell, fields in sorted(by_cell.items())
                ],
                ordered=False,
            )
        except BulkWriteError as error:
            duplicates_among(error)

    async def settle(self, token: str, rows: Iterable[Row]) -> None:
        """The increments added: the token settled (one insert), to leave the cells' count
        documents at their next increments."""
        with suppress(DuplicateKeyError):  # settled by a redo before
            await self.settled.insert_one({"_id": token})
        for cell in {cell for cell, _, _, _ in rows}:
            self.prunable.setdefault(cell, set()).add(token)

    async def unsettled(self, tokens: Collection[str]) -> set[str]:
        """Of these tokens, those whose increments may not all be added yet."""
        found = await by_ids(self.settled, list(tokens), {"_id": 1})
        return set(tokens) - {document["_id"] for document in found}

    async def carried(self, token: str, member_ids: Sequence[str]) -> list[Row]:
        """The increments the entries carry under this token (those the write changed)."""
        found = await by_ids(self.roster, member_ids, {f"{UNCOUNTED}.{token}": 1})
        return [rows_of(row) for d in found for row in (d.get(UNCOUNTED) or {}).get(token, ())]

    async def redo(self, member_ids: Sequence[str]) -> None:
        """Add the increments these entries carry from a write whose increments were cut
        short (a crash), once each."""
        found = await by_ids(self.roster, member_ids, {UNCOUNTED: 1})
        left: dict[str, list[Row]] = {}
        for document in found:
            for token, rows in (document.get(UNCOUNTED) or {}).items():
                left.setdefault(token, []).extend(rows_of(row) for row in rows)
        for token in sorted(await self.unsettled(left)):
            async with self.writing() as counts:
                await self.add(counts, token, left[token])
            await self.settle(token, left[token])

    async def upgrade_applied(self) -> int:
        """Count documents that kept their tokens as a list (before they were settled by
        record) keep them by name."""
        changed = 0
        async for document in self.roster_counts.find({}, {APPLIED: 1}):
            if isinstance(document.get(APPLIED), list):
                tokens = {token: 1 for token in document[APPLIED]}
                await self.roster_counts.update_one(
                    {"_id": document["_id"]}, {"$set": {APPLIED: tokens}}
                )
                changed += 1
        return changed


def taking(token: str, fields: Mapping[str, int], settled: Collection[str]) -> Document:
    """A count document's increments under a token, and the settled tokens taken off it."""
    update: Document = {"$inc": dict(fields), "$set": {f"{APPLIED}.{token}": 1}}
    if settled:
        update["$unset"] = {f"{APPLIED}.{t}": "" for t in sorted(settled)}
    return update


def kept_rows(rows: Iterable[Row]) -> list[str]:
    """Rows as the store keeps them: texts (FerretDB 1.24 stores no arrays of arrays)."""
    return [f"{cell} {day or START_FIELD} {n} {required}" for cell, day, n, required in rows]


def rows_of(kept: str) -> Row:
    cell, day, n, required = kept.rsplit(" ", 3)
    return cell, "" if day == START_FIELD else day, int(n), int(required)


def nested(fields: Mapping[str, int]) -> Document:
    """`added.<day>` increments as the sub-documents a new count document starts with."""
    document: dict[str, dict[str, int]] = {}
    for path, n in fields.items():
        field, day = path.split(".", 1)
        document.setdefault(field, {})[day] = n
    return dict(document)
