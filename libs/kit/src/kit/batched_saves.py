"""Saving many changed aggregates with one update per group of like changes, their events in
outbox batches (kit.event_batches) instead of each document's `pending_events`.

A dissolved cell's thousand transfers are received alike (the same state, day and version):
`save_aggregates` writes them with a thousand guarded updates, and the relay removes each
one's event with a thousand more, where FerretDB applies a few hundred updates a second
however they are grouped. Here the statements are few:

1. the events are written WRITING in outbox batches, stamped with this write's id;
2. the changes alike (the same fields set to the same values, over the same version) go in
   one `update_many`, guarded by the version and by no pending events, that adds the stamp to
   each document's `outbox_writes`;
3. the documents refused are read back by the stamp, and the batches marked READY naming
   them (`ready`: at once, or when the caller says).

A process killed between 1 and 3 leaves WRITING batches: the relay finishes them with the
events of the documents that carry the stamp (EventBatches.finish_abandoned), the others'
dropped — no event lost, none invented.

Order: a document's events are published in the order written.
- The relay publishes READY batches before documents' pending events, so a document that has
  pending events (pushed by a single write, not published yet) is refused by the bulk guard
  and saved the one-by-one way, its event after them.
- The relay publishes batches oldest first, one that shares a document with an earlier one
  only once that one is published (kit.event_batches.in_order): a bulk save need not wait for
  the collection's batches still unsent.
- The write turn of the collection (kit.mongo) is held from the update until READY, so no
  single write of this process pushes an event between. A caller that makes the batches READY
  later must do the same for a single save of a document it holds (members' transfers do).
FerretDB serves one process per database; on MongoDB single writes take no turn, and a single
write in those milliseconds could see its event published before the batch's. A batch left
WRITING by a killed process is published only once finished (ten minutes on): an event saved
one by one on the same document meanwhile goes before it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import bson
from pymongo import UpdateMany
from pymongo.asynchronous.collection import AsyncCollection

from kit.aggregates import Change, save_aggregates
from kit.crash_points import crash_point
from kit.event_batches import STAMPS, OpenBatch, mark_ready, open_batches
from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import bulk_write_in_parts
from kit.mongo.lookups import by_ids, for_each_value
from kit.outbox import HAS_PENDING, PENDING

NO_PENDING = {f"{PENDING}.id": {"$exists": False}}


@dataclass
class SavedInBatches:
    """What `save_in_batches` wrote: the ids saved, and its batches until they are READY."""

    collection: AsyncCollection[Document]
    written: set[Any]
    opened: list[OpenBatch] = field(default_factory=list)
    refused: set[Any] = field(default_factory=set)

    async def ready(self) -> None:
        """Let the relay publish the events (once; later calls do nothing)."""
        opened, self.opened = self.opened, []
        await mark_ready(self.collection, opened, self.refused)


def _likeness(change: Change, narrowed_by: str | None, also: Sequence[str]) -> bytes:
    """Changes alike share this: what they set and unset, over which version, where."""
    changed, unset = change.changed_fields()
    narrow = change.document.get(narrowed_by) if narrowed_by else None
    if narrowed_by and change.read_document is not None:
        narrow = change.read_document.get(narrowed_by)
    return bson.encode(
        {
            "set": sorted(changed.items()),
            "unset": unset,
            "version": change.guard_version,
            "applying": change.applying,
            "narrow": narrow,
            "also": [_as_read(change, path) for path in also],
        }
    )


def _as_read(change: Change, path: str) -> Any:
    """The value at a (dotted) path of the document as read."""
    value: Any = change.read_document if change.read_document is not None else change.document
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _update_of(
    changes: Sequence[Change], stamp: str, narrowed_by: str | None, also: Sequence[str] = ()
) -> UpdateMany:
    first = changes[0]
    changed, unset = first.changed_fields()
    ids = [change.document["_id"] for change in changes]
    guard: Document = {
        "_id": ids[0] if len(ids) == 1 else {"$in": ids},
        "version": first.guard_version,
        **NO_PENDING,
    }
    # for many, an equality the store looks up before it compares each with every id (`$in`,
    # see kit.mongo.lookups); one is looked up by its id
    if narrowed_by is not None and len(ids) > 1:
        read = first.read_document if first.read_document is not None else first.document
        guard = {narrowed_by: read.get(narrowed_by), **guard}
        # and by what the group shares besides (its people's residential group): each update
        # compares with its ids only those, not all the cell's
        shared = {path: _as_read(first, path) for path in also}
        guard = {**{path: v for path, v in shared.items() if v is not None}, **guard}
    update: Document = {"$set": changed, "$addToSet": {STAMPS: stamp}}
    if unset:
        update["$unset"] = dict.fromkeys(unset, "")
    if first.applying is not None:
        guard[first.applied_in] = {"$ne": first.applying}
        update["$addToSet"][first.applied_in] = first.applying
    return UpdateMany(guard, update)


async def save_in_batches(
    collection: AsyncCollection[Document],
    changes: Sequence[Change],
    narrowed_by: str | None = None,
    ready: bool = True,
    narrowed_also: Sequence[str] = (),
) -> SavedInBatches:
    """Save changed aggregates (not new ones) under their version guards, one update per
    group of like changes, their events in outbox batches; the ids written. Those refused
    for pending events are saved one by one; the others refused (changed meanwhile, applied
    already) are not written. `narrowed_by`: a field the changes' documents held as read
    that the store can look them up by (a case, a cell). With `ready` False the events wait
    for `SavedInBatches.ready`. `narrowed_also`: fields (dotted paths) the store can look
    the documents up by besides, each group's own value as read (groups split by it)."""
    saved = SavedInBatches(collection, set())
    if not changes:
        return saved
    ids = [change.document["_id"] for change in changes]
    stamp = str(uuid.uuid4())
    groups: dict[bytes, list[Change]] = {}
    for change in changes:
        groups.setdefault(_likeness(change, narrowed_by, narrowed_also), []).append(change)
    entries = [{"id": c.document["_id"], "events": list(c.events)} for c in changes if c.events]
    async with exclusive_writes(collection) as writes:
        opened = await open_batches(writes, entries, stamp)
        requests = [
            _update_of(group, stamp, narrowed_by, narrowed_also) for group in groups.values()
        ]
        matched, _ = await bulk_write_in_parts(writes, requests, ids, tell=False)
        crash_point("batches.updated")
        if matched == len(ids):
            saved.written = set(ids)
        else:
            saved.written = await _stamped(writes, changes, stamp, narrowed_by)
        saved.refused = set(ids) - saved.written
        saved.opened = opened
        if ready:
            await saved.ready()
    if saved.refused:  # with pending events: after them, one by one
        pending = await by_ids(collection, sorted(saved.refused), {"_id": 1}, HAS_PENDING)
        waiting = {document["_id"] for document in pending}
        saved.written |= await save_aggregates(
            collection, [c for c in changes if c.document["_id"] in waiting]
        )
    return saved


async def _stamped(
    collection: AsyncCollection[Document],
    changes: Sequence[Change],
    stamp: str,
    narrowed_by: str | None,
) -> set[Any]:
    """The documents this write stamped: looked up where they were (a query per case or
    cell), or by id."""
    ids = [change.document["_id"] for change in changes]
    if narrowed_by is None:
        return {d["_id"] for d in await by_ids(collection, ids, {"_id": 1}, {STAMPS: stamp})}
    # where they were read and where they are now (a move changes the field)
    places = {c.document.get(narrowed_by) for c in changes}
    places |= {(c.read_document or c.document).get(narrowed_by) for c in changes}
    found = await for_each_value(collection, narrowed_by, list(places), {STAMPS: stamp}, {"_id": 1})
    return {d["_id"] for d in found} & set(ids)
