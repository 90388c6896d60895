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
from typing import Any, TypeVar

from pymongo import AsyncMongoClient, DeleteMany, DeleteOne, IndexModel, InsertOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, PyMongoError

from kit.query_log import QUERY_LOG, QueryLog
from kit.settings import ServiceSettings

Document = dict[str, Any]
T = TypeVar("T")

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
        appname=settings.service_name,
        event_listeners=[QueryLog(query_log, settings.service_name)] if query_log else [],
    )


@dataclass(frozen=True)
class Index:
    """An index a repository's queries need, declared next to them and created at start-up.

    `fields` in order, "-name" for descending; `sparse` leaves out documents without the first
    field (what a `$exists` query on it needs). Every query's filter and sort must be covered by
    a prefix of a declared index (kit.index_coverage); the test suites check that."""

    name: str
    fields: tuple[str, ...]
    unique: bool = False
    sparse: bool = False

    @property
    def keys(self) -> list[tuple[str, int]]:
        return [(f[1:], -1) if f.startswith("-") else (f, 1) for f in self.fields]

    def model(self) -> IndexModel:
        options: dict[str, Any] = {"unique": True} if self.unique else {}
        if self.sparse:
            options["sparse"] = True
        return IndexModel(self.keys, name=self.name, **options)

    def matches(self, existing: Mapping[str, Any]) -> bool:
        return (
            list(existing["key"].items()) == self.keys
            and bool(existing.get("unique")) == self.unique
            and bool(existing.get("sparse")) == self.sparse
        )


async def create_indexes(collection: AsyncCollection[Document], indexes: Sequence[Index]) -> None:
    """Create the declared indexes that are missing; one of the same name or the same keys that
    differs (made by an older version: another name, not unique yet) is dropped and made again.

    One at a time, the ones in place left alone: FerretDB 1.24 drops the connection when a
    createIndexes of several names only existing ones."""
    existing = [index async for index in await collection.list_indexes()]
    for index in indexes:
        if any(found["name"] == index.name and index.matches(found) for found in existing):
            continue
        for found in list(existing):
            same_keys = list(found["key"].items()) == index.keys
            if found["name"] != "_id_" and (found["name"] == index.name or same_keys):
                await collection.drop_index(found["name"])
                existing.remove(found)
        await collection.create_indexes([index.model()])


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


# FerretDB 1.24 serves `_id` equality from an index (on PostgreSQL, see
# infra/local/ferretdb-indexes.sql) but compares every document of the collection with every
# listed id for `$in` (5,000 card numbers against 20,000 members: 17-35 s). So ids are looked
# up one by one, this many at once; MongoDB serves either from its `_id` index.
ONE_BY_ONE = 32


async def by_ids(
    collection: AsyncCollection[Document],
    ids: Sequence[Any],
    projection: Document | None = None,
    where: Document | None = None,
) -> list[Document]:
    """The documents with these ids (each once; unknown ids left out, in no set order), of
    those that also match `where` if given."""
    return await for_each_value(collection, "_id", ids, where, projection)


async def for_each_value(
    collection: AsyncCollection[Document],
    field: str,
    values: Sequence[Any],
    where: Document | None = None,
    projection: Document | None = None,
    *,
    sort: Sequence[tuple[str, int]] | None = None,
    limit: int = 0,
) -> list[Document]:
    """The documents whose `field` equals (or, for an array, holds) any of these values and
    that match `where`: one equality query per value, this many at once (`$in` would make
    FerretDB compare every document with every value), each document once. With `sort` and
    `limit`, at most `limit` for each value, the first in that order (in no set order
    together)."""

    async def each(value: Any) -> list[Document]:
        cursor = collection.find({field: value, **(where or {})}, projection, limit=limit)
        return await (cursor.sort(list(sort)) if sort else cursor).to_list()

    found: dict[Any, Document] = {}
    for documents in await _each_value(values, each):
        found.update((document["_id"], document) for document in documents)
    return list(found.values())


async def count_for_each_value(
    collection: AsyncCollection[Document],
    field: str,
    values: Sequence[Any],
    where: Document | None = None,
) -> int:
    """How many documents `for_each_value` finds, counted by the store one value at a time (a
    document holding several of the values in an array counts once for each)."""

    async def each(value: Any) -> int:
        return await collection.count_documents({field: value, **(where or {})})

    return sum(await _each_value(values, each))


async def _each_value(values: Sequence[Any], ask: Callable[[Any], Awaitable[T]]) -> list[T]:
    """`ask` of each distinct value, ONE_BY_ONE of them at once."""
    turns = asyncio.Semaphore(ONE_BY_ONE)

    async def each(value: Any) -> T:
        async with turns:
            return await ask(value)

    return await asyncio.gather(*(each(v) for v in dict.fromkeys(values)))


