"""The outbox: events ride in the aggregate document and a relay moves them to RabbitMQ.

A write that changes an aggregate pushes its events onto the document's `pending_events`
in the same single-document update (kit.aggregates). The service's database tells the relay
of every write (kit.mongo's write listeners, `note_write`), which wakes it; it also polls, and
now and then looks at every document. The relay publishes the events of many documents at once
(a batch), each document's in order, with publisher confirms awaited together; then it pops
each published event from the front of its document with `$pop`, guarded by the event's id
(`pending_events.0.id`), in ordered bulk writes (a document's pops in one of them; those steps
live in kit.pending_events, what waits in kit.relay_backlog). The events
of documents inserted in bulk ride instead in outbox batches (kit.event_batches), published
before the documents' own and marked SENT. A crash between publish and removal publishes
again: consumers are idempotent by event id.
"""

import asyncio
import contextlib
import logging
import math
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from kit.bus import BusUnavailable, EventBus
from kit.crash_points import crash_point
from kit.event_batches import BATCHES, EventBatches, entries_of, in_order, made_ready
from kit.metrics import EVENTS_PUBLISHED
from kit.mongo import Document, Write, is_ferretdb
from kit.mongo.indexes import create_indexes
from kit.mongo.lookups import by_ids
from kit.pending_events import (
    HAS_PENDING,
    OUTBOX_INDEXES,
    PENDING,
    in_batches,
    publish_in_waves,
    push_events,
    remove_published,
    sends_events,
)
from kit.relay_backlog import Backlog

log = logging.getLogger(__name__)

__all__ = ["HAS_PENDING", "PENDING", "OutboxRelay", "push_events", "sends_events"]

FULL_SCAN_SECONDS = 30.0
BATCH_CHECK_SECONDS = 60.0  # how often the relay looks for outbox batches left half-written
LATELY = 20_000  # event ids kept as published lately
# outbox batches published at once: one's confirms and SENT mark (FerretDB rewrites the whole
# batch document, 0.1-0.4 s) overlap the next one's publishing
BATCHES_AT_ONCE = 2


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
        self.backlog = Backlog()  # what waits to be published, as far as the relay has seen

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
                    self.backlog.seen(collection.name, documents, None)
                else:
                    documents = await self._pending(collection, ids)
                    self.backlog.seen(collection.name, documents, list(ids))
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
            self.backlog.batch_sent(batch["_id"])
            return sum(map(len, published.values()))

        ready = [(batch, entries_of(batch)) for batch in await batches.ready(batch_ids)]
        self.backlog.seen_batches(ready, every=batch_ids is None)
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
            for batch in in_batches(documents, self.batch_size):
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

    async def _publish(
        self, documents: list[Document]
    ) -> tuple[dict[Any, list[str]], BaseException | None]:
        """Publish the documents' events in order (kit.pending_events.publish_in_waves), noting
        those published."""
        published, failure = await publish_in_waves(self.bus, documents)
        for ids in published.values():
            self._lately.update(dict.fromkeys(ids))
            self._published.inc(len(ids))
        while len(self._lately) > LATELY:
            self._lately.popitem(last=False)
        return published, failure

    async def _remove(
        self, collection: AsyncCollection[Document], published: dict[Any, list[str]]
    ) -> int:
        """Pop the published events from their documents (kit.pending_events); a document whose
        removal missed (an event the relay was not told of sits in front: one left by a
        failure) is read back at the next drain."""
        removed = 0
        for group, popped in await remove_published(collection, published, self.concurrency):
            removed += popped
            for document_id, event_ids in group:
                self.backlog.removed(collection.name, document_id, event_ids)
            if popped < sum(len(ids) for _, ids in group):
                self._note(collection.name, [document_id for document_id, _ in group])
        return removed
