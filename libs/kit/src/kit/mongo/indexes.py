"""Indexes declared beside the queries that need them, made at start-up."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from kit.mongo import Document


@dataclass(frozen=True)
class Index:
    """An index a repository's queries need, declared next to them and created at start-up.

    `fields` in order, "-name" for descending; `sparse` leaves out documents without the first
    field (what a `$exists` query on it needs). Every query's filter and sort must be covered by
    a prefix of a declared index (kit.index_coverage); the test suites check that.

    `narrowed_by`: array fields a query may add an equality on beside the index's own, decided
    on each document the index finds. MongoDB cannot index two arrays of a document together
    (its "parallel arrays"), and an answer narrowed by the store is smaller than one the caller
    narrows (FerretDB's PostgreSQL intersects the two fields' indexes). They are told to the
    server as the `createIndexes` comment, where the query log reads them."""

    name: str
    fields: tuple[str, ...]
    unique: bool = False
    sparse: bool = False
    narrowed_by: tuple[str, ...] = ()

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
        narrowing = {"narrowed_by": {index.name: list(index.narrowed_by)}}
        await collection.create_indexes(
            [index.model()], comment=narrowing if index.narrowed_by else None
        )
