"""Directives in PyMongo."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from kit.aggregates import Change, save_aggregate
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from organisations.domain import Conflict, Directive, DirectiveNumber

Event = dict[str, Any]


def to_document(directive: Directive) -> Document:
    return {
        "_id": directive.id,
        "number": str(directive.number),
        "number_key": directive.number.key,
        "issuer": directive.issuer,
        "issuer_organisation_id": directive.issuer_organisation_id,
        "issued_on": directive.issued_on.isoformat(),
        "other_issued_dates": [d.isoformat() for d in directive.other_issued_dates],
        "title": directive.title,
        "based_on_ids": directive.based_on_ids,
    }


def from_document(document: Document) -> Directive:
    return Directive(
        id=document["_id"],
        number=DirectiveNumber.parse(document["number"]),
        issuer=document["issuer"],
        issued_on=date.fromisoformat(document["issued_on"]),
        title=document["title"],
        issuer_organisation_id=document.get("issuer_organisation_id"),
        based_on_ids=list(document.get("based_on_ids") or []),
        other_issued_dates=[date.fromisoformat(d) for d in document.get("other_issued_dates", [])],
    )


DIRECTIVE_INDEXES = (Index("number_key_unique", ("number_key",), unique=True),)


class MongoDirectiveRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["directives"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, DIRECTIVE_INDEXES)

    async def get(self, directive_id: str) -> Directive | None:
        document = await self.collection.find_one({"_id": directive_id}, {PENDING: 0})
        return from_document(document) if document else None

    async def get_many(self, ids: Sequence[str]) -> list[Directive]:
        return [from_document(d) for d in await by_ids(self.collection, ids, {PENDING: 0})]

    async def by_number_key(self, key: str) -> Directive | None:
        document = await self.collection.find_one({"number_key": key}, {PENDING: 0})
        return from_document(document) if document else None

    async def all(self) -> list[Directive]:
        return [from_document(d) async for d in self.collection.find({}, {PENDING: 0})]

    async def add(self, directive: Directive, events: Sequence[Event]) -> None:
        try:
            await save_aggregate(self.collection, Change(to_document(directive), events))
        except DuplicateKeyError as error:
            raise Conflict(
                f"A directive numbered {directive.number} is already recorded.",
                field="number",
                number=str(directive.number),
            ) from error
