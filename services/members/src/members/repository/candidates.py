"""Admission candidates in PyMongo."""

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kit.mongo import Document, Index, create_indexes
from kit.outbox import PENDING
from kit.search import searchable
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from members.domain import AdmissionCandidate, CandidateStage
from members.repository.aggregates import (
    BATCH,
    WITHOUT_OUTBOX,
    Change,
    applied_among,
    save_guarded,
    save_many_guarded,
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
)


class MongoCandidateRepository:
    def __init__(self, db: AsyncDatabase[Document], on_write: Callable[[], None]) -> None:
        self.collection: AsyncCollection[Document] = db["candidates"]
        self.on_write = on_write

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, CANDIDATE_INDEXES)

    async def get(self, candidate_id: str) -> AdmissionCandidate | None:
        document = await self.collection.find_one({"_id": candidate_id}, WITHOUT_OUTBOX)
        return candidate_from(document) if document else None

    async def in_organisation(self, organisation_id: str) -> list[AdmissionCandidate]:
        cursor = self.collection.find(
            {"organisation_id": organisation_id, "stage": {"$in": IN_PROGRESS}},
            WITHOUT_OUTBOX,
            batch_size=BATCH,
        ).sort("full_name", 1)
        return [candidate_from(document) async for document in cursor]

    async def get_many(self, candidate_ids: Sequence[str]) -> list[AdmissionCandidate]:
        cursor = self.collection.find(
            {"_id": {"$in": list(candidate_ids)}}, WITHOUT_OUTBOX, batch_size=BATCH
        )
        return [candidate_from(document) async for document in cursor]

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
        await self.collection.insert_one({**stored(candidate), PENDING: list(events)})
        self.on_write()

    async def save(
        self,
        candidate: AdmissionCandidate,
        events: Sequence[dict[str, Any]],
        applying: str | None = None,
    ) -> bool:
        return await save_guarded(
            self.collection,
            stored(candidate),
            events,
            self.on_write,
            applying,
        )

    async def save_many(self, savings: Sequence[Saving[AdmissionCandidate]]) -> set[str]:
        changes = [Change(stored(s.aggregate), s.events, s.applying) for s in savings]
        return await save_many_guarded(self.collection, changes, self.on_write)

    async def applied(self, person_of: Mapping[str, str]) -> set[str]:
        return await applied_among(self.collection, person_of)
