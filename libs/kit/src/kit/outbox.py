"""The outbox: events ride in the aggregate document and a relay moves them to RabbitMQ.

A write that changes an aggregate pushes its events onto the document's `pending_events`
in the same single-document update (kit.aggregates). The service's database tells the relay
of every write (kit.mongo's write listeners, `note_write`), which wakes it; it also polls, and
now and then looks at every document. The relay publishes the events of many documents at once
(a batch), each document's in order, with publisher confirms awaited together; then it pops
each published event from the front of its document with `$pop`, guarded by the event's id
(`pending_events.0.id`), in ordered bulk writes (a document's pops in one of them). The events
of documents inserted in bulk ride instead in outbox batches (kit.event_batches), published
before the documents' own and marked SENT. A crash between publish and removal publishes
again: consumers are idempotent by event id.
"""

import asyncio
import contextlib
import logging
import math
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from kit.bus import BusUnavailable, EventBus
from kit.crash_points import crash_point
from kit.event_batches import BATCHES, EventBatches, entries_of, in_order, made_ready
from kit.metrics import EVENTS_PUBLISHED
from kit.mongo import Document, Write, exclusive_writes, is_ferretdb
from kit.mongo.bulk import pieces
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids

log = logging.getLogger(__name__)

PENDING = "pending_events"
# every event has an id: a document has pending events when one has an id; the sparse index
# holds only those documents, so looking for them reads no other
HAS_PENDING = {f"{PENDING}.id": {"$exists": True}}
OUTBOX_INDEXES = (Index("outbox_pending", (f"{PENDING}.id",), sparse=True),)
FULL_SCAN_SECONDS = 30.0
BATCH_CHECK_SECONDS = 60.0  # how often the relay looks for outbox batches left half-written
LATELY = 20_000  # event ids kept as published lately
# outbox batches published at once: one's confirms and SENT mark (FerretDB rewrites the whole
# batch document, 0.1-0.4 s) overlap the next one's publishing
BATCHES_AT_ONCE = 2
POPS_PER_WRITE = 4  # documents whose pops go in one bulk write (64 at once: 256 held at most)


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