async def upgrade_once(
    db: AsyncDatabase[Document], name: str, upgrade: Callable[[], Awaitable[int]]
) -> None:
    """Run `upgrade` (of documents stored by an earlier release; it tells how many it
    changed) unless the database's `upgrades` says it ran, then say so there."""
    upgrades = db["upgrades"]
    if await upgrades.find_one({"_id": name}) is None:
        await upgrades.insert_one({"_id": name, "documents": await upgrade()})


async def not_at_version(
    collection: AsyncCollection[Document], wanted: Mapping[Any, int]
) -> set[Any]:
    """Which of these documents do not stand at the version wanted: after a bulk write of
    version-guarded updates, those it did not write (changed meanwhile, or missing)."""
    found = await by_ids(collection, list(wanted), {"version": 1})
    landed = {d["_id"] for d in found if d.get("version") == wanted[d["_id"]]}
    return set(wanted) - landed


DUPLICATE_KEY = 11000


def duplicates_among(error: BulkWriteError) -> list[int]:
    """The positions of the operations a bulk write refused for a duplicate key; any other
    failure is raised again."""
    errors = error.details["writeErrors"]
    if any(e["code"] != DUPLICATE_KEY for e in errors):
        raise error
    return [e["index"] for e in errors]


async def set_or_insert_many(
    collection: AsyncCollection[Document], changes: Sequence[tuple[Document, Document]]
) -> None:
    """For each (guard, fields): set the fields on the document the guard selects, or insert
    the document (the guard's `_id` with the fields) when none has that id; a known document
    the guard refuses (a newer version) is left as it is. In bulk: one query, one insert, one
    update — not upserts, which FerretDB 1.24 answers malformed once one meets a duplicate.
    """
    ids = [guard["_id"] for guard, _ in changes]
    known = {d["_id"] for d in await by_ids(collection, ids, {"_id": 1})}
    new = [change for change in changes if change[0]["_id"] not in known]
    updates = [
        UpdateOne(guard, {"$set": fields}) for guard, fields in changes if guard["_id"] in known
    ]
    if new:
        try:
            await collection.insert_many(
                [{"_id": guard["_id"], **fields} for guard, fields in new], ordered=False
            )
        except BulkWriteError as error:  # the same id twice, or stored meanwhile
            updates += [UpdateOne(new[i][0], {"$set": new[i][1]}) for i in duplicates_among(error)]
    for piece in pieces(updates):  # one after another: a document may come twice (STATEMENTS)
        await collection.bulk_write(piece, ordered=False)


# FerretDB 1.24 applies the updates of one bulk write one after the other, each waiting on its
# own PostgreSQL round trips (~40 ms each on a busy 2-core machine); updates of distinct
# documents sent side by side overlap those waits (400 updates: 24 s in one bulk, 1.8 s in
# 16 at once, on a busy machine). And it keeps each update's query open until the whole bulk
# write is done, while the update takes a second PostgreSQL connection for its transaction:
# a bulk write of 1,000 updates holds 1,000 connections, and past its pool every update waits
# for ever (seen: the pool full of idle connections, FerretDB answering nothing). So updates
# go STATEMENTS to a bulk write, WRITES_AT_ONCE bulk writes at a time.
STATEMENTS = 8
WRITES_AT_ONCE = 16


def pieces(requests: Sequence[Any], size: int = STATEMENTS) -> list[list[Any]]:
    return [list(requests[start : start + size]) for start in range(0, len(requests), size)]


async def bulk_write_in_parts(
    collection: AsyncCollection[Document],
    requests: Sequence[Any],
    ids: Sequence[Any],
    tell: bool = True,
) -> tuple[int, int]:
    """An unordered bulk write of updates to distinct documents (`ids`), sent in pieces side by
    side in the collection's write turn; (matched, modified) in all. With `tell` False, the
    write listeners are told later (tell_written), by the caller."""
    if not requests:
        return 0, 0
    turns = asyncio.Semaphore(WRITES_AT_ONCE)
    async with exclusive_writes(collection, heard=False) as writes:

        async def send(piece: list[Any]) -> Any:
            async with turns:
                return await writes.bulk_write(piece, ordered=False)

        results = await asyncio.gather(*map(send, pieces(requests)), return_exceptions=True)
    if tell:
        tell_written(collection, ids)
    done = []
    for result in results:  # raised once every piece is done
        if isinstance(result, BaseException):
            raise result
        done.append(result)
    return sum(r.matched_count for r in done), sum(r.modified_count for r in done)


def tell_written(
    collection: AsyncCollection[Document],
    ids: Sequence[Any],
    pushed: Mapping[Any, Sequence[Document]] | None = None,
) -> None:
    """Tell the collection's write listeners (the outbox relay) of documents written, with the
    events pushed onto those whose events the writer knows (see Write.pushed)."""
    if isinstance(collection, SerialisedCollection):
        for listener in collection.write_listeners:
            listener(Write(collection.name, list(ids), None, pushed=pushed))
