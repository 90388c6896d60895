"""One writer at a time per document, within this process.

FerretDB 1.24 applies an update by reading the document, changing it in memory and writing the
whole of it back, with nothing checked in between: two updates of one document at the same
moment lose one of them, filters used as guards included (measured: 23 of 50 state changes lost
to a concurrent outbox `$pop`). Every write this process makes to a document — the relay's
`$pop` included — holds that document's lock. MongoDB needs none of this; several replicas of
the service on FerretDB would still race.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from kit.bus import EventBus
from kit.mongo import Document
from kit.outbox import OutboxRelay
from pymongo.asynchronous.collection import AsyncCollection


class DocumentLocks:
    def __init__(self) -> None:
        self._locks: dict[tuple[str, object], asyncio.Lock] = {}
        self._holders: dict[tuple[str, object], int] = {}

    @asynccontextmanager
    async def hold(self, collection: str, document_id: object) -> AsyncIterator[None]:
        key = (collection, document_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                del self._holders[key], self._locks[key]


class LockingOutboxRelay(OutboxRelay):
    """The kit's relay, popping each published event under the document's lock."""

    def __init__(self, bus: EventBus, poll_seconds: float, locks: DocumentLocks) -> None:
        super().__init__(bus, [], poll_seconds)
        self.locks = locks

    async def _relay_document(
        self, collection: AsyncCollection[Document], document: Document
    ) -> int:
        async with self.locks.hold(collection.name, document["_id"]):
            return await super()._relay_document(collection, document)
