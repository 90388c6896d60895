"""How many members each cell has, kept with every change instead of counted by a scan.

One document per cell holds the ids on its list and their number. Placing a member takes them
off every other cell's list and puts them on theirs, each in one guarded update: placing the
same member twice, or after a crash half-way, ends with them counted once, where they are.
A ward's or a district's count is the sum of its cells' documents.
"""

import contextlib
from collections import defaultdict
from collections.abc import Collection

from kit.mongo import Document, Index, by_ids, create_indexes, exclusive_writes
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

# the cells a member is on (to take them off), and each cell by its id
COUNT_INDEXES = (Index("member", ("member_ids", "_id")),)


class MongoMemberCounts:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["member_counts"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, COUNT_INDEXES)

    async def place(self, member_id: str, cell_id: str | None) -> None:
        """Count the member on `cell_id` (None: on no list, e.g. transferred out) only."""
        await self.collection.update_many(
            {"member_ids": member_id, "_id": {"$ne": cell_id}},
            {"$pull": {"member_ids": member_id}, "$inc": {"count": -1}},
        )
        if cell_id is None:
            return
        with contextlib.suppress(DuplicateKeyError):  # the cell's list already has them
            await self.collection.update_one(
                {"_id": cell_id, "member_ids": {"$ne": member_id}},
                {"$addToSet": {"member_ids": member_id}, "$inc": {"count": 1}},
                upsert=True,
            )

    async def total(self, organisation_ids: Collection[str]) -> int:
        found = await by_ids(self.collection, list(organisation_ids), {"count": 1})
        return sum(int(document.get("count") or 0) for document in found)

    async def recount(self, members: AsyncCollection[Document]) -> int:
        """Count every cell's members again from the members themselves (a repair)."""
        lists: dict[str, list[str]] = defaultdict(list)
        async for member in members.find({}, {"organisation_id": 1}):
            if member.get("organisation_id"):
                lists[member["organisation_id"]].append(member["_id"])
        await self.collection.delete_many({})
        if lists:
            await self.collection.insert_many(
                [{"_id": cell, "member_ids": ids, "count": len(ids)} for cell, ids in lists.items()]
            )
        return sum(len(ids) for ids in lists.values())

    async def recount_cells(
        self, members: AsyncCollection[Document], moved: Collection[str], cells: Collection[str]
    ) -> None:
        """After a bulk write: the lists of these cells, and of the cells the `moved` members
        were on, made again from the members on them. In the counts' write turn, so that a
        member placed one by one meanwhile is counted once either way."""
        async with exclusive_writes(self.collection) as writes:
            listing = set(cells)
            for member_id in moved:
                async for cell in writes.find({"member_ids": member_id}, {"_id": 1}):
                    listing.add(cell["_id"])
            for cell_id in listing:
                ids = [
                    m["_id"] async for m in members.find({"organisation_id": cell_id}, {"_id": 1})
                ]
                await writes.replace_one(
                    {"_id": cell_id}, {"member_ids": ids, "count": len(ids)}, upsert=True
                )

    async def recount_if_missing(self, members: AsyncCollection[Document]) -> None:
        """At start-up: counts made before they were kept (or lost) are made from the members."""
        if await self.collection.find_one({}, {"_id": 1}) is not None:
            return
        if await members.find_one({}, {"_id": 1}) is not None:
            await self.recount(members)
