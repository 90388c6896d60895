"""What the members' aggregates keep beside their state: the outbox (kit.aggregates saves
state and events in one guarded update) and the transfers each person has applied."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from kit.aggregates import Change, save_aggregates
from kit.batched_saves import save_in_batches
from kit.mongo import Document
from kit.mongo.lookups import by_ids, for_each_value
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection

APPLIED = "applied_transfers"
Person = TypeVar("Person")
BATCH = 10_000


def change_of(
    document: Document,
    events: Sequence[dict[str, Any]] = (),
    applying: str | None = None,
    read: Document | None = None,
) -> Change:
    """A person's or a transfer's new state with its events; `applying`: the transfer it
    applies, at most once; `read`: the document as read (a save in batches writes what
    differs)."""
    return Change(document, events, applying, applied_in=APPLIED, read_document=read)


async def save_changes(
    collection: AsyncCollection[Document],
    changes: Sequence[Change],
    narrowed_by: str,
    narrowed_also: Sequence[str] = (),
) -> set[Any]:
    """Changes of a bulk step (each with the document as read): one update for those alike,
    their events in outbox batches (kit.batched_saves); others each with its own; the ids
    written. `narrowed_by`: the field the documents were read by (a case, a cell);
    `narrowed_also`: fields each update's documents share besides (see save_in_batches)."""
    if changes and all(change.read_document is not None for change in changes):
        saved = await save_in_batches(collection, changes, narrowed_by, narrowed_also=narrowed_also)
        return saved.written
    return await save_aggregates(collection, changes)


async def waiting_for(
    collection: AsyncCollection[Document],
    person_of: Mapping[str, str],
    person_from: Callable[[Document], Person],
    from_cells: Sequence[str] = (),
    applied_as: Mapping[str, str] | None = None,
) -> dict[str, Person]:
    """Of these transfers (id → the person's id), the person of each not yet applied to them
    (neither its id nor what it is applied as, `applied_as`: Transfer.applied_as, is kept),
    by transfer id. Read where they are likely (`from_cells`: the cells the transfers leave,
    a query each: a dissolved cell's thousand members in one), the others by id."""
    if not person_of:
        return {}
    wanted = set(person_of.values())
    found = {
        d["_id"]: d
        for d in await for_each_value(collection, "organisation_id", from_cells, None, UNAPPLIED)
        if d["_id"] in wanted
    }
    missing = sorted(wanted - set(found))
    found |= {d["_id"]: d for d in await by_ids(collection, missing, UNAPPLIED)}
    marks = applied_as or {}
    return {
        transfer_id: person_from(found[person_id])
        for transfer_id, person_id in person_of.items()
        if person_id in found
        and not {transfer_id, marks.get(transfer_id)} & set(found[person_id].get(APPLIED, []))
    }


UNAPPLIED = {PENDING: 0}
WITHOUT_OUTBOX = {PENDING: 0, APPLIED: 0}
