"""The outbox: events ride in the aggregate document and a relay moves them to RabbitMQ.

A write that changes an aggregate pushes its events onto the document's `pending_events`
in the same single-document update. The relay publishes them in order, with publisher
confirms, and pops each from the front guarded by its id. A crash between publish and pop
publishes again: consumers are idempotent by event id.
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from kit.bus import BusUnavailable, EventBus
from kit.mongo import Document

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
    ) -> None:
        self.bus = bus
        self.collections = list(collections)
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self.published = 0

    def notify(self) -> None:
        """Wake the relay now instead of at its next poll (called after each write)."""
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
        """Publish every pending event of every collection; returns how many went out."""
        sent = 0
        for collection in self.collections:
            cursor = collection.find({f"{PENDING}.0": {"$exists": True}}, {PENDING: 1})
            async for document in cursor:
                sent += await self._relay_document(collection, document)
        self.published += sent
        return sent

    async def _relay_document(
        self, collection: AsyncCollection[Document], document: Document
    ) -> int:
        sent = 0
        for event in document[PENDING]:
            await self.bus.publish(event)
            popped = await collection.update_one(
                {"_id": document["_id"], f"{PENDING}.0.id": event["id"]},
                {"$pop": {PENDING: -1}},
            )
            if popped.modified_count == 0:
                break  # another relay got there first; the next drain sees the rest
            sent += 1
        return sent
