"""The events waiting in an aggregate's own document (`pending_events`): how they are pushed,
published in order, and popped once published (the outbox relay's steps, kit.outbox)."""

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from kit.bus import EventBus
from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import pieces
from kit.mongo.indexes import Index

PENDING = "pending_events"
# every event has an id: a document has pending events when one has an id; the sparse index
# holds only those documents, so looking for them reads no other
HAS_PENDING = {f"{PENDING}.id": {"$exists": True}}
OUTBOX_INDEXES = (Index("outbox_pending", (f"{PENDING}.id",), sparse=True),)
POPS_PER_WRITE = 4  # documents whose pops go in one bulk write (64 at once: 256 held at most)
Popped = list[tuple[list[tuple[Any, list[str]]], int]]


def sends_events(change: Document) -> bool:
    """Whether a document inserted or replacing, or an update, puts events in the outbox."""
    return PENDING in change or any(
        isinstance(clause, dict) and any(str(k).split(".")[0] == PENDING for k in clause)
        for operator, clause in change.items()
        if str(operator).startswith("$")
    )


def push_events(events: Sequence[Document]) -> dict[str, Any]:
    """The `$push` clause that records events in the same update as the change."""
    return {PENDING: {"$each": list(events)}}


def in_batches(documents: list[Document], size: int) -> Iterator[list[Document]]:
    """Whole documents, until a batch holds `size` events or more."""
    batch: list[Document] = []
    events = 0
    for document in documents:
        batch.append(document)
        events += len(document[PENDING])
        if events >= size:
            yield batch
            batch, events = [], 0
    if batch:
        yield batch


async def publish_in_waves(
    bus: EventBus, documents: list[Document]
) -> tuple[dict[Any, list[str]], BaseException | None]:
    """Publish the documents' events in waves — every document's first event at once, the
    confirms awaited together, then every second event, … — so that a document's events
    reach the broker in order even when one of them fails. The ids published of each
    document, and the first failure."""
    published: dict[Any, list[str]] = {document["_id"]: [] for document in documents}
    failure: BaseException | None = None
    confirmed = documents  # those whose every event so far is confirmed
    wave = 0
    while confirmed and failure is None:
        due = [document for document in confirmed if len(document[PENDING]) > wave]
        outcomes = await bus.publish_many([document[PENDING][wave] for document in due])
        confirmed = []
        for document, outcome in zip(due, outcomes, strict=True):
            if outcome is None:
                published[document["_id"]].append(document[PENDING][wave]["id"])
                confirmed.append(document)
            else:
                failure = failure or outcome
        wave += 1
    return published, failure


async def remove_published(
    collection: AsyncCollection[Document], published: dict[Any, list[str]], concurrency: int
) -> Popped:
    """Pop each published event from the front of its document, guarded by its id, in the
    order it was published: correct whatever else writes the document meanwhile (a `$push`
    appends behind; an event already gone leaves the guard unmatched, and nothing changes).

    Ordered bulk writes of a few documents' pops each (a document's pops in one of them),
    `concurrency` of them at once, as FerretDB applies the operations of one bulk write one
    after another, slowly (400 pops: 15 s in one bulk write, 1 s in 32 side by side; 1,000:
    3.3 s in 32, 2 s in 128), and holds a PostgreSQL connection for each until the bulk
    write is done (kit.mongo.bulk.STATEMENTS).

    Each group of documents with the number of events popped from them.
    """
    sent = [(document_id, ids) for document_id, ids in published.items() if ids]
    groups = pieces(sent, POPS_PER_WRITE)
    turns = asyncio.Semaphore(concurrency)
    async with exclusive_writes(collection, heard=False) as writes:  # it wakes no relay

        async def remove(group: list[tuple[Any, list[str]]]) -> Any:
            async with turns:
                return await writes.bulk_write(pops_of(group), ordered=True)

        outcomes = await asyncio.gather(*map(remove, groups), return_exceptions=True)
    popped: Popped = []
    for group, outcome in zip(groups, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            raise outcome
        popped.append((group, outcome.modified_count))
    return popped


def pops_of(sent: list[tuple[Any, list[str]]]) -> list[UpdateOne]:
    return [
        UpdateOne({"_id": document_id, f"{PENDING}.0.id": event_id}, {"$pop": {PENDING: -1}})
        for document_id, event_ids in sent
        for event_id in event_ids
    ]
