"""The inbox: the events a service has applied, each claimed by one batch before it is
applied, so that a redelivered event is acknowledged without being applied twice."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from kit.events import Event
from kit.mongo import Document
from kit.mongo.bulk import duplicates_among
from kit.mongo.lookups import by_ids

RELEASED = datetime(1970, 1, 1, tzinfo=UTC)  # a released claim lapsed long ago


@dataclass
class Claim:
    """A batch's hold on its events' ids: those it may apply (`fresh`), those applied before,
    and those another batch holds, each with the seconds until its hold lapses and the claim
    that holds it."""

    id: str
    fresh: list[str] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)
    held: dict[str, float] = field(default_factory=dict)
    holders: dict[str, str] = field(default_factory=dict)


class Inbox:
    """The events this service has applied, each claimed before it is applied.

    A batch claims its events in one insert of their ids (unique: an event is claimed once,
    whoever else tries), applies them, releases those whose handler failed, and marks its
    claim applied with one more insert. An event claimed before is applied if its claim was
    marked; a claim never marked (its process stopped mid-batch) lapses after `lease`, and the
    next delivery takes the event over. Two replicas never apply one event at once, and a
    batch costs two writes, not a read per event (FerretDB 1.24 answers an `$in` by scanning
    the inbox, and one read per event was most of a batch's time). Records written before
    claims carry `applied_at` themselves."""

    def __init__(self, collection: AsyncCollection[Document], lease: float = 60.0) -> None:
        self.collection = collection
        self.lease = timedelta(seconds=lease)

    async def claim(self, events: Sequence[Event]) -> Claim:
        claim, now = Claim(f"claim:{uuid.uuid4()}"), datetime.now(UTC)
        records = [
            {"_id": e.id, "type": e.type, "claim": claim.id, "claimed_at": now} for e in events
        ]
        taken: set[str] = set()
        if records:
            try:
                await self.collection.insert_many(records, ordered=False)
            except BulkWriteError as error:
                taken = {events[i].id for i in duplicates_among(error)}
        claim.fresh = [e.id for e in events if e.id not in taken]
        if taken:
            await self._sort_taken(claim, taken, now)
        return claim

    async def _sort_taken(self, claim: Claim, taken: set[str], now: datetime) -> None:
        """Each event claimed before: applied, held by a live claim, or taken over."""
        records = {r["_id"]: r for r in await by_ids(self.collection, sorted(taken))}
        marked = await self._marked([r["claim"] for r in records.values() if "claim" in r])
        for event_id in taken:
            record = records.get(event_id)
            if record is None:  # gone meanwhile (nothing here removes one): try again soon
                claim.held[event_id] = 1.0
            elif "applied_at" in record or record.get("claim") in marked:
                claim.applied.add(event_id)
            elif (lapses := record["claimed_at"] + self.lease) > now:
                claim.held[event_id] = (lapses - now).total_seconds()
                claim.holders[event_id] = record["claim"]
            else:
                guard = {"_id": event_id, "claim": record["claim"]}
                over = {"$set": {"claim": claim.id, "claimed_at": now}}
                if (await self.collection.update_one(guard, over)).modified_count:
                    claim.fresh.append(event_id)
                else:  # another batch took it over first
                    claim.held[event_id] = self.lease.total_seconds()

    async def _marked(self, claim_ids: Sequence[str]) -> set[str]:
        return {d["_id"] for d in await by_ids(self.collection, claim_ids, {"_id": 1})}

    async def release(self, claim: Claim, event_ids: Iterable[str]) -> None:
        """Give up these events (their handler failed): their claim lapses now, so that their
        next delivery takes them over. An update, not a delete: the services' database roles
        may not remove documents."""
        released = {"$set": {"claim": "released", "claimed_at": RELEASED}}  # out of the mark
        for event_id in event_ids:
            await self.collection.update_one({"_id": event_id, "claim": claim.id}, released)

    async def mark_applied(self, claim: Claim, applied: int) -> None:
        """The claim's events are applied (all but those released)."""
        if applied:
            record = {"_id": claim.id, "applied_at": datetime.now(UTC), "events": applied}
            await self.collection.insert_one(record)

    async def has_applied(self, event_id: str) -> bool:
        return event_id in await self.applied_among([event_id])

    async def applied_among(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these events were applied already, each looked up by its id (see
        kit.mongo.lookups.by_ids)."""
        records = await by_ids(self.collection, event_ids)
        marked = await self._marked([r["claim"] for r in records if "claim" in r])
        return {r["_id"] for r in records if "applied_at" in r or r.get("claim") in marked}
