"""PyMongo persistence of the roster and the evaluations."""

import contextlib
from datetime import date

from kit.mongo import Document
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import Evaluation, EvaluationState, Period, Placement, RosterEntry


def roster_from(document: Document) -> RosterEntry:
    return RosterEntry(
        member_id=document["_id"],
        full_name=document["full_name"],
        workplace_role=document.get("workplace_role"),
        placements=[
            Placement(p["cell_id"], date.fromisoformat(p["since"]) if p.get("since") else None)
            for p in document.get("placements", [])
        ],
    )


class MongoRoster:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["roster"]

    async def create_indexes(self) -> None:
        await self.collection.create_index("placements.cell_id")

    async def get(self, member_id: str) -> RosterEntry | None:
        document = await self.collection.find_one({"_id": member_id})
        return roster_from(document) if document else None

    async def enrol(self, entry: RosterEntry, event_id: str) -> None:
        """Guarded by the event id recorded in the same update: applying twice changes nothing."""
        placements = [
            {"cell_id": p.cell_id, "since": p.since.isoformat() if p.since else None}
            for p in entry.placements
        ]
        with contextlib.suppress(DuplicateKeyError):  # the event was applied already
            await self.collection.update_one(
                {"_id": entry.member_id, "applied_events": {"$ne": event_id}},
                {
                    "$set": {"full_name": entry.full_name, "workplace_role": entry.workplace_role},
                    "$push": {"placements": {"$each": placements}, "applied_events": event_id},
                },
                upsert=True,
            )


class MongoEvaluationRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["evaluations"]

    async def get(self, evaluation_id: str) -> Evaluation | None:
        document = await self.collection.find_one({"_id": evaluation_id}, {PENDING: 0})
        if document is None:
            return None
        return Evaluation(
            id=document["_id"],
            member_id=document["member_id"],
            cell_id=document["cell_id"],
            period=Period.parse(document["period"]),
            state=EvaluationState(document["state"]),
        )
