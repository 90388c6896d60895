"""The outbox: events ride in the aggregate document and a relay moves them to RabbitMQ.

A write that changes an aggregate pushes its events onto the document's `pending_events`
in the same single-document update. The relay publishes each document's events in order,
with publisher confirms, then removes the published ones in the collection's write turn
(see kit.mongo: one process writes a service's database). A crash between publish and
removal publishes again: consumers are idempotent by event id.
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from kit.bus import BusUnavailable, EventBus
from kit.mongo import Document, Index, create_indexes, exclusive_writes

log = logging.getLogger(__name__)

PENDING = "pending_events"
# every event has an id: a document has pending events when one has an id; the sparse index
# holds only those documents, so looking for them reads no other
HAS_PENDING = {f"{PENDING}.id": {"$exists": True}}
OUTBOX_INDEXES = (Index("outbox_pending", (f"{PENDING}.id",), sparse=True),)


def push_events(events: Sequence[Document]) -> dict[str, Any]:
    """The `$push` clause that records events in the same update as the change."""
    return {PENDING: {"$each": list(events)}}


class OutboxRelay:
    def __init__(
        self,
        bus: EventBus,
        collections: Sequence[AsyncCollection[Document]],
        poll_seconds: float = 1.0,
        concurrency: int = 32,
        full_scan_seconds: float = 30.0,
    ) -> None:
        self.bus = bus
        self.collections = list(collections)
        self.poll_seconds = poll_seconds
        self.concurrency = concurrency
        self.full_scan_seconds = full_scan_seconds
        self._written: dict[str, set[Any] | None] = {}
        self._last_full_scan = -float("inf")
        self._wake = asyncio.Event()
        self._indexed: set[str] = set()
        self.published = 0

    def notify(self) -> None:
        """Wake the relay now instead of at its next poll."""
        self._wake.set()

    def note_write(self, collection: str, ids: list[Any] | None) -> None:
        """A write listener (kit.mongo): look at these documents at the next drain.

        With ids unknown, the whole collection is looked at. Between writes the relay looks
        only at what was written, and at everything every `full_scan_seconds` — after a
        crash, or for writes of another process.
        """
        known = self._written.get(collection, set())
        if ids is None or known is None:
            self._written[collection] = None
        else:
            self._written[collection] = known | set(ids)
        self._wake.set()

    async def run(self) -> None:
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

    async def drain(self) -> int:
        """Publish the pending events of what was written (or of everything, now and then)."""
        for collection in self.collections:  # what the look for pending events needs
            if collection.name not in self._indexed:
                await create_indexes(collection, OUTBOX_INDEXES)
                self._indexed.add(collection.name)
        now = asyncio.get_running_loop().time()
        full = now - self._last_full_scan >= self.full_scan_seconds
        written, self._written = self._written, {}
        if full:
            self._last_full_scan = now
        sent = 0
        try:
            for collection in self.collections:
                selector: dict[str, Any] = dict(HAS_PENDING)
                if not full:
                    if collection.name not in written:
                        continue
                    ids = written[collection.name]
                    if ids is not None:
                        selector["_id"] = {"$in": list(ids)}
                documents = [d async for d in collection.find(selector, {PENDING: 1})]
                if documents:
                    sent += await self._relay(collection, documents)
        except BaseException:
            for name, ids in written.items():  # look at them again next time
                self.note_write(name, None if ids is None else list(ids))
            raise
        self.published += sent
        return sent

    async def _relay(self, collection: AsyncCollection[Document], documents: list[Document]) -> int:
        """Publish the documents' events (each document's in order), then remove them.

        The removal re-reads the documents in the collection's write turn, so an event a
        use case appended meanwhile stays; documents emptied entirely take one update.
        """
        published: dict[Any, set[str]] = {}
        turns = asyncio.Semaphore(self.concurrency)

        async def publish_events_of(document: Document) -> None:
            done = published.setdefault(document["_id"], set())
            async with turns:
                for event in document[PENDING]:
                    await self.bus.publish(event)
                    done.add(event["id"])

        outcome = await asyncio.gather(
            *(publish_events_of(document) for document in documents), return_exceptions=True
        )
        sent = await self._remove(collection, published)
        for failure in outcome:
            if isinstance(failure, BaseException):
                raise failure
        return sent

    async def _remove(
        self, collection: AsyncCollection[Document], published: dict[Any, set[str]]
    ) -> int:
        removed = 0
        async with exclusive_writes(collection) as writes:
            emptied = []
            cursor = writes.find({"_id": {"$in": list(published)}}, {PENDING: 1})
            async for document in cursor:
                pending = document.get(PENDING) or []
                sent = published[document["_id"]]
                count = next(
                    (n for n, e in enumerate(pending) if e["id"] not in sent), len(pending)
                )
                removed += count
                if count == len(pending):
                    emptied.append(document["_id"])
                elif count:
                    await writes.update_one(
                        {"_id": document["_id"]}, {"$set": {PENDING: pending[count:]}}
                    )
            if emptied:
                await writes.update_many({"_id": {"$in": emptied}}, {"$set": {PENDING: []}})
        return removed
