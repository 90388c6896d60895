"""One writer at a time per collection, in this process.

FerretDB 1.24 applies an update as a read followed by a write without isolation: two
concurrent updates of one document lose one of them (measured: 400 concurrent `$inc` of one
field left 203). The outbox relay's `$pop` runs concurrently with the use cases' writes, so
every update of a collection — the relay's included — takes that collection's lock. With the
lock, a version-guarded update also sees the version it guards against.
"""

import asyncio
from collections.abc import Mapping
from typing import Any, cast

from kit.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.results import UpdateResult


class WriteLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    def of(self, collection: AsyncCollection[Document]) -> asyncio.Lock:
        return self._locks.setdefault(collection.name, asyncio.Lock())


class _RelayView:
    """What the outbox relay uses of a collection, its updates taking the collection's lock."""

    def __init__(self, collection: AsyncCollection[Document], lock: asyncio.Lock) -> None:
        self._collection = collection
        self._lock = lock
        self.name = collection.name

    def find(self, *args: Any, **kwargs: Any) -> Any:
        return self._collection.find(*args, **kwargs)

    async def update_one(
        self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any
    ) -> UpdateResult:
        async with self._lock:
            return await self._collection.update_one(query, update, **kwargs)


def relayed_under_lock(
    collection: AsyncCollection[Document], locks: WriteLocks
) -> AsyncCollection[Document]:
    return cast(AsyncCollection[Document], _RelayView(collection, locks.of(collection)))
