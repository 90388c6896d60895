"""Events of documents inserted in bulk, kept in one outbox document per batch.

An event usually rides in its aggregate's document (kit.outbox), and the relay removes it
with one guarded update of that document once published. For documents inserted a thousand
at a time (an import) that is a thousand updates, and FerretDB 1.24 applies them one by one
(about 350 a second on two busy cores): the removals, not the inserts, set the pace. So
`insert_with_events` writes the new documents without events and their events into batch
documents of the database's `outbox` collection, which the relay publishes and then marks
SENT, one update per batch:

1. each batch is written WRITING, with the ids of the documents its events belong to;
2. the documents are inserted (unordered: one refused leaves the others in);
3. the batch is marked READY with the events of the documents inserted, and the relay told.

A process that stops between 1 and 3 leaves a WRITING batch. The relay finishes it once it is
older than any write in progress could be: the documents' ids are new (made by the writer),
so a document found was inserted by that write, and only its events are kept. Documents
updated in bulk (kit.batched_saves) are stamped by their update, and their batches name the
stamp: a document that carries it was written by that update.

The relay publishes READY batches oldest first, those that share no document side by side; a
batch that holds a document of an earlier one waits until that one is published and marked
SENT (and is not published when that one failed), so a document's events leave in the order
they were written whatever the batches that carry them (`in_order`).

A batch's events are stored as one compressed BSON value (`payload`), which only the relay
reads. FerretDB turns every field of a document into JSON and back on each read and write:
500 events as fields cost it about ten times what they cost as one binary value (measured:
2.9-3.2 s against 0.1-0.3 s per 1,000 events written, marked, read and marked SENT). Marking
a batch READY names the documents refused instead of rewriting the events; marking it SENT
drops the payload.
"""

import asyncio
import uuid
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import BSON, Binary
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from kit.crash_points import crash_point
from kit.mongo import Document, Write, exclusive_writes
from kit.mongo.bulk import duplicates_among
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids

BATCHES = "outbox"
STAMPS = "outbox_writes"  # the bulk updates (kit.aggregates) that wrote a document, by stamp
WRITING, READY, SENT = "WRITING", "READY", "SENT"
BATCH_INDEXES = (Index("by_state", ("state",)),)
EVENTS_PER_BATCH = 500  # a batch document stays far below MongoDB's 16 MB
# a WRITING batch older than this was left by a process that stopped mid-write
ABANDONED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class OpenBatch:
    """A batch written WRITING: its id and entries (each a document's id and events)."""

    id: str
    entries: list[Document]

    @property
    def ids(self) -> list[Any]:
        return [entry["id"] for entry in self.entries]


def packed(entries: Sequence[Document]) -> Binary:
    """A batch's entries (each a document's id and events) as its stored payload."""
    return Binary(zlib.compress(BSON.encode({"entries": list(entries)}), 1))


def entries_of(batch: Document) -> list[Document]:
    """The entries of a batch whose documents were inserted: its payload without those
    refused (a batch written by the release before holds them as `documents`)."""
    entries: list[Document] = (
        BSON(zlib.decompress(batch["payload"])).decode()["entries"]
        if "payload" in batch
        else list(batch.get("documents") or [])
    )
    refused = set(batch.get("refused") or ())
    return [entry for entry in entries if entry["id"] not in refused]


async def open_batches(
    collection: AsyncCollection[Document],
    entries: Sequence[Document],
    stamp: str | None = None,
) -> list["OpenBatch"]:
    """Write these entries (a document's id and its events) WRITING in batches of the outbox,
    `stamp` naming the bulk update that is to write their documents (None: an insert)."""
    parts = [
        list(entries[start : start + EVENTS_PER_BATCH])
        for start in range(0, len(entries), EVENTS_PER_BATCH)
    ]
    written_at = datetime.now(UTC)
    opened = [OpenBatch(str(uuid.uuid4()), part) for part in parts]
    if opened:
        await collection.database[BATCHES].insert_many(
            {
                "_id": batch.id,
                "state": WRITING,
                "collection": collection.name,
                "written_at": written_at,
                "payload": packed(batch.entries),
                **({"stamp": stamp} if stamp is not None else {}),
            }
            for batch in opened
        )
    return opened


async def mark_ready(
    collection: AsyncCollection[Document], opened: Sequence["OpenBatch"], refused: set[Any]
) -> None:
    """Mark READY the batches `open_batches` wrote, naming the documents refused."""
    outbox = collection.database[BATCHES]
    for batch in opened:
        await outbox.update_one(
            {"_id": batch.id, "state": WRITING},
            {"$set": {"state": READY, "refused": [i for i in batch.ids if i in refused]}},
        )
    if opened:
        crash_point("batches.ready")


