"""What a process works out from a read model, kept until the read model changes.

A caller's scope is every organisation under their roots: at the size of a city, thousands of
documents read for each request. The tree changes seldom (a restructuring, a new cell), so a
process keeps what it worked out under the read model's stamp: a document every write of the
read model gives a new value once it is done (`moved_on`). Each use reads the stamp (one
document by id) and works the value out again only if the stamp is not the one it was worked
out under. The stamp is read before the value is worked out, so a write that lands meanwhile
moves the stamp on after it, and the next use works it out again; replicas share the stamp.
"""

import uuid
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from kit.mongo import Document

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

KEPT = 64  # values kept at most (the oldest goes first)


class Stamped(Generic[K, V]):
    """Values by key, each worked out under the stamp named `name` in `stamps`."""

    def __init__(self, stamps: AsyncCollection[Document], name: str, kept: int = KEPT) -> None:
        self.stamps = stamps
        self.name = name
        self.kept = kept
        self.values: dict[K, tuple[str | None, V]] = {}

    async def get(self, key: K, work_out: Callable[[], Awaitable[V]]) -> V:
        stamp = await self.stamp()
        if (found := self.values.get(key)) is not None and found[0] == stamp:
            return found[1]
        value = await work_out()
        self.values.pop(key, None)
        self.values[key] = (stamp, value)
        while len(self.values) > self.kept:
            self.values.pop(next(iter(self.values)))
        return value

    async def stamp(self) -> str | None:
        document = await self.stamps.find_one({"_id": self.name})
        return str(document["stamp"]) if document else None

    async def moved_on(self) -> None:
        """After a write of the read model: every value kept is worked out again."""
        self.values.clear()
        new = {"$set": {"stamp": uuid.uuid4().hex}}
        try:
            await self.stamps.update_one({"_id": self.name}, new, upsert=True)
        except DuplicateKeyError:  # another process inserted it first
            await self.stamps.update_one({"_id": self.name}, new)
