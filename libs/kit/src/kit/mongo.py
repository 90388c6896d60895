"""The MongoDB client every service uses, with writes serialised per collection.

FerretDB 1.24 on SQLite applies concurrent updates of one document as unguarded
read-modify-writes: of 200 concurrent `$push`es to one document, 7 survive (a version guard
does not help; see tests/integration/test_serialised_writes.py). The outbox relay's `$pop`
and a use case's write to the same aggregate would lose events that way. So every write
through a service's database waits for the other writes to the same collection in the
process. A service therefore runs as one process per database on FerretDB; MongoDB 7
updates documents atomically and needs none of this, but pays little for it.
"""

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from kit.settings import ServiceSettings

Document = dict[str, Any]

WRITES = (
    "insert_one",
    "insert_many",
    "update_one",
    "update_many",
    "replace_one",
    "delete_one",
    "delete_many",
    "bulk_write",
    "find_one_and_update",
    "find_one_and_replace",
    "find_one_and_delete",
)


WriteListener = Callable[[str, list[Any] | None], None]
"""Told of each write: the collection's name and the written documents' ids (None: unknown)."""


class SerialisedCollection(AsyncCollection[Document]):
    write_lock: asyncio.Lock
    write_listeners: list[WriteListener]


def written_ids(write: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any] | None:
    """The ids a write touched, when its arguments tell them."""
    if write == "insert_one":
        return [args[0].get("_id")]
    if write == "insert_many":
        return [document.get("_id") for document in args[0]]
    if write == "bulk_write":
        return None
    selector = args[0] if args else kwargs.get("filter", {})
    wanted = selector.get("_id")
    if isinstance(wanted, dict):
        return list(wanted["$in"]) if set(wanted) == {"$in"} else None
    return None if wanted is None else [wanted]


def _serialised(name: str) -> Callable[..., Awaitable[Any]]:
    write = getattr(AsyncCollection, name)

    @functools.wraps(write)
    async def serialised(self: SerialisedCollection, *args: Any, **kwargs: Any) -> Any:
        async with self.write_lock:
            result = await write(self, *args, **kwargs)
        ids = written_ids(name, args, kwargs)
        for listener in self.write_listeners:
            listener(self.name, ids)
        return result

    return serialised


for _name in WRITES:
    setattr(SerialisedCollection, _name, _serialised(_name))


@contextlib.asynccontextmanager
async def exclusive_writes(
    collection: AsyncCollection[Document],
) -> AsyncIterator[AsyncCollection[Document]]:
    """Hold the collection's write turn across several operations (read, then write).

    Yields a plain view of the same collection whose writes do not wait for the turn again.
    """
    if not isinstance(collection, SerialisedCollection):
        yield collection
        return
    async with collection.write_lock:
        yield AsyncCollection(collection.database, collection.name)


class SerialisedDatabase(AsyncDatabase[Document]):
    def __init__(self, client: AsyncMongoClient[Document], name: str) -> None:
        super().__init__(client, name)
        self._write_locks: dict[str, asyncio.Lock] = {}
        self.write_listeners: list[WriteListener] = []

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        collection = SerialisedCollection(self, name)
        collection.write_lock = self._write_locks.setdefault(name, asyncio.Lock())
        collection.write_listeners = self.write_listeners
        return collection

    def get_collection(self, name: str, *args: Any, **kwargs: Any) -> AsyncCollection[Document]:
        return self[name]


def connect(settings: ServiceSettings) -> AsyncMongoClient[Document]:
    """A pooled client; PyMongo connects lazily, so this never blocks start-up."""
    return AsyncMongoClient(
        settings.mongodb_url,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        appname=settings.service_name,
    )


def database(
    client: AsyncMongoClient[Document], settings: ServiceSettings
) -> AsyncDatabase[Document]:
    return SerialisedDatabase(client, settings.database_name)


async def is_reachable(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True


# FerretDB 1.24 serves `_id` equality from its primary key but scans the whole collection for
# `$in`: up to this many ids are looked up one by one (at once), more in one scan
ONE_BY_ONE = 32


async def by_ids(
    collection: AsyncCollection[Document],
    ids: Sequence[str],
    projection: Document | None = None,
) -> list[Document]:
    """The documents with these ids (each once; unknown ids left out, in no set order)."""
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > ONE_BY_ONE:
        return await collection.find({"_id": {"$in": wanted}}, projection).to_list()
    found = await asyncio.gather(*(collection.find_one({"_id": i}, projection) for i in wanted))
    return [document for document in found if document is not None]


# FerretDB 1.24 applies the updates of one bulk write one after the other, each waiting on its
# own PostgreSQL round trips (~40 ms each on a busy 2-core machine); updates of distinct
# documents sent side by side overlap those waits (400 updates: 24 s in one bulk, 1.8 s in
# 16 at once, on a busy machine; 8 at once keeps its share of the PostgreSQL pool modest)
PARTS = 8


async def bulk_write_in_parts(
    collection: AsyncCollection[Document],
    requests: Sequence[Any],
    ids: Sequence[Any],
    parts: int = PARTS,
    tell: bool = True,
) -> tuple[int, int]:
    """An unordered bulk write of updates to distinct documents (`ids`), sent as up to `parts`
    bulk writes at once in the collection's write turn; (matched, modified) in all. With
    `tell` False, the write listeners are told later (tell_written), by the caller."""
    if not requests:
        return 0, 0
    async with exclusive_writes(collection) as writes:
        results = await asyncio.gather(
            *(
                writes.bulk_write(list(requests[n::parts]), ordered=False)
                for n in range(min(parts, len(requests)))
            )
        )
    if tell:
        tell_written(collection, ids)
    return sum(r.matched_count for r in results), sum(r.modified_count for r in results)


def tell_written(collection: AsyncCollection[Document], ids: Sequence[Any]) -> None:
    """Tell the collection's write listeners (the outbox relay) of documents written."""
    if isinstance(collection, SerialisedCollection):
        for listener in collection.write_listeners:
            listener(collection.name, list(ids))
