"""A grassroots organisation's EXCELLENT places for a year: one document, taken and given back
by conditional updates, so that the quota holds with any number of replicas finalising."""

import contextlib
from collections.abc import Sequence

from kit.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import Period


def places_key(ward_id: str, period: Period) -> str:
    return f"{ward_id}/{period}"


class MongoExcellentPlaces:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["excellent_places"]

    async def held(self, ward_id: str, period: Period) -> list[str]:
        found = await self.collection.find_one({"_id": places_key(ward_id, period)}, {"held": 1})
        return list(found["held"]) if found else []

    async def take(
        self,
        ward_id: str,
        period: Period,
        evaluation_id: str,
        limit: int | None,
        finalised: Sequence[str],
    ) -> bool:
        key = places_key(ward_id, period)
        # the ward's first take: the places start from what was finalised before (a replica
        # making the document at the same time is refused by _id: its document stands)
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.update_one(
                {"_id": key},
                {"$setOnInsert": {"held": list(finalised), "count": len(finalised)}},
                upsert=True,
            )
        free: Document = {"_id": key, "held": {"$ne": evaluation_id}}
        if limit is not None:
            free["count"] = {"$lt": limit}
        result = await self.collection.update_one(
            free, {"$push": {"held": evaluation_id}, "$inc": {"count": 1}}
        )
        if result.modified_count == 1:
            return True
        holding = await self.collection.find_one({"_id": key, "held": evaluation_id}, {"_id": 1})
        return holding is not None

    async def give_back(self, ward_id: str, period: Period, evaluation_id: str) -> None:
        await self.collection.update_one(
            {"_id": places_key(ward_id, period), "held": evaluation_id},
            {"$pull": {"held": evaluation_id}, "$inc": {"count": -1}},
        )
