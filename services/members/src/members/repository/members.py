"""Members in PyMongo, with a normalised search key for diacritic-insensitive search."""

import base64
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from kit.mongo import Document, Index, create_indexes
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from unidecode import unidecode

from members.domain import Conflict, DomainError, PartyMember
from members.repository.aggregates import (
    APPLIED,
    BATCH,
    WITHOUT_OUTBOX,
    Change,
    applied_among,
    save_guarded,
    save_many_guarded,
)
from members.repository.counts import MongoMemberCounts
from members.repository.documents import member_document, member_from
from members.repository.scopes import all_of, within
from members.service.ports import MemberFilter, Page, Saving


def searchable(text: str) -> str:
    """Lowercase ASCII: 'Nguyễn Thị Hằng' and 'nguyen thi hang' read the same."""
    return " ".join(unidecode(text).lower().split())


def stored(member: PartyMember) -> Document:
    return {
        **member_document(member),
        "sort_name": searchable(member.full_name),
        "search_key": f"{searchable(member.full_name)} {searchable(member.card_number)}",
    }


def cursor_of(document: Document) -> str:
    raw = json.dumps([document["sort_name"], document["_id"]]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def after_cursor(cursor: str) -> Document:
    try:
        sort_name, member_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as error:
        raise DomainError("The `after` cursor is not one this API gave.", field="after") from error
    return {
        "$or": [
            {"sort_name": {"$gt": sort_name}},
            {"sort_name": sort_name, "_id": {"$gt": member_id}},
        ]
    }


# a page of members: equality on the cell (and standing), then the name order, then the search
# key decided on the index's keys; the cursor's range is on the order keys
MEMBER_INDEXES = (
    Index("card_number_unique", ("card_number",), unique=True),
    Index("organisation_by_name", ("organisation_id", "sort_name", "_id", "search_key")),
    Index(
        "organisation_standing_by_name",
        ("organisation_id", "standing", "sort_name", "_id", "search_key"),
    ),
    Index("standing_by_name", ("standing", "sort_name", "_id", "search_key")),
    Index("by_name", ("sort_name", "_id", "search_key")),
    Index("search_key", ("search_key",)),
)


class MongoMemberRepository:
    def __init__(self, db: AsyncDatabase[Document], on_write: Callable[[], None]) -> None:
        self.collection: AsyncCollection[Document] = db["members"]
        self.on_write = on_write
        self.counts = MongoMemberCounts(db)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, MEMBER_INDEXES)
        await self.counts.create_indexes()
        await self.counts.recount_if_missing(self.collection)

    async def get(self, member_id: str) -> PartyMember | None:
        document = await self.collection.find_one({"_id": member_id}, WITHOUT_OUTBOX)
        return member_from(document) if document else None

    async def get_many(self, member_ids: Sequence[str]) -> list[PartyMember]:
        cursor = self.collection.find(
            {"_id": {"$in": list(member_ids)}}, WITHOUT_OUTBOX, batch_size=BATCH
        )
        return [member_from(document) async for document in cursor]

    async def get_by_card(self, card_number: str) -> PartyMember | None:
        document = await self.collection.find_one({"card_number": card_number}, WITHOUT_OUTBOX)
        return member_from(document) if document else None

    async def in_organisation(self, organisation_id: str) -> list[PartyMember]:
        cursor = self.collection.find(
            {"organisation_id": organisation_id}, WITHOUT_OUTBOX, batch_size=BATCH
        ).sort("sort_name", 1)
        return [member_from(document) async for document in cursor]

    def _filter(self, where: MemberFilter) -> Document:
        query: Document = {}
        if where.organisation_id is not None:
            query["organisation_id"] = where.organisation_id
        if where.standing is not None:
            query["standing"] = where.standing.value
        if where.search and where.search.strip():
            query["search_key"] = {"$regex": re.escape(searchable(where.search))}
        return all_of(query, within(where.scope, "organisation_id", person_field="_id"))

    async def page(
        self, where: MemberFilter, first: int | None, after: str | None
    ) -> Page[PartyMember]:
        query = self._filter(where)
        # every member: the collection's own count, not a count of the documents one by one
        counting = self.collection
        total = await (
            counting.count_documents(query) if query else counting.estimated_document_count()
        )
        if after:
            query = all_of(query, after_cursor(after))
        cursor = self.collection.find(query, WITHOUT_OUTBOX, batch_size=BATCH).sort(
            [("sort_name", 1), ("_id", 1)]
        )
        if first is not None:
            cursor = cursor.limit(first + 1)
        documents = [document async for document in cursor]
        shown = documents if first is None else documents[:first]
        return Page(
            items=[member_from(document) for document in shown],
            cursors=[cursor_of(document) for document in shown],
            total=total,
            end_cursor=cursor_of(shown[-1]) if shown else after,
            has_next_page=len(documents) > len(shown),
            has_previous_page=after is not None,
        )

    async def count(self, organisation_ids: Collection[str]) -> int:
        return await self.counts.total(organisation_ids)

    async def add(self, member: PartyMember, events: Sequence[dict[str, Any]]) -> None:
        try:
            await self.collection.insert_one({**stored(member), PENDING: list(events)})
        except DuplicateKeyError as error:
            raise Conflict(
                f"A member with card number {member.card_number} is already registered.",
                field="cardNumber",
                cardNumber=member.card_number,
            ) from error
        self.on_write()
        await self.counts.place(member.id, member.organisation_id)

    async def save(
        self, member: PartyMember, events: Sequence[dict[str, Any]], applying: str | None = None
    ) -> bool:
        saved = await save_guarded(self.collection, stored(member), events, self.on_write, applying)
        if saved:
            await self.counts.place(member.id, member.organisation_id)
        return saved

    async def has_applied(self, member_id: str, transfer_id: str) -> bool:
        found = await self.collection.find_one({"_id": member_id, APPLIED: transfer_id}, {"_id": 1})
        return found is not None

    async def save_many(self, savings: Sequence[Saving[PartyMember]]) -> set[str]:
        changes = [Change(stored(s.aggregate), s.events, s.applying) for s in savings]
        written = await save_many_guarded(self.collection, changes, self.on_write)
        await self.counts.place_many(
            {
                s.aggregate.id: s.aggregate.organisation_id
                for s in savings
                if s.aggregate.id in written
            }
        )
        return written

    async def applied(self, person_of: Mapping[str, str]) -> set[str]:
        return await applied_among(self.collection, person_of)
