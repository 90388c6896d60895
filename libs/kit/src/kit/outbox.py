"""The outbox: events ride in the aggregate document and a relay moves them to RabbitMQ.

A write that changes an aggregate pushes its events onto the document's `pending_events`
in the same single-document update. The relay publishes the events of many documents at once
(a batch), each document's in order, with publisher confirms awaited together; then it pops
each published event from the front of its document, guarded by the event's id, all the
batch's pops in one ordered bulk write. A crash between publish and removal publishes again:
consumers are idempotent by event id.
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from kit.bus import BusUnavailable, EventBus
from kit.mongo import Document, exclusive_writes

log = logging.getLogger(__name__)

PENDING = "pending_events"


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
        full_scan_seconds: float = 30.0,
    ) -> None:
        self.bus = bus
        self.collections = list(collections)
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.full_scan_seconds = full_scan_seconds
        self._written: dict[str, set[Any] | None] = {}
        self._last_full_scan = -float("inf")
        self._wake = asyncio.Event()
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
        now = asyncio.get_running_loop().time()
        full = now - self._last_full_scan >= self.full_scan_seconds
        written, self._written = self._written, {}
        if full:
            self._last_full_scan = now
        sent = 0
        try:
            for collection in self.collections:
                selector: dict[str, Any] = {f"{PENDING}.0": {"$exists": True}}
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
        """Relay the documents' events a batch at a time; a failed publish stops the drain after
        its batch's published events are removed."""
        sent, batch, events = 0, [], 0
        for document in documents:
            batch.append(document)
            events += len(document[PENDING])
            if events >= self.batch_size:
                sent += await self._relay_batch(collection, batch)
                batch, events = [], 0
        if batch:
            sent += await self._relay_batch(collection, batch)
        return sent

    async def _relay_batch(
        self, collection: AsyncCollection[Document], documents: list[Document]
    ) -> int:
        """Publish the documents' events in waves — every document's first event at once, the
        confirms awaited together, then every second event, … — so that a document's events
        reach the broker in order even when one of them fails; then remove the published ones.
        """
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
        removed = await self._remove(collection, published)
        if failure is not None:
            raise failure
        return removed

    async def _remove(
        self, collection: AsyncCollection[Document], published: dict[Any, list[str]]
    ) -> int:
        """Pop each published event from the front of its document, guarded by its id, in the
        order it was published: correct whatever else writes the document meanwhile (a `$push`
        appends behind; an event already gone leaves the guard unmatched, and nothing changes).
        One ordered bulk write: the store applies the pops of one document in order.
        """
        pops = [
            UpdateOne({"_id": document_id, f"{PENDING}.0.id": event_id}, {"$pop": {PENDING: -1}})
            for document_id, event_ids in published.items()
            for event_id in event_ids
        ]
        if not pops:
            return 0
        async with exclusive_writes(collection) as writes:  # a removal wakes no relay
            result = await writes.bulk_write(pops, ordered=True)
        return result.modified_count
