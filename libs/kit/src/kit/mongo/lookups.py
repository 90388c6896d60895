"""Documents looked up by many values, one equality query per value, some at once."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from pymongo.asynchronous.collection import AsyncCollection

from kit.mongo import Document

T = TypeVar("T")

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
