"""The MongoDB client every service uses, with writes serialised per collection on FerretDB.

FerretDB 1.24 applies concurrent updates of one document as unguarded read-modify-writes, on
either backend: of 100 concurrent `$push`es to one document, about a quarter survive on
PostgreSQL and fewer on SQLite (a version guard does not help; see
tests/integration/test_serialised_writes.py). The outbox relay's `$pop`
and a use case's write to the same aggregate would lose events that way. So on FerretDB every
write through a service's database waits for the other writes to the same collection in the
process, and a service runs as one process per database there. MongoDB 7 updates documents
atomically: there the writes go as they come (replicas rely on guarded writes, not on turns).
Which store answers is learnt from its build info (`follow_the_store`); until then, writes
take turns.
"""

import asyncio
import contextlib
import functools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient, DeleteMany, DeleteOne, InsertOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from kit.query_log import QUERY_LOG, QueryLog
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


@dataclass(frozen=True)
class Write:
    """What a write listener hears of a write that went through a service's database."""

    collection: str
    ids: list[Any] | None  # the documents it touched, when its arguments tell (None: unknown)
    # what it sent: the documents inserted or replacing, the update documents (None: unknown)
    changes: list[Document] | None
    inserted: bool = False  # an insert that succeeded whole: `changes` are as now stored
    # the events an update added to each document it applied to, where its writer knows them
    # (kit.aggregates' bulk saves): the relay need not read those documents back
    pushed: Mapping[Any, Sequence[Document]] | None = None


WriteListener = Callable[[Write], None]


class SerialisedCollection(AsyncCollection[Document]):
    write_lock: asyncio.Lock | None  # None: a view whose holder has the turn (exclusive_writes)
    write_listeners: list[WriteListener]


def written_ids(write: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any] | None:
    """The ids a write touched, when its arguments tell them."""
    if write == "insert_one":
        return [args[0].get("_id")]
    if write == "insert_many":
        return [document.get("_id") for document in args[0]]
    if write == "bulk_write":
        ids = [_id_of(request) for request in args[0]]
        return None if any(i is None for i in ids) else ids
    selector = args[0] if args else kwargs.get("filter", {})
    wanted = selector.get("_id")
    if isinstance(wanted, dict):
        return list(wanted["$in"]) if set(wanted) == {"$in"} else None
    return None if wanted is None else [wanted]


def _id_of(request: Any) -> Any:
    """The id a request of a bulk write names (an insert's, or its filter's), if one."""
    if isinstance(request, InsertOne):
        return request._doc.get("_id")
    wanted = (getattr(request, "_filter", None) or {}).get("_id")
    return None if isinstance(wanted, dict) else wanted


def sent_changes(
    write: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[Document] | None:
    """The documents a write sends to be stored: inserted, replacing, or update documents."""
    if write.startswith("delete") or write == "find_one_and_delete":
        return []
    if write == "insert_one":
        return [args[0]]
    if write == "insert_many":
        return list(args[0])
    if write == "bulk_write":
        changes = [getattr(request, "_doc", None) for request in args[0]]
        deleted = [isinstance(r, (DeleteOne, DeleteMany)) for r in args[0]]
        if any(c is None and not d for c, d in zip(changes, deleted, strict=True)):
            return None
        return [c for c in changes if isinstance(c, dict)]
    change = args[1] if len(args) > 1 else kwargs.get("update", kwargs.get("replacement"))
    return [change] if isinstance(change, dict) else None


def is_ferretdb(build_info: Mapping[str, Any]) -> bool:
    """Whether the server's `buildInfo` answer is FerretDB's (MongoDB's has no such field)."""
    return "ferretdbVersion" in build_info


def _takes_turns(collection: AsyncCollection[Document]) -> bool:
    return bool(getattr(collection.database, "serialises_writes", True))


def _serialised(name: str) -> Callable[..., Awaitable[Any]]:
    write = getattr(AsyncCollection, name)

    @functools.wraps(write)
    async def serialised(self: SerialisedCollection, *args: Any, **kwargs: Any) -> Any:
        if name in ("insert_many", "bulk_write") and args:  # read once, told after the write
            args = (list(args[0]), *args[1:])
        inserted = False
        try:
            turn = self.write_lock if _takes_turns(self) else None
            async with turn or contextlib.nullcontext():
                result = await write(self, *args, **kwargs)
            inserted = name in ("insert_one", "insert_many")
            return result
        finally:  # a write that failed may have written some documents (a bulk write)
            heard = Write(
                self.name,
                written_ids(name, args, kwargs),
                sent_changes(name, args, kwargs),
                inserted,
            )
            for listener in self.write_listeners:
                listener(heard)

    return serialised


for _name in WRITES:
    setattr(SerialisedCollection, _name, _serialised(_name))


@contextlib.asynccontextmanager
async def exclusive_writes(
    collection: AsyncCollection[Document], heard: bool = True
) -> AsyncIterator[AsyncCollection[Document]]:
    """Hold the collection's write turn across several operations (a read, then a write; an
    aggregate, then its subtree), so that no other write of the process comes in between.

    Yields a view of the same collection whose writes do not wait for the turn again (nor
    does a turn taken of the view). On MongoDB, where single writes take no turns, the turns
    taken so still exclude each other within the process (what they guard across replicas is
    the repository's to guard in the store). Its writes are told to the write listeners (the outbox
    relay) as any other, unless `heard` is False: writes the caller tells of itself, or none
    should (the relay's own removals).
    """
    if not isinstance(collection, SerialisedCollection):
        yield collection
        return
    view = SerialisedCollection(collection.database, collection.name)
    view.write_lock = None
    view.write_listeners = collection.write_listeners if heard else []
    if collection.write_lock is None:  # a view: its holder has the turn
        yield view
        return
    async with collection.write_lock:
        yield view


class SerialisedDatabase(AsyncDatabase[Document]):
    def __init__(self, client: AsyncMongoClient[Document], name: str) -> None:
        super().__init__(client, name)
        self._write_locks: dict[str, asyncio.Lock] = {}
        self.write_listeners: list[WriteListener] = []
        self.serialises_writes = True  # until the store says it is not FerretDB

    async def follow_the_store(self, retry_seconds: float = 5.0) -> None:
        """Serialise writes if the store is FerretDB, else not: asks its build info until it
        answers (writes take turns meanwhile)."""
        while True:
            try:
                info = await self.command("buildInfo")
            except PyMongoError:
                await asyncio.sleep(retry_seconds)
                continue
            self.serialises_writes = is_ferretdb(info)
            return

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        collection = SerialisedCollection(self, name)
        collection.write_lock = self._write_locks.setdefault(name, asyncio.Lock())
        collection.write_listeners = self.write_listeners
        return collection

    def get_collection(self, name: str, *args: Any, **kwargs: Any) -> AsyncCollection[Document]:
        return self[name]


def connect(settings: ServiceSettings) -> AsyncMongoClient[Document]:
    """A pooled client; PyMongo connects lazily, so this never blocks start-up.

    With PARTYORG_QUERY_LOG set (the test suites set it), the shape of every query the client
    sends is appended to that file (kit.query_log) for the index coverage check."""
    query_log = os.environ.get(QUERY_LOG)
    return AsyncMongoClient(
        settings.mongodb_url,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        socketTimeoutMS=settings.mongodb_socket_timeout_seconds * 1000,
        maxPoolSize=settings.mongodb_max_pool_size,
        appname=settings.service_name,
        event_listeners=[QueryLog(query_log, settings.service_name)] if query_log else [],
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
