"""PyMongo persistence: each write stores the state and its events in one document update."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from kit.mongo import Document
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from organisations.domain import (
    CellType,
    Conflict,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)


def to_document(organisation: Organisation) -> Document:
    return {
        "_id": organisation.id,
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind.value,
        "parent_id": organisation.parent_id,
        "cell_type": organisation.cell_type.value if organisation.cell_type else None,
        "coverage": organisation.coverage,
        "status": organisation.status.value,
        "dissolved_on": organisation.dissolved_on.isoformat()
        if organisation.dissolved_on
        else None,
    }


def from_document(document: Document) -> Organisation:
    return Organisation(
        id=document["_id"],
        code=document["code"],
        name=document["name"],
        kind=OrganisationKind(document["kind"]),
        parent_id=document.get("parent_id"),
        cell_type=CellType(document["cell_type"]) if document.get("cell_type") else None,
        coverage=list(document.get("coverage") or []),
        status=OrganisationStatus(document["status"]),
        dissolved_on=date.fromisoformat(document["dissolved_on"])
        if document.get("dissolved_on")
        else None,
    )


class MongoOrganisationRepository:
    def __init__(self, db: AsyncDatabase[Document], on_write: Callable[[], None]) -> None:
        self.collection: AsyncCollection[Document] = db["organisations"]
        self.on_write = on_write

    async def create_indexes(self) -> None:
        await self.collection.create_index("code", unique=True)
        await self.collection.create_index("parent_id")

    async def get(self, organisation_id: str) -> Organisation | None:
        document = await self.collection.find_one({"_id": organisation_id}, {PENDING: 0})
        return from_document(document) if document else None

    async def add(self, organisation: Organisation, events: Sequence[dict[str, Any]]) -> None:
        try:
            await self.collection.insert_one({**to_document(organisation), PENDING: list(events)})
        except DuplicateKeyError as error:
            raise Conflict(
                f"An organisation with code {organisation.code} already exists.",
                field="code",
            ) from error
        self.on_write()
