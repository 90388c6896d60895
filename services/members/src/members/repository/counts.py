"""How many members each cell has, kept with every change instead of counted by a scan.

One small document per member says which cell counts them (`member_cells`), and one per cell
holds its number (`member_counts`). Placing a member swaps their cell in the first and, only
when it changed, moves one from the old cell's number to the new one's: placing the same member
twice counts them once. A crash between the two writes leaves a number off by one until a
recount. A ward's or a district's count is the sum of its cells' numbers.

(A list of the members' ids in each cell's document was tried first: FerretDB 1.24 indexes an
array as one btree key, which PostgreSQL refuses past about 70 ids.)
"""

from collections import Counter
from collections.abc import Collection, Mapping

from kit.mongo import Document, exclusive_writes
from kit.mongo.bulk import bulk_write_in_parts, duplicates_among
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from pymongo import ReplaceOne, ReturnDocument, UpdateMany, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from members.domain import PartyMember

IN_ONE_QUERY = 300  # organisations whose numbers are asked by id at once

# the members counted on a cell: its hand-over book, its number recounted
PLACEMENT_INDEXES = (Index("cell", ("cell_id",)),)


class MongoMemberCounts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["member_counts"]
        self.placements: AsyncCollection[Document] = db["member_cells"]

    async def create_indexes(self) -> None:
        await create_indexes(self.placements, PLACEMENT_INDEXES)

    async def place(self, member_id: str, cell_id: str | None) -> None:
        """Count the member on `cell_id` (None: on no list, e.g. transferred out) only."""
        before = await self.placements.find_one_and_update(
            {"_id": member_id},
            {"$set": {"cell_id": cell_id}},
            upsert=True,
            return_document=ReturnDocument.BEFORE,
        )
        was = before.get("cell_id") if before else None
        if was == cell_id:
            return
        if was is not None:
            await self.collection.update_one({"_id": was}, {"$inc": {"count": -1}})
        if cell_id is not None:
            await self.collection.update_one({"_id": cell_id}, {"$inc": {"count": 1}}, upsert=True)

    async def members_on(self, cell_id: str) -> list[str]:
        """The ids of the members counted on the cell, in no set order: read from their small
        placement documents, not from the members themselves (FerretDB reads every field of a
        document whatever is asked of it: a city's hand-over books are all its members)."""
        found = self.placements.find({"cell_id": cell_id}, {"_id": 1}, batch_size=10_000)
        return [document["_id"] async for document in found]

    async def total(self, organisation_ids: Collection[str]) -> int:
        """One document a cell, few beside the members: a ward's read in one `$in` (its cells
        one by one took 5 to 10 times as long on FerretDB), a wider scope's all at once."""
        wanted = list(organisation_ids)
        if len(wanted) <= IN_ONE_QUERY:
            found = await self.collection.find({"_id": {"$in": wanted}}, {"count": 1}).to_list()
        else:
            kept = set(wanted)
            found = [d async for d in self.collection.find({}, {"count": 1}) if d["_id"] in kept]
        return sum(int(document.get("count") or 0) for document in found)

    async def recount(self, members: AsyncCollection[Document]) -> int:
        """Count every cell's members again from the members themselves (a repair). Nothing
        is deleted (the service's database role may not): documents are overwritten."""
        cells: dict[str, str] = {}
        async for member in members.find({}, {"organisation_id": 1}):
            if member.get("organisation_id"):
                cells[member["_id"]] = member["organisation_id"]
        numbers = Counter(cells.values())
        async for kept in self.collection.find({}, {"_id": 1}):
            numbers.setdefault(kept["_id"], 0)
        await bulk_write_in_parts(
            self.placements,
            [ReplaceOne({"_id": m}, {"cell_id": c}, upsert=True) for m, c in cells.items()],
            list(cells),
        )
        await bulk_write_in_parts(
            self.collection,
            [ReplaceOne({"_id": c}, {"count": n}, upsert=True) for c, n in numbers.items()],
            list(numbers),
        )
        return len(cells)

    async def place_new(self, placed: Mapping[str, str]) -> None:
        """`place_many` of members just registered, who are counted nowhere yet: their
        documents inserted without looking for them first (one found there after all, from a
        crash half-way, is placed the usual way)."""
        documents = [{"_id": m, "cell_id": c} for m, c in placed.items()]
        async with exclusive_writes(self.collection) as numbers:
            try:
                if documents:
                    await self.placements.insert_many(documents, ordered=False)
                refused: list[int] = []
            except BulkWriteError as error:
                refused = duplicates_among(error)
            again = {documents[i]["_id"] for i in refused}
            for cell_id, change in Counter(c for m, c in placed.items() if m not in again).items():
                await numbers.update_one({"_id": cell_id}, {"$inc": {"count": change}}, upsert=True)
        if again:
            await self.place_many({m: placed[m] for m in again})

    async def place_many(
        self, placed: Mapping[str, str | None], from_cells: Collection[str] = ()
    ) -> None:
        """`place` of many members at once, after a bulk write: their documents in bulk, and
        each cell's number changed once by all it gained and lost. In the numbers' write turn.
        `from_cells`: where they were likely counted (a dissolved cell's thousand read in one
        query there, not one by one)."""
        if not placed:
            return
        async with exclusive_writes(self.collection) as numbers:
            before = await self._placements(list(placed), sorted(from_cells))
            changed = {m: cell for m, cell in placed.items() if before.get(m) != cell}
            if not changed:
                return
            # those placed already, one update for each pair of cells (a dissolved cell's
            # thousand members: one per receiving cell); the others inserted one by one
            moving: dict[tuple[str | None, str | None], list[str]] = {}
            for m, c in changed.items():
                if m in before:
                    moving.setdefault((before[m], c), []).append(m)
            requests: list[UpdateMany | UpdateOne] = [
                UpdateMany({"cell_id": was, "_id": {"$in": ids}}, {"$set": {"cell_id": c}})
                for (was, c), ids in moving.items()
            ]
            requests += [
                UpdateOne({"_id": m}, {"$set": {"cell_id": c}}, upsert=True)
                for m, c in changed.items()
                if m not in before
            ]
            await bulk_write_in_parts(self.placements, requests, list(changed))
            delta: Counter[str] = Counter()
            for member_id, cell_id in changed.items():
                was = before.get(member_id)
                if was is not None:
                    delta[was] -= 1
                if cell_id is not None:
                    delta[cell_id] += 1
            for cell_id, change in delta.items():
                if change:
                    await numbers.update_one(
                        {"_id": cell_id}, {"$inc": {"count": change}}, upsert=True
                    )

    async def _placements(
        self, member_ids: list[str], from_cells: list[str]
    ) -> dict[str, str | None]:
        """Where each of these members is counted (those counted nowhere left out): read by
        the cells given, then the others by id."""
        wanted = set(member_ids)
        found = [
            d
            for d in await for_each_value(self.placements, "cell_id", from_cells)
            if d["_id"] in wanted
        ]
        missing = sorted(wanted - {d["_id"] for d in found})
        found += await by_ids(self.placements, missing, {"cell_id": 1})
        return {d["_id"]: d.get("cell_id") for d in found}

    async def place_moved(
        self,
        members: AsyncCollection[Document],
        person_of: Mapping[str, str],
        waiting: Mapping[str, PartyMember],
        left: Collection[str] = (),
    ) -> None:
        """The members of these transfers (id → member id) moved already (not `waiting`),
        placed on the cell they are in, and the numbers of those cells and of the cells `left`
        counted again from the placements: a process killed between a move and its count, or
        between a placement and its number, left them counted where they were. Their transfer's
        next look (its event told again after the restart) mends it; in the numbers' write
        turn, as place_many (a single `place` of another member meanwhile may be off by one)."""
        moved = set(person_of.values()) - {member.id for member in waiting.values()}
        if not moved:
            return
        found = await by_ids(members, sorted(moved), {"organisation_id": 1})
        await self.place_many({d["_id"]: d.get("organisation_id") for d in found})
        cells = {d["organisation_id"] for d in found if d.get("organisation_id")} | set(left)
        async with exclusive_writes(self.collection) as numbers:
            for cell_id in sorted(cells):
                count = await self.placements.count_documents({"cell_id": cell_id})
                await numbers.update_one({"_id": cell_id}, {"$set": {"count": count}}, upsert=True)

    async def recount_if_missing(self, members: AsyncCollection[Document]) -> None:
        """At start-up: counts made before they were kept (or lost) are made from the members."""
        if await self.collection.find_one({}, {"_id": 1}) is not None:
            return
        if await members.find_one({}, {"_id": 1}) is not None:
            await self.recount(members)
