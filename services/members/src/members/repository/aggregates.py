"""Saving an aggregate: state and events in one guarded single-document update."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kit.mongo import Document, bulk_write_in_parts, by_ids, tell_written
from kit.outbox import PENDING, push_events
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

APPLIED = "applied_transfers"
BATCH = 10_000


@dataclass(frozen=True)
class Change:
    """An aggregate's new state as stored, its events, and the transfer it applies (if any)."""

    document: Document
    events: Sequence[dict[str, Any]] = field(default_factory=tuple)
    applying: str | None = None

    def guarded_update(self) -> tuple[Document, Document]:
        """The version guard (and once-per-transfer guard) and the update with the events."""
        state = {k: v for k, v in self.document.items() if k != "_id"}
        guard: Document = {"_id": self.document["_id"], "version": self.document["version"] - 1}
        update: Document = {"$set": state}
        if self.events:
            update["$push"] = push_events(self.events)
        if self.applying is not None:
            guard[APPLIED] = {"$ne": self.applying}
            update["$addToSet"] = {APPLIED: self.applying}
        return guard, update

    def shows_in(self, stored: Document) -> bool:
        """The stored document holds this change (read back after a bulk write)."""
        if self.applying is not None and self.applying not in stored.get(APPLIED, []):
            return False
        return all(stored.get(k) == v for k, v in self.document.items())


async def save_guarded(
    collection: AsyncCollection[Document],
    document: Document,
    events: Sequence[dict[str, Any]],
    on_write: Callable[[], None],
    applying: str | None = None,
) -> bool:
    """Write the new state if the stored version is the one before it (optimistic lock);
    with `applying`, only once per transfer id. False when nothing was written."""
    guard, update = Change(document, events, applying).guarded_update()
    result = await collection.update_one(guard, update)
    if result.modified_count == 1:
        if events:
            on_write()
        return True
    return False


async def save_many_guarded(
    collection: AsyncCollection[Document],
    changes: Sequence[Change],
    on_write: Callable[[], None],
    announce: bool = True,
) -> set[Any]:
    """`save_guarded` of many aggregates in one unordered bulk write (sent in parts at once,
    see kit.mongo); the ids written.

    With `announce` False, the relay hears of the events only from `announce_written`.
    A bulk write tells how many updates applied, not which: when some did not (changed
    meanwhile, or applied already), the documents are read back to tell them apart."""
    if not changes:
        return set()
    ids = [change.document["_id"] for change in changes]
    _, modified = await bulk_write_in_parts(
        collection, [UpdateOne(*change.guarded_update()) for change in changes], ids, tell=announce
    )
    if modified and announce and any(change.events for change in changes):
        on_write()
    if modified == len(changes):
        return set(ids)
    if modified == 0:
        return set()
    wanted = {"_id": 1, APPLIED: 1} | {k: 1 for change in changes for k in change.document}
    stored = {document["_id"]: document for document in await by_ids(collection, ids, wanted)}
    return {
        change.document["_id"]
        for change in changes
        if change.document["_id"] in stored and change.shows_in(stored[change.document["_id"]])
    }


def announce_written(
    collection: AsyncCollection[Document], ids: Sequence[Any], on_write: Callable[[], None]
) -> None:
    """Tell the outbox relay of events written by `save_many_guarded(..., announce=False)`."""
    if ids:
        tell_written(collection, ids)
        on_write()


async def applied_among(
    collection: AsyncCollection[Document], person_of: Mapping[str, str]
) -> set[str]:
    """Of these transfers (id → the person's id), those already applied to their person."""
    if not person_of:
        return set()
    found = await by_ids(collection, sorted(set(person_of.values())), {APPLIED: 1})
    applied = {(d["_id"], t) for d in found for t in d.get(APPLIED, [])}
    return {t for t, person in person_of.items() if (person, t) in applied}


WITHOUT_OUTBOX = {PENDING: 0, APPLIED: 0}
