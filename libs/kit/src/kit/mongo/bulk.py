"""Writes of many documents: in pieces FerretDB can take, told to the outbox relay, checked
after."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from kit.mongo import Document, SerialisedCollection, Write, exclusive_writes
from kit.mongo.lookups import by_ids

log = logging.getLogger(__name__)


async def upgrade_once(
    db: AsyncDatabase[Document], name: str, upgrade: Callable[[], Awaitable[int]]
) -> None:
    """Run `upgrade` (of documents stored by an earlier release; it tells how many it
    changed) unless the database's `upgrades` says it ran, then say so there."""
    upgrades = db["upgrades"]
    if await upgrades.find_one({"_id": name}) is None:
        log.info("upgrading", extra={"upgrade": name})
        started = time.monotonic()
        documents = await upgrade()
        await upgrades.insert_one({"_id": name, "documents": documents})
        seconds = round(time.monotonic() - started, 1)
        log.info("upgraded", extra={"upgrade": name, "documents": documents, "seconds": seconds})


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
    collection: AsyncCollection[Document],
    changes: Sequence[tuple[Document, Document]],
    known: Collection[Any] | None = None,
) -> None:
    """For each (guard, fields): set the fields on the document the guard selects, or insert
    the document (the guard's `_id` with the fields) when none has that id; a known document
    the guard refuses (a newer version) is left as it is. In bulk: one query, one insert, one
    update — not upserts, which FerretDB 1.24 answers malformed once one meets a duplicate.
    `known`: the ids of those stored already, when the caller has just read them.
    """
    if known is None:
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
