"""Admission candidates in PyMongo."""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kit.aggregates import save_aggregate
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids
from kit.search import searchable
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.cursor import AsyncCursor
from pymongo.asynchronous.database import AsyncDatabase

from members.domain import AdmissionCandidate, CandidateStage
from members.repository.aggregates import (
    BATCH,
    WITHOUT_OUTBOX,
    change_of,
    save_changes,
    waiting_for,
)
from members.repository.documents import candidate_document, candidate_from
from members.repository.scopes import all_of, within
from members.service.ports import EVERYWHERE, Saving, Scope


def stored(candidate: AdmissionCandidate) -> Document:
    return {**candidate_document(candidate), "search_key": searchable(candidate.full_name)}


IN_PROGRESS = [
    CandidateStage.SOURCE.value,
    CandidateStage.AWARENESS_TRAINED.value,
    CandidateStage.SPONSORED.value,
]


CANDIDATE_INDEXES = (
    Index("organisation_stage_by_name", ("organisation_id", "stage", "full_name")),
    Index("organisation_by_search_key", ("organisation_id", "search_key")),
    Index("search_key", ("search_key",)),
    # a bulk save of candidates alike, by cell, reads back what it stamped (kit.batched_saves)
    Index("organisation_stamped", ("organisation_id", "outbox_writes")),
)


class MongoCandidateRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["candidates"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, CANDIDATE_INDEXES)

    async def get(self, candidate_id: str) -> AdmissionCandidate | None:
        document = await self.collection.find_one({"_id": candidate_id}, WITHOUT_OUTBOX)
        return candidate_from(document) if document else None

    async def in_organisation(self, organisation_id: str) -> list[AdmissionCandidate]:
        listed = self._listed(organisation_id, WITHOUT_OUTBOX)
        return [candidate_from(document) async for document in listed]

    async def ids_in_organisation(self, organisation_id: str) -> list[str]:
        listed = self._listed(organisation_id, {"full_name": 1})
        return [document["_id"] async for document in listed]

    def _listed(self, organisation_id: str, projection: Document) -> AsyncCursor[Document]:
        """The organisation's candidates in progress in name order, with these fields."""
        return self.collection.find(
            {"organisation_id": organisation_id, "stage": {"$in": IN_PROGRESS}},
            projection,
            batch_size=BATCH,
        ).sort("full_name", 1)

    async def get_many(self, candidate_ids: Sequence[str]) -> list[AdmissionCandidate]:
        found = await by_ids(self.collection, candidate_ids, WITHOUT_OUTBOX)
        return [candidate_from(document) for document in found]

    async def find(
        self, organisation_id: str | None, search: str | None, scope: Scope = EVERYWHERE
    ) -> list[AdmissionCandidate]:
        query: Document = {}
        if organisation_id is not None:
            query["organisation_id"] = organisation_id
        if search and search.strip():
            query["search_key"] = {"$regex": re.escape(searchable(search))}
        query = all_of(query, within(scope, "organisation_id"))
        cursor = self.collection.find(query, WITHOUT_OUTBOX, batch_size=BATCH).sort("search_key", 1)
        return [candidate_from(document) async for document in cursor]

    async def add(self, candidate: AdmissionCandidate, events: Sequence[dict[str, Any]]) -> None:
        await save_aggregate(self.collection, change_of(stored(candidate), events))

    async def save(
        self,
        candidate: AdmissionCandidate,
        events: Sequence[dict[str, Any]],
        applying: str | None = None,
    ) -> bool:
        return await save_aggregate(self.collection, change_of(stored(candidate), events, applying))

    async def save_many(self, savings: Sequence[Saving[AdmissionCandidate]]) -> set[str]:
        """Those of a bulk step (read given: a cell's candidates following it) in one update
        for those alike, their events in outbox batches; others each with its own."""
        changes = [
            change_of(
                stored(s.aggregate),
                s.events,
                s.applying,
                stored(s.read) if s.read is not None else None,
            )
            for s in savings
        ]
        return await save_changes(self.collection, changes, "organisation_id")

    async def waiting_for(self, person_of: Mapping[str, str]) -> dict[str, AdmissionCandidate]:
        return await waiting_for(self.collection, person_of, candidate_from)
