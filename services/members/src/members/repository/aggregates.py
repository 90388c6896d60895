"""What the members' aggregates keep beside their state: the outbox (kit.aggregates saves
state and events in one guarded update) and the transfers each person has applied."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from kit.aggregates import Change
from kit.mongo import Document
from kit.mongo.lookups import by_ids
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection

APPLIED = "applied_transfers"
Person = TypeVar("Person")
BATCH = 10_000


def change_of(
    document: Document, events: Sequence[dict[str, Any]] = (), applying: str | None = None
) -> Change:
    """A person's or a transfer's new state with its events; `applying`: the transfer it
    applies, at most once."""
    return Change(document, events, applying, applied_in=APPLIED)


async def waiting_for(
    collection: AsyncCollection[Document],
    person_of: Mapping[str, str],
    person_from: Callable[[Document], Person],
) -> dict[str, Person]:
    """Of these transfers (id → the person's id), the person of each not yet applied to them,
    by transfer id; each person read once, by id."""
    if not person_of:
        return {}
    found = {
        d["_id"]: d for d in await by_ids(collection, sorted(set(person_of.values())), {PENDING: 0})
    }
    return {
        transfer_id: person_from(found[person_id])
        for transfer_id, person_id in person_of.items()
        if person_id in found and transfer_id not in found[person_id].get(APPLIED, [])
    }


WITHOUT_OUTBOX = {PENDING: 0, APPLIED: 0}
