"""Saving an aggregate: its state and its events in one single-document write, under its
version guard — the one write path of the services' repositories.

A new aggregate is inserted with its events in `pending_events`. A changed one is updated
only over the version it was read at (an optimistic lock), its events pushed onto
`pending_events` in the same update; with `applying`, only once per id (a transfer, an
event), kept in the document. The database tells the outbox relay of the write (kit.mongo,
kit.outbox): nothing else need wake it.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import bson
from bson.codec_options import CodecOptions
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from kit.mongo import Document
from kit.mongo.bulk import bulk_write_in_parts, tell_written
from kit.mongo.lookups import by_ids
from kit.outbox import PENDING, push_events

APPLIED = "applied_events"


@dataclass(frozen=True)
class Change:
    """An aggregate's state as stored (`_id` included), the events it records, and the id of
    what it applies at most once (kept in the document's `applied_in`).

    Written over `read_version`, the version it was read at (by default the one before the
    document's `version`); new — inserted — when that is 0, or when the aggregate keeps no
    version (it is only ever inserted)."""

    document: Document
    events: Sequence[Document] = field(default_factory=tuple)
    applying: str | None = None
    applied_in: str = APPLIED
    read_version: int | None = None
    # the document as read: a save in batches sets only the fields that differ from it
    read_document: Document | None = None

    @property
    def is_new(self) -> bool:
        return "version" not in self.document or self.guard_version == 0

    @property
    def guard_version(self) -> int:
        if self.read_version is not None:
            return self.read_version
        return int(self.document["version"]) - 1

    def inserted(self) -> Document:
        return {**self.document, PENDING: list(self.events)}

    def guarded_update(self) -> tuple[Document, Document]:
        """The version guard (and once-per-id guard), and the update with the events."""
        state = {k: v for k, v in self.document.items() if k != "_id"}
        guard: Document = {"_id": self.document["_id"], "version": self.guard_version}
        update: Document = {"$set": state}
        if self.events:
            update["$push"] = push_events(self.events)
        if self.applying is not None:
            guard[self.applied_in] = {"$ne": self.applying}
            update["$addToSet"] = {self.applied_in: self.applying}
        return guard, update

    def changed_fields(self) -> tuple[Document, list[str]]:
        """The fields to set and to unset, over the document as read (all of it, unread)."""
        state = {k: v for k, v in self.document.items() if k != "_id"}
        if self.read_document is None:
            return state, []
        before = self.read_document
        changed = {k: v for k, v in state.items() if k not in before or before[k] != v}
        return changed, sorted(k for k in before if k not in self.document)

    def shows_in(self, stored: Document, codec: CodecOptions[Document]) -> bool:
        """The stored document holds this change (read back after a bulk write), its values
        compared as the store keeps them (`codec`: a time to the millisecond, in UTC)."""
        if self.applying is not None and self.applying not in stored.get(self.applied_in, []):
            return False
        document = bson.decode(bson.encode(self.document, codec_options=codec), codec)
        return all(stored.get(k) == v for k, v in document.items())


async def save_aggregate(
    collection: AsyncCollection[Document], change: Change, conflict: Exception | None = None
) -> bool:
    """Insert the aggregate when new, else update it under its version guard, its events
    with it. When the guard misses (changed meanwhile, or applied already): `conflict` is
    raised if given (a CONFLICT for the caller), else False. A duplicate key is raised as
    such (the caller knows which of its unique fields it means)."""
    if change.is_new:
        await collection.insert_one(change.inserted())
        return True
    result = await collection.update_one(*change.guarded_update())
    if result.matched_count == 1:
        return True
    if conflict is not None:
        raise conflict
    return False


async def save_aggregates(
    collection: AsyncCollection[Document], changes: Sequence[Change], tell: bool = True
) -> set[Any]:
    """`save_aggregate` of many changed aggregates in one unordered bulk write (sent in parts
    at once, see kit.mongo.bulk); the ids written.

    The relay is told of the documents written with the events each got, so it need not read
    them back; with `tell` False only when the caller is ready (`tell_saved`). A write that
    fails midway is told at once, its documents to be read back. A bulk write tells how many
    updates applied, not which: when some did not, the documents are read back to tell them
    apart."""
    if not changes:
        return set()
    ids = [change.document["_id"] for change in changes]
    requests = [UpdateOne(*change.guarded_update()) for change in changes]
    try:
        matched, _ = await bulk_write_in_parts(collection, requests, ids, tell=False)
    except BaseException:
        tell_written(collection, ids)
        raise
    written = await _written_among(collection, changes, matched)
    if tell:
        tell_saved(collection, changes, written)
    return written


def tell_saved(
    collection: AsyncCollection[Document], changes: Sequence[Change], written: Collection[Any]
) -> None:
    """Tell the relay of the aggregates `save_aggregates` wrote, with their events."""
    tell_written(
        collection,
        [change.document["_id"] for change in changes if change.document["_id"] in written],
        {
            change.document["_id"]: list(change.events)
            for change in changes
            if change.document["_id"] in written
        },
    )


async def _written_among(
    collection: AsyncCollection[Document], changes: Sequence[Change], matched: int
) -> set[Any]:
    ids = [change.document["_id"] for change in changes]
    if matched == len(changes):
        return set(ids)
    if matched == 0:
        return set()
    wanted: Document = {"_id": 1} | {k: 1 for change in changes for k in change.document}
    wanted |= {change.applied_in: 1 for change in changes if change.applying is not None}
    stored = {document["_id"]: document for document in await by_ids(collection, ids, wanted)}
    return {
        change.document["_id"]
        for change in changes
        if change.document["_id"] in stored
        and change.shows_in(stored[change.document["_id"]], collection.codec_options)
    }