async def insert_with_events(
    collection: AsyncCollection[Document],
    documents: Sequence[Document],
    events: Mapping[Any, Sequence[Document]],
) -> set[Any]:
    """Insert new documents (each on its own: a refused one stops no other) with their events
    (by document id) in batches of the outbox; the ids of the documents refused."""
    opened = await open_batches(
        collection,
        [
            {"id": document["_id"], "events": list(events[document["_id"]])}
            for document in documents
            if events.get(document["_id"])
        ],
    )
    refused: set[Any] = set()
    # the write turn held until READY: no single write of this process pushes an event on a
    # new document before the batch holding its first is published (the relay sends READY
    # batches first)
    async with exclusive_writes(collection) as writes:
        try:
            if documents:
                await writes.insert_many(list(documents), ordered=False)
        except BulkWriteError as error:
            refused = {documents[index]["_id"] for index in duplicates_among(error)}
        await mark_ready(writes, opened, refused)
    return refused


def made_ready(write: Write) -> list[Any]:
    """The batches a write to the outbox marked READY (for the relay to publish)."""
    if write.collection != BATCHES or write.ids is None or write.changes is None:
        return []
    ready = any(change.get("$set", {}).get("state") == READY for change in write.changes)
    return list(write.ids) if ready else []


class EventBatches:
    """A database's outbox batches, as the relay reads and marks them."""

    def __init__(self, outbox: AsyncCollection[Document]) -> None:
        self.outbox = outbox

    async def create_indexes(self) -> None:
        await create_indexes(self.outbox, BATCH_INDEXES)

    async def ready(self, batch_ids: Sequence[Any] | None) -> list[Document]:
        """The READY batches among these (None: all of them)."""
        if batch_ids is None:
            return [batch async for batch in self.outbox.find({"state": READY})]
        return await by_ids(self.outbox, batch_ids, None, {"state": READY})

    async def sent(self, batch: Document) -> None:
        await self.outbox.update_one(
            {"_id": batch["_id"], "state": READY},
            {"$set": {"state": SENT}, "$unset": {"payload": "", "documents": ""}},
        )

    async def finish_abandoned(self, now: datetime) -> int:
        """Mark READY the batches a stopped process left WRITING, with the events of the
        documents it did insert; how many."""
        finished = 0
        async for batch in self.outbox.find({"state": WRITING}):
            if now - batch["written_at"].replace(tzinfo=UTC) < ABANDONED_AFTER:
                continue
            target = self.outbox.database[batch["collection"]]
            ids = [entry["id"] for entry in entries_of(batch)]
            # a bulk update's documents are those it stamped; an insert's, those there
            written = {STAMPS: batch["stamp"]} if "stamp" in batch else None
            found = {d["_id"] for d in await by_ids(target, ids, {"_id": 1}, written)}
            await self.outbox.update_one(
                {"_id": batch["_id"], "state": WRITING},
                {"$set": {"state": READY, "refused": [i for i in ids if i not in found]}},
            )
            finished += 1
        return finished


class EarlierBatchFailed(RuntimeError):
    """A batch not published because an earlier one holding one of its documents failed."""


async def in_order(
    ready: Sequence[tuple[Document, list[Document]]],
    relay: Callable[[Document, list[Document]], Awaitable[int]],
    at_once: int,
) -> int:
    """Relay READY batches (each with its entries) oldest first, `at_once` side by side, a batch
    that shares a document with an earlier one only after that one is relayed; the events
    relayed. The first failure is raised once every batch started has finished."""
    turns = asyncio.Semaphore(at_once)
    latest: dict[Any, asyncio.Future[int]] = {}  # per document, the last batch holding it

    async def after(earlier: set[asyncio.Future[int]], batch: Document, its: list[Document]) -> int:
        if earlier:
            await asyncio.wait(earlier)
            if any(e.cancelled() or e.exception() is not None for e in earlier):
                raise EarlierBatchFailed(batch["_id"])
        async with turns:
            return await relay(batch, its)

    relaying = []
    for batch, entries in sorted(ready, key=lambda r: (r[0]["written_at"], r[0]["_id"])):
        earlier = {latest[entry["id"]] for entry in entries if entry["id"] in latest}
        task = asyncio.ensure_future(after(earlier, batch, entries))
        latest.update(dict.fromkeys((entry["id"] for entry in entries), task))
        relaying.append(task)
    outcomes = await asyncio.gather(*relaying, return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    if first := next((f for f in failures if not isinstance(f, EarlierBatchFailed)), None):
        raise first
    if failures:
        raise failures[0]
    return sum(o for o in outcomes if isinstance(o, int))
