"""Members in PyMongo, with a normalised search key for diacritic-insensitive search."""

import asyncio
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from kit.aggregates import save_aggregate
from kit.mongo import Document
from kit.mongo.bulk import bulk_write_in_parts, upgrade_once
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from kit.pages import Page, after_key, cursor, page_of
from kit.search import phrase_pattern, search_word_of, search_words, searchable
from pymongo import UpdateMany, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from members.domain import Conflict, PartyMember, citizen_id_taken
from members.repository.aggregates import (
    BATCH,
    WITHOUT_OUTBOX,
    change_of,
    save_changes,
    waiting_for,
)
from members.repository.counts import MongoMemberCounts
from members.repository.documents import member_document, member_from
from members.repository.member_search import BandSearch, searched_across
from members.repository.name_bands import NameBands, band_fields
from members.repository.paths import OrganisationPaths, scope_clause
from members.repository.scopes import all_of, any_of
from members.service.ports import MemberFilter, Saving, Scope

PATHS_WRITTEN = "members carry scope_ids and search_words (3)"  # (3): the card after the name
BANDS_WRITTEN = "members carry their name bands (1)"


def _found_by(
    full_name: str, card_number: str, cell_id: str | None, paths: Mapping[str, list[str]]
) -> Document:
    """What the lists and searches find a member by: their words and their cell's path."""
    return {
        "search_words": search_words(full_name, card_number),
        "scope_ids": paths[cell_id] if cell_id else [],
    }


def stored(member: PartyMember, paths: Mapping[str, list[str]]) -> Document:
    """The member as kept, with what their lists are found by (`paths` has their cell's)."""
    return {
        **member_document(member),
        "sort_name": searchable(member.full_name),
        "search_key": f"{searchable(member.full_name)} {searchable(member.card_number)}",
        **band_fields(searchable(member.full_name)),
        **_found_by(member.full_name, member.card_number, member.organisation_id, paths),
    }


def cursor_of(document: Document) -> str:
    return cursor(document["sort_name"], document["_id"])


def _page_indexes(name: str, *equal: str, narrowed_by: tuple[str, ...] = ()) -> tuple[Index, ...]:
    """A page of members: equality first (with the standing or without), then the name order,
    then the search phrase decided on the index's keys; the cursor's range is on the order."""
    order = ("sort_name", "_id", "search_key")
    return (
        Index(f"{name}_by_name", (*equal, *order), narrowed_by=narrowed_by),
        Index(f"{name}_standing_by_name", (*equal, "standing", *order), narrowed_by=narrowed_by),
    )


# a search's word within one subtree: narrowed by it (an array, as the words are, so not a key
# beside them: kit.mongo.indexes)
WITHIN_SUBTREE = ("scope_ids",)


MEMBER_INDEXES = (
    Index("card_number_unique", ("card_number",), unique=True),
    Index("citizen_id_unique", ("citizen_id",), unique=True, sparse=True),
    *_page_indexes("organisation", "organisation_id"),  # one cell's list
    *_page_indexes("scope", "scope_ids"),  # a caller's subtrees
    # a search across the whole tree, or by the bands of a whole name (member_search)
    *_page_indexes("search_word", "search_words", narrowed_by=WITHIN_SUBTREE),
    Index("standing_by_name", ("standing", "sort_name", "_id", "search_key")),
    Index("by_name", ("sort_name", "_id", "search_key")),
    Index("search_key", ("search_key",)),
    # a search by bands of names (member_search): a first word's, or the first two words'
    Index(
        "search_word_band_1",
        ("search_words", "name_band_1", "name_band_2", "search_key"),
        narrowed_by=WITHIN_SUBTREE,
    ),
    Index(
        "search_word_band_2",
        ("search_words", "name_band_2", "sort_name", "search_key"),
        narrowed_by=WITHIN_SUBTREE,
    ),
    # a bulk save of members alike, by cell, reads back what it stamped (kit.batched_saves)
    Index("organisation_stamped", ("organisation_id", "outbox_writes")),
)


# a search within a scope of more members than this (a ward holds thousands) is read band by
# band in name order, by the search's word and the scope, instead of reading the whole scope and
# matching every member of it
WIDE_SCOPE_MEMBERS = 1_000
WIDE_SCOPE = 200  # a scope of more organisations than this is wide without counting its members


class MongoMemberRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["members"]
        self.counts = MongoMemberCounts(db)
        self.paths = OrganisationPaths(db)
        self.bands = NameBands(db)
        self.search = BandSearch(self.collection, self.bands)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, MEMBER_INDEXES)
        await self.bands.create_indexes()
        await self.counts.create_indexes()
        await self.counts.recount_if_missing(self.collection)
        await self.write_paths_if_missing()
        await self.write_bands_if_missing()

    async def follow_tree(self, ancestries: Mapping[str, frozenset[str]]) -> int:
        return await self.paths.write_anew(self.collection, ancestries)

    async def documents_of(
        self,
        members: Sequence[PartyMember],
        placed: Mapping[str, frozenset[str]] | None = None,
    ) -> list[Document]:
        """The members as stored, found under their cells' ancestors (`placed`: those of
        cells the tree kept here does not show yet)."""
        paths = {cell: sorted(ancestry) for cell, ancestry in (placed or {}).items()}
        paths.update(
            await self.paths.of(
                m.organisation_id for m in members if m.organisation_id not in paths
            )
        )
        await self.bands.list_bands(searchable(m.full_name) for m in members)
        return [stored(member, paths) for member in members]

    async def write_paths_if_missing(self) -> None:
        """At start-up, once: members kept before they carried `scope_ids` and these
        `search_words` are given them (a database from an earlier release)."""

        async def write() -> int:
            # the three fields they are found by, not whole members (a city holds 500,000)
            wanted = {"full_name": 1, "card_number": 1, "organisation_id": 1}
            found = [d async for d in self.collection.find({}, wanted, batch_size=BATCH)]
            paths = await self.paths.of(d.get("organisation_id") for d in found)
            changes = [
                UpdateOne(
                    {"_id": d["_id"]},
                    {
                        "$set": _found_by(
                            d["full_name"], d["card_number"], d.get("organisation_id"), paths
                        )
                    },
                )
                for d in found
            ]
            await bulk_write_in_parts(
                self.collection, changes, [d["_id"] for d in found], tell=False
            )
            return len(found)

        await upgrade_once(self.collection.database, PATHS_WRITTEN, write)

    async def write_bands_if_missing(self) -> None:
        """At start-up, once: members kept before they carried their name bands are given them,
        and the bands listed (one write for all of a name)."""

        async def write() -> int:
            names: dict[str, list[str]] = {}
            async for d in self.collection.find({}, {"sort_name": 1}, batch_size=BATCH):
                names.setdefault(d["sort_name"], []).append(d["_id"])
            await self.bands.list_bands(names)
            changes = [UpdateMany({"sort_name": n}, {"$set": band_fields(n)}) for n in names]
            ids = [i for named in names.values() for i in named]
            await bulk_write_in_parts(self.collection, changes, ids, tell=False)
            return len(ids)

        await upgrade_once(self.collection.database, BANDS_WRITTEN, write)

    async def get(self, member_id: str) -> PartyMember | None:
        document = await self.collection.find_one({"_id": member_id}, WITHOUT_OUTBOX)
        return member_from(document) if document else None

    async def get_many(self, member_ids: Sequence[str]) -> list[PartyMember]:
        found = await by_ids(self.collection, member_ids, WITHOUT_OUTBOX)
        return [member_from(document) for document in found]

    async def get_by_card(self, card_number: str) -> PartyMember | None:
        document = await self.collection.find_one({"card_number": card_number}, WITHOUT_OUTBOX)
        return member_from(document) if document else None

    async def with_keys(
        self, card_numbers: Sequence[str], citizen_ids: Sequence[str]
    ) -> list[PartyMember]:
        by_card, by_citizen_id = await asyncio.gather(
            for_each_value(self.collection, "card_number", card_numbers, None, WITHOUT_OUTBOX),
            for_each_value(self.collection, "citizen_id", citizen_ids, None, WITHOUT_OUTBOX),
        )
        found = {d["_id"]: d for d in (*by_card, *by_citizen_id)}
        return [member_from(document) for document in found.values()]

    async def in_organisation(self, organisation_id: str) -> list[PartyMember]:
        """The organisation's members in name order."""
        listed = self.collection.find(
            {"organisation_id": organisation_id}, WITHOUT_OUTBOX, batch_size=BATCH
        ).sort("sort_name", 1)
        return [member_from(document) async for document in listed]

    async def ids_in_organisation(self, organisation_id: str) -> list[str]:
        """The members of a cell as its number counts them, by id (see MongoMemberCounts)."""
        return await self.counts.members_on(organisation_id)

    def _filter(self, where: MemberFilter) -> Document:
        query: Document = {}
        if where.organisation_id is not None:
            query["organisation_id"] = where.organisation_id
        if where.standing is not None:
            query["standing"] = where.standing.value
        if where.away is not None:
            query["_id"] = {("$in" if where.away else "$nin"): sorted(where.away_ids)}
        word = search_word_of(where.search or "")
        if word is not None:
            query["search_key"] = {"$regex": phrase_pattern(where.search or "")}
            if where.organisation_id is None and where.scope.organisation_ids is None:
                query["search_words"] = word  # (within a scope, its equality bounds the read)
        return all_of(query, self._visible(where.scope))

    @staticmethod
    def _visible(scope: Scope) -> Document:
        """The caller's subtrees (and own record) as equalities the store can look up."""
        if scope.organisation_ids is None:
            return {}
        visible = [scope_clause(sorted(scope.roots))] if scope.roots else []
        if scope.person_id is not None:
            visible.append({"_id": scope.person_id})
        return any_of(visible)

    async def page(
        self, where: MemberFilter, first: int | None, after: str | None
    ) -> Page[PartyMember]:
        if await self._walks(where):
            return (await self.search.page(where, first, after)).map(member_from)
        query = self._filter(where)
        total = await self._count(query)
        if after:
            query = all_of(query, after_key("sort_name", after))
        read = self.collection.find(query, WITHOUT_OUTBOX, batch_size=BATCH).sort(
            [("sort_name", 1), ("_id", 1)]
        )
        if first is not None:
            read = read.limit(first + 1)
        documents = [document async for document in read]
        return page_of(documents, first, after, total, cursor_of).map(member_from)

    async def _walks(self, where: MemberFilter) -> bool:
        """Whether a search is read by bands: across the tree or a wide scope."""
        if not searched_across(where):
            return False
        visible = where.scope.organisation_ids
        if visible is None or len(visible) > WIDE_SCOPE:
            return True
        return await self.counts.total(visible) > WIDE_SCOPE_MEMBERS

    async def _count(self, query: Document) -> int:
        """Every member: the collection's own count, not a count of the documents one by one;
        every member but some (the list of those not away): that count less the others',
        looked up by id."""
        if not query:
            return await self.collection.estimated_document_count()
        left_out = query.get("_id")
        if list(query) == ["_id"] and isinstance(left_out, dict) and list(left_out) == ["$nin"]:
            others = await self.collection.count_documents({"_id": {"$in": left_out["$nin"]}})
            return await self.collection.estimated_document_count() - others
        return await self.collection.count_documents(query)

    async def count(self, organisation_ids: Collection[str]) -> int:
        return await self.counts.total(organisation_ids)

    async def add(self, member: PartyMember, events: Sequence[dict[str, Any]]) -> None:
        try:
            (document,) = await self.documents_of([member])
            await save_aggregate(self.collection, change_of(document, events))
        except DuplicateKeyError as error:
            if member.citizen_id and await self.with_keys([], [member.citizen_id]):
                raise citizen_id_taken() from error
            raise Conflict(
                f"A member with card number {member.card_number} is already registered.",
                field="cardNumber",
                cardNumber=member.card_number,
            ) from error
        await self.counts.place(member.id, member.organisation_id)

    async def save(
        self, member: PartyMember, events: Sequence[dict[str, Any]], applying: str | None = None
    ) -> bool:
        (document,) = await self.documents_of([member])
        saved = await save_aggregate(self.collection, change_of(document, events, applying))
        if saved:
            await self.counts.place(member.id, member.organisation_id)
        return saved

    async def save_received(self, savings: Sequence[Saving[PartyMember]]) -> set[str]:
        # a dissolved cell's people go to the cell covering their residential group: an
        # update per receiving cell looks up its own people by it, not all the cell's
        return await self.save_many(savings, narrowed_also=("residence.residential_group",))

    async def save_many(
        self,
        savings: Sequence[Saving[PartyMember]],
        placed: Mapping[str, frozenset[str]] | None = None,
        narrowed_also: Sequence[str] = (),
    ) -> set[str]:
        documents = await self.documents_of([s.aggregate for s in savings], placed)
        reads = [s.read for s in savings if s.read is not None]
        read = await self.documents_of(reads) if len(reads) == len(savings) else None
        changes = [
            change_of(document, s.events, s.applying, read[n] if read else None)
            for n, (document, s) in enumerate(zip(documents, savings, strict=True))
        ]
        written = await save_changes(self.collection, changes, "organisation_id", narrowed_also)
        # counted anew: those who changed cells (a hand-over's people stay where they were
        # counted, and a restructuring's thousands are not looked up in the counts for it)
        changed_cells = [
            s
            for s in savings
            if s.aggregate.id in written
            and (s.read is None or s.read.organisation_id != s.aggregate.organisation_id)
        ]
        await self.counts.place_many(
            {s.aggregate.id: s.aggregate.organisation_id for s in changed_cells},
            {s.read.organisation_id for s in changed_cells if s.read and s.read.organisation_id},
        )
        return written

    async def waiting_for(
        self,
        person_of: Mapping[str, str],
        from_cells: Sequence[str] = (),
        applied_as: Mapping[str, str] | None = None,
    ) -> dict[str, PartyMember]:
        waiting = await waiting_for(self.collection, person_of, member_from, from_cells, applied_as)
        await self.counts.place_moved(self.collection, person_of, waiting, from_cells)
        return waiting
