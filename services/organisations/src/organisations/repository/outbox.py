"""How this service's writes meet the kit's outbox relay.

The kit serialises each write per collection and tells the relay which documents were
written (kit.mongo, kit.outbox). A use case that reads a document and then writes it
back holds its collection's lock here across both, so that another use case of this
process cannot slip in between (FerretDB 1.24 would let the later write undo the first).
"""

import asyncio

from kit.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection


class OutboxWrites:
    """The read-then-write locks of the repositories (the kit wakes the relay by itself)."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    def lock_of(self, collection: AsyncCollection[Document]) -> asyncio.Lock:
        return self._locks.setdefault(collection.name, asyncio.Lock())
