"""Organisations in PyMongo: each write stores the state and its events in one document update."""

from collections.abc import Collection, Sequence
from functools import partial
from typing import Any

from kit import aggregates
from kit.aggregates import save_aggregate, save_aggregates
from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import bulk_write_in_parts, upgrade_once
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from kit.outbox import PENDING
from kit.pages import Page, cursor, cursor_key, page_of
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from organisations.domain import (
    Conflict,
    Organisation,
    OrganisationStatus,
)
from organisations.repository.organisation_documents import (
    from_document,
    guarded,
    matches,
    store_query,
    to_document,
)
from organisations.service.ports import Change, OrganisationFilter

Event = dict[str, Any]


SEARCH_WORDS = "search_words"
SEARCH_WORDS_WRITTEN = "organisations carry search_words (2)"  # (2): and their former codes
PARENT_HISTORY_WRITTEN = "organisations carry parent_history (1)"
LOOKUP_KEYS_WRITTEN = "organisations carry codes_before and parents_ever (1)"
SEARCH_FIELDS = ("search", SEARCH_WORDS)
LOOKUP_FIELDS = ("codes_before", "parents_ever")


ORGANISATION_INDEXES = (
    Index("code_unique", ("code",), unique=True),
    Index("by_code", ("code", "search")),
    Index("parent_by_code", ("parent_id", "code", "search")),
    Index("parent_kind_by_code", ("parent_id", "kind", "cell_type", "code", "search")),
    Index("parent_covering", ("parent_id", "status", "coverage")),
    Index("within_by_code", ("ancestor_ids", "code", "search")),
    Index("within_kind_by_code", ("ancestor_ids", "kind", "code", "search")),
    Index("kind_by_code", ("kind", "code", "search")),
    Index("search_word_by_code", ("search_words", "code", "search")),
    Index("search_word_kind_by_code", ("search_words", "kind", "code", "search")),
    # the tree as of a date: whoever stood under a parent at any time; old codes resolve
    Index("parent_history_by_code", ("parents_ever", "code")),
    Index("former_code", ("codes_before",)),
)


class MongoOrganisationRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["organisations"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ORGANISATION_INDEXES)
        db = self.collection.database
        # organisations of an earlier release: `search_words` of their name and of every code
        # they carried; then a dated history; then their old codes and parents of any time as
        # top-level lists
        await upgrade_once(db, SEARCH_WORDS_WRITTEN, partial(self._derived, SEARCH_FIELDS))
        await upgrade_once(db, PARENT_HISTORY_WRITTEN, self._parent_history)
        await upgrade_once(db, LOOKUP_KEYS_WRITTEN, partial(self._derived, LOOKUP_FIELDS))

    async def _parent_history(self) -> int:
        """Organisations kept before they carried a dated history stood under their parent
        from their start (a database from an earlier release)."""
        found = [d async for d in self.collection.find({}, {"parent_id": 1, "parent_history": 1})]
        older = [d for d in found if d.get("parent_id") and not d.get("parent_history")]
        writes = [
            UpdateOne(
                {"_id": d["_id"]},
                {"$set": {"parent_history": [{"parent_id": d["parent_id"], "since": None}]}},
            )
            for d in older
        ]  # no events: the relay need not hear of it
        await bulk_write_in_parts(self.collection, writes, [d["_id"] for d in older], tell=False)
        return len(older)

    async def _derived(self, fields: tuple[str, ...]) -> int:
        """Every organisation given these fields of its document as this release writes it."""
        read = self.collection.find({}, {PENDING: 0})
        found = [to_document(from_document(d)) async for d in read]
        writes = [
            UpdateOne({"_id": d["_id"]}, {"$set": {k: d[k] for k in fields}}) for d in found
        ]  # no events: the relay need not hear of it
        await bulk_write_in_parts(self.collection, writes, [d["_id"] for d in found], tell=False)
        return len(found)

    async def get(self, organisation_id: str) -> Organisation | None:
        document = await self.collection.find_one({"_id": organisation_id}, {PENDING: 0})
        return from_document(document) if document else None

    async def get_many(self, ids: Sequence[str]) -> list[Organisation]:
        return [from_document(d) for d in await by_ids(self.collection, ids, {PENDING: 0})]

    async def by_code(self, code: str) -> Organisation | None:
        document = await self.collection.find_one({"code": code}, {PENDING: 0})
        if document is None:  # an old code, given up in a restructuring, still resolves
            document = await self.collection.find_one({"codes_before": code}, {PENDING: 0})
        return from_document(document) if document else None

    async def ever_under(self, parent_id: str) -> list[Organisation]:
        """Every organisation that stood under `parent_id` at some time, by code."""
        query = {"parents_ever": parent_id}
        read = self.collection.find(query, {PENDING: 0}).sort("code", 1)
        return [from_document(d) async for d in read]

    async def ever_matching(self, criteria: OrganisationFilter) -> list[Organisation]:
        """Every organisation of the criteria's kind and cell type that its search finds by any
        code it carried, by code; status and place are left to the day asked."""
        undated = OrganisationFilter(
            kind=criteria.kind, cell_type=criteria.cell_type, search=criteria.search
        )
        query, rest = store_query(undated)
        read = self.collection.find(query, {PENDING: 0}).sort("code", 1)
        return [from_document(d) async for d in read if matches(d, rest)]

    async def add(self, organisation: Organisation, events: Sequence[Event]) -> None:
        try:
            await save_aggregate(
                self.collection, aggregates.Change(to_document(organisation), events)
            )
        except DuplicateKeyError as error:
            raise _code_taken(organisation.code) from error

    async def save(self, changes: Sequence[Change]) -> None:
        # the organisation first, alone, so that a conflict on it leaves its subtree as it was;
        # then its subtree, in the same write turn (no other write of the service in between)
        organisation, *subtree = [guarded(change) for change in changes]
        conflict = Conflict("The organisation was changed meanwhile; read it again and retry.")
        try:
            async with exclusive_writes(self.collection) as writes:
                await save_aggregate(writes, organisation, conflict)
                written = await save_aggregates(writes, subtree)
        except DuplicateKeyError as error:
            raise _code_taken(changes[0].organisation.code) from error
        if len(written) < len(subtree):
            raise conflict

    async def page(
        self, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]:
        query, rest = store_query(criteria)
        if rest:
            return await self._page_checked_here(query, rest, first, after)
        # every organisation: the collection's own count, not a count document by document
        counting = self.collection
        total = await (
            counting.count_documents(query) if query else counting.estimated_document_count()
        )
        if after:
            code, _ = cursor_key(after)  # codes are unique: the code alone is the keyset
            query["code"] = {"$gt": code}
        read = self.collection.find(query, {PENDING: 0}).sort("code", 1).limit(first + 1)
        found = [from_document(d) async for d in read]
        return page_of(found, first, after, total, lambda o: cursor(o.code, o.id))

    async def _page_checked_here(
        self, query: Document, rest: Document, first: int, after: str | None
    ) -> Page[Organisation]:
        """A page of filters no one index serves: the codes of the organisations the query
        finds, in order, kept when the rest holds; then the page's organisations by id."""
        keys = {field: 1 for field in (*rest, "code")}
        read = self.collection.find(query, keys).sort("code", 1)
        kept = [(d["code"], d["_id"]) async for d in read if matches(d, rest)]
        start = cursor_key(after)[0] if after else None
        following = [key for key in kept if start is None or key[0] > start][: first + 1]
        found = {
            d["_id"]: from_document(d)
            for d in await by_ids(self.collection, [i for _, i in following], {PENDING: 0})
        }
        shown = [found[i] for _, i in following if i in found]
        return page_of(shown, first, after, len(kept), lambda o: cursor(o.code, o.id))

    async def descendants(self, root_ids: Collection[str]) -> list[Organisation]:
        found = await for_each_value(
            self.collection, "ancestor_ids", list(root_ids), None, {PENDING: 0}
        )
        return [from_document(d) for d in found]

    async def covering(self, parent_id: str, groups: Sequence[str]) -> list[Organisation]:
        query = {
            "parent_id": parent_id,
            "status": OrganisationStatus.ACTIVE.value,
            "coverage": {"$in": list(groups)},
        }
        return [from_document(d) async for d in self.collection.find(query, {PENDING: 0})]


def _code_taken(code: str) -> Conflict:
    return Conflict(
        f"An organisation with code {code} already exists.", field="code", organisationCode=code
    )
