"""Saving an aggregate: state and events in one guarded single-document update."""

from collections.abc import Callable, Sequence
from typing import Any

from kit.mongo import Document
from kit.outbox import PENDING, push_events
from pymongo.asynchronous.collection import AsyncCollection

APPLIED = "applied_transfers"
BATCH = 10_000


async def save_guarded(
    collection: AsyncCollection[Document],
    document: Document,
    events: Sequence[dict[str, Any]],
    on_write: Callable[[], None],
    applying: str | None = None,
) -> bool:
    """Write the new state if the stored version is the one before it (optimistic lock);
    with `applying`, only once per transfer id. False when nothing was written."""
    state = {k: v for k, v in document.items() if k != "_id"}
    guard: Document = {"_id": document["_id"], "version": document["version"] - 1}
    update: Document = {"$set": state}
    if events:
        update["$push"] = push_events(events)
    if applying is not None:
        guard[APPLIED] = {"$ne": applying}
        update["$addToSet"] = {APPLIED: applying}
    result = await collection.update_one(guard, update)
    if result.modified_count == 1:
        if events:
            on_write()
        return True
    return False


WITHOUT_OUTBOX = {PENDING: 0, APPLIED: 0}