class OutboxRelay:
    def __init__(
        self,
        bus: EventBus,
        collections: Sequence[AsyncCollection[Document]],
        poll_seconds: float = 1.0,
        batch_size: int = 500,
        full_scan_seconds: float | None = None,
        concurrency: int = 64,
    ) -> None:
        self.bus = bus
        self.collections = list(collections)
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.full_scan_seconds = full_scan_seconds
        # per collection, the ids written in the order of their writes (None: look at all),
        # each with its pending events when they are known (a document just inserted)
        self._written: dict[str, dict[Any, list[Document] | None] | None] = {}
        self._last_full_scan = -float("inf")
        self._wake = asyncio.Event()
        self._indexed: set[str] = set()
        self.published = 0
        # the ids of the events published lately: an insert heard of after a look at every
        # document has published its events already is not published again from what it sent
        self._lately: OrderedDict[str, None] = OrderedDict()
        # the outbox batches marked READY since the last drain (kit.event_batches)
        self._ready: dict[Any, None] = {}
        self._last_batch_check = -float("inf")
        self._published = EVENTS_PUBLISHED.labels(bus.settings.service_name)
        # what waits to be published, as far as the relay has seen it: per collection, each
        # document's pending events (id → time), and each outbox batch's events' times
        self._waiting: dict[str, dict[Any, dict[str, str]]] = {}
        self._waiting_batches: dict[Any, list[str]] = {}

    def backlog(self) -> tuple[int, datetime | None]:
        """How many events the relay has seen waiting to be published, and the time of the
        oldest (events' times are written in UTC, so the earliest sorts first)."""
        times = [
            t
            for documents in self._waiting.values()
            for e in documents.values()
            for t in e.values()
        ]
        for batch in self._waiting_batches.values():
            times.extend(batch)
        return len(times), datetime.fromisoformat(min(times)) if times else None

    def _seen_waiting(
        self, collection: str, documents: list[Document], cleared: Sequence[Any] = ()
    ) -> None:
        waiting = self._waiting.setdefault(collection, {})
        for document_id in cleared:
            waiting.pop(document_id, None)
        for document in documents:
            waiting[document["_id"]] = {e["id"]: e["time"] for e in document[PENDING]}

    def notify(self) -> None:
        """Wake the relay now instead of at its next poll (a write through the service's
        database needs none of this: the database tells the relay of it)."""
        self._wake.set()

    def note_write(self, write: Write) -> None:
        """A write listener (kit.mongo): look at the documents written at the next drain.

        A write that sends no events is let be. With ids unknown, the whole collection is
        looked at. Between writes the relay looks only at what was written, and at everything
        now and then (`full_scan_seconds`) — after a crash, or for writes of another process.
        The events of a document just inserted, or those a bulk save says it pushed, are
        taken as told, without reading the document back, unless it is written again before
        the drain (an event left in front of them is found when their removal misses).
        """
        if write.collection == BATCHES:
            self._ready.update(dict.fromkeys(made_ready(write)))
            self._wake.set()
            return
        if write.changes is not None and not any(map(sends_events, write.changes)):
            return
        events: dict[Any, list[Document]] = {}
        if write.pushed is not None:
            events = {document_id: list(sent) for document_id, sent in write.pushed.items()}
        elif write.inserted and write.changes is not None:
            events = {d["_id"]: list(d.get(PENDING) or []) for d in write.changes}
        self._note(write.collection, write.ids, events)

    def _note(
        self,
        collection: str,
        ids: list[Any] | None,
        events: dict[Any, list[Document]] | None = None,
    ) -> None:
        """Look at these documents at the next drain, with their events where known."""
        known = self._written.get(collection, {})
        if ids is None or known is None:
            self._written[collection] = None
        else:
            for written in ids:
                known[written] = None if written in known else (events or {}).get(written)
            self._written[collection] = known
        self._wake.set()

    async def run(self) -> None:
        if self.full_scan_seconds is None:
            self.full_scan_seconds = await self._full_scan_interval()
        while True:
            self._wake.clear()
            try:
                await self.drain()
            except BusUnavailable as error:
                log.warning("outbox relay waiting for rabbitmq", extra={"error": str(error)})
            except Exception:
                log.exception("outbox relay failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)

    async def _full_scan_interval(self) -> float:
        """Every FULL_SCAN_SECONDS where the look at every document is an index's (MongoDB:
        the sparse index on pending events); at start only on FerretDB, which reads every
        document of the collection for it (it hands no dotted path to its store: 500,000
        members every 30 s) and serves one process per database, whose writes the relay is
        told of all."""
        try:
            info = await self.collections[0].database.command("buildInfo")
        except (IndexError, PyMongoError):
            return FULL_SCAN_SECONDS
        return math.inf if is_ferretdb(info) else FULL_SCAN_SECONDS

    async def drain(self) -> int:
        """Publish the pending events of what was written (or of everything, now and then)."""
        for collection in self.collections:  # what the look for pending events needs
            if collection.name not in self._indexed:
                await create_indexes(collection, OUTBOX_INDEXES)
                self._indexed.add(collection.name)
        now = asyncio.get_running_loop().time()
        every = FULL_SCAN_SECONDS if self.full_scan_seconds is None else self.full_scan_seconds
        full = now - self._last_full_scan >= every
        written, self._written = self._written, {}
        if full:
            self._last_full_scan = now
        ready, self._ready = self._ready, {}
        sent = 0
        try:
            sent += await self._relay_batches(None if full else list(ready), now)
            for collection in self.collections:
                if not full and collection.name not in written:
                    continue
                ids = None if full else written[collection.name]
                if ids is None:
                    cursor = collection.find(HAS_PENDING, {PENDING: 1})
                    documents = [document async for document in cursor]
                    self._waiting[collection.name] = {}
                    self._seen_waiting(collection.name, documents)
                else:
                    documents = await self._pending(collection, ids)
                    self._seen_waiting(collection.name, documents, list(ids))
                if documents:
                    sent += await self._relay(collection, documents)
        except BaseException:
            self._ready.update(ready)
            for name, ids in written.items():  # look at them again next time
                self._note(name, None if ids is None else list(ids))
            raise
        self.published += sent
        return sent

    async def _relay_batches(self, batch_ids: list[Any] | None, now: float) -> int:
        """Publish the READY outbox batches among these (None: all), oldest first, two at a
        time where they share no document, each marked SENT once its events are confirmed
        (kit.event_batches.in_order); now and then, finish first the batches a stopped process
        left half-written. Before the documents' own events: a batch holds the first events of
        the documents it inserted, or events written before the documents' pending ones."""
        if not self.collections:
            return 0
        batches = EventBatches(self.collections[0].database[BATCHES])
        if BATCHES not in self._indexed:  # once: FerretDB locks its catalogue for it
            await batches.create_indexes()
            self._indexed.add(BATCHES)
        if now - self._last_batch_check >= BATCH_CHECK_SECONDS:
            await batches.finish_abandoned(datetime.now(UTC))
            self._last_batch_check = now
            batch_ids = None
        if batch_ids == []:
            return 0

        async def relay(batch: Document, entries: list[Document]) -> int:
            documents = [{"_id": e["id"], PENDING: e["events"]} for e in entries]
            published, failure = await self._publish(documents)
            if failure is not None:
                raise failure
            crash_point("relay.published")
            await batches.sent(batch)
            self._waiting_batches.pop(batch["_id"], None)
            return sum(map(len, published.values()))

        ready = [(batch, entries_of(batch)) for batch in await batches.ready(batch_ids)]
        if batch_ids is None:  # every READY batch: those seen before and not here are gone
            self._waiting_batches = {}
        for batch, its in ready:
            self._waiting_batches[batch["_id"]] = [e["time"] for d in its for e in d["events"]]
        return await in_order(ready, relay, BATCHES_AT_ONCE)

    async def _pending(
        self, collection: AsyncCollection[Document], written: dict[Any, list[Document] | None]
    ) -> list[Document]:
        """The written documents that hold events, in the order written: those inserted as
        they were, the others read back by id (an `$in` of many ids costs FerretDB 1.24 a
        scan per id)."""
        unknown = [document_id for document_id, events in written.items() if events is None]
        read = {
            document["_id"]: document
            for document in await by_ids(collection, unknown, {PENDING: 1}, HAS_PENDING)
        }
        documents = []
        for document_id, events in written.items():
            if events is None:
                if document_id in read:
                    documents.append(read[document_id])
            elif fresh := [e for e in events if e["id"] not in self._lately]:
                documents.append({"_id": document_id, PENDING: fresh})
        return documents

    async def _relay(self, collection: AsyncCollection[Document], documents: list[Document]) -> int:
        """Relay the documents' events a batch at a time, each batch's removal running while
        the next one publishes; a failed publish stops the drain once what was published is
        removed."""
        sent = 0
        removal: asyncio.Task[int] | None = None
        try:
            for batch in self._batches(documents):
                published, failure = await self._publish(batch)
                crash_point("relay.published")
                previous, removal = removal, None
                if previous is not None:
                    sent += await previous
                removal = asyncio.create_task(self._remove(collection, published))
                if failure is not None:
                    raise failure
        finally:
            if removal is not None:
                sent += await removal
        return sent

    def _batches(self, documents: list[Document]) -> Iterator[list[Document]]:
        """Whole documents, until a batch holds `batch_size` events or more."""
        batch: list[Document] = []
        events = 0
        for document in documents:
            batch.append(document)
            events += len(document[PENDING])
            if events >= self.batch_size:
                yield batch
                batch, events = [], 0
        if batch:
            yield batch

    async def _publish(
        self, documents: list[Document]
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
            outcomes = await self.bus.publish_many([document[PENDING][wave] for document in due])
            confirmed = []
            for document, outcome in zip(due, outcomes, strict=True):
                if outcome is None:
                    published[document["_id"]].append(document[PENDING][wave]["id"])
                    confirmed.append(document)
                else:
                    failure = failure or outcome
            wave += 1
        for ids in published.values():
            self._lately.update(dict.fromkeys(ids))
            self._published.inc(len(ids))
        while len(self._lately) > LATELY:
            self._lately.popitem(last=False)
        return published, failure

    async def _remove(
        self, collection: AsyncCollection[Document], published: dict[Any, list[str]]
    ) -> int:
        """Pop each published event from the front of its document, guarded by its id, in the
        order it was published: correct whatever else writes the document meanwhile (a `$push`
        appends behind; an event already gone leaves the guard unmatched, and nothing changes).

        Ordered bulk writes of a few documents' pops each (a document's pops in one of them),
        `concurrency` of them at once, as FerretDB applies the operations of one bulk write one
        after another, slowly (400 pops: 15 s in one bulk write, 1 s in 32 side by side; 1,000:
        3.3 s in 32, 2 s in 128), and holds a PostgreSQL connection for each until the bulk
        write is done (kit.mongo.bulk.STATEMENTS).

        A removal that misses (an event the relay was not told of sits in front: one left by
        a failure) has its documents read back at the next drain.
        """
        sent = [(document_id, ids) for document_id, ids in published.items() if ids]
        groups = pieces(sent, POPS_PER_WRITE)
        turns = asyncio.Semaphore(self.concurrency)
        async with exclusive_writes(collection, heard=False) as writes:  # it wakes no relay

            async def remove(group: list[tuple[Any, list[str]]]) -> Any:
                async with turns:
                    return await writes.bulk_write(pops_of(group), ordered=True)

            outcomes = await asyncio.gather(*map(remove, groups), return_exceptions=True)
        removed = 0
        waiting = self._waiting.setdefault(collection.name, {})
        for group, outcome in zip(groups, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                raise outcome
            removed += outcome.modified_count
            for document_id, event_ids in group:  # one missed is read back at the next drain
                events = waiting.get(document_id, {})
                for event_id in event_ids:
                    events.pop(event_id, None)
                if not events:
                    waiting.pop(document_id, None)
            if outcome.modified_count < sum(len(ids) for _, ids in group):
                self._note(collection.name, [document_id for document_id, _ in group])
        return removed


def pops_of(sent: list[tuple[Any, list[str]]]) -> list[UpdateOne]:
    return [
        UpdateOne({"_id": document_id, f"{PENDING}.0.id": event_id}, {"$pop": {PENDING: -1}})
        for document_id, event_ids in sent
        for event_id in event_ids
    ]
