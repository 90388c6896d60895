"""How this service's writes meet the kit's outbox relay on FerretDB 1.24.

One writer at a time per collection: FerretDB 1.24 applies an update as a read followed by a
write without isolation, so two concurrent updates of one document lose one of them
(measured: 400 concurrent `$inc` of one field left 203). The relay's `$pop` runs concurrently
with the use cases' writes, so every update of a collection — the relay's included — takes
that collection's lock; a version-guarded update then also sees the version it guards.

The relay looks where events were written: FerretDB 1.24 answers any query but `_id`
equality by scanning the whole collection (0.2 ms a document: 400 ms per collection per drain
at 2,000 documents). The relay is shown the documents written since, in the order first
written, each fetched by `_id`; the whole collection only at its first drain and every
`full_scan_seconds` after, which also catches events left by a crash or another process.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, cast

from kit.mongo import Document
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.results import UpdateResult


class _RelayView:
    """What the relay uses of a collection: `find` of pending documents, `update_one`."""

    def __init__(self, collection: AsyncCollection[Document], full_scan_seconds: float) -> None:
        self.collection = collection
        self.name = collection.name
        self.lock = asyncio.Lock()
        self.written: dict[Any, None] = {}  # in the order first written
        self.full_scan_seconds = full_scan_seconds
        self.last_full_scan: float | None = None

    def find(self, query: Mapping[str, Any], projection: Any = None) -> Any:
        now = time.monotonic()
        if self.last_full_scan is None or now - self.last_full_scan >= self.full_scan_seconds:
            self.last_full_scan = now
            return self.collection.find(query, projection)
        return self._written_since(projection)

    async def _written_since(self, projection: Any) -> AsyncIterator[Document]:
        for document_id in list(self.written):
            document = await self.collection.find_one({"_id": document_id}, projection)
            if document and document.get(PENDING):
                yield document
            else:
                self.written.pop(document_id, None)

    async def update_one(
        self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any
    ) -> UpdateResult:
        async with self.lock:
            return await self.collection.update_one(query, update, **kwargs)


class OutboxWrites:
    """The locks and the record of written documents, shared by repositories and relay."""

    def __init__(self, notify: Callable[[], None], full_scan_seconds: float = 30.0) -> None:
        self.notify = notify
        self.full_scan_seconds = full_scan_seconds
        self._views: dict[str, _RelayView] = {}

    def _view(self, collection: AsyncCollection[Document]) -> _RelayView:
        if collection.name not in self._views:
            self._views[collection.name] = _RelayView(collection, self.full_scan_seconds)
        return self._views[collection.name]

    def lock_of(self, collection: AsyncCollection[Document]) -> asyncio.Lock:
        return self._view(collection).lock

    def wrote(self, collection: AsyncCollection[Document], ids: Iterable[Any]) -> None:
        """Events were written into these documents: show them to the relay, wake it."""
        self._view(collection).written.update(dict.fromkeys(ids))
        self.notify()

    def relay_view(self, collection: AsyncCollection[Document]) -> AsyncCollection[Document]:
        return cast(AsyncCollection[Document], self._view(collection))
