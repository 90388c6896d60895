"""What the members' aggregates keep beside their state: the outbox (kit.aggregates saves
state and events in one guarded update) and the transfers each person has applied."""

from collections.abc import Mapping, Sequence
from typing import Any

from kit.aggregates import Change
from kit.mongo import Document, by_ids
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection

APPLIED = "applied_transfers"
BATCH = 10_000


def change_of(
    document: Document, events: Sequence[dict[str, Any]] = (), applying: str | None = None
) -> Change:
    """A person's or a transfer's new state with its events; `applying`: the transfer it
    applies, at most once."""
    return Change(document, events, applying, applied_in=APPLIED)


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
