"""A grassroots organisation's year as the EXCELLENT quota counts it: one document holding the
evaluations rated EXCELLENT and GOOD, changed by conditional updates, so that the quota holds
with any number of replicas finalising and reopening at once."""

import contextlib
from collections.abc import Sequence

from kit.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import Period, Rating
from evaluations.service.ports import QuotaPlaces

FIELDS = {Rating.EXCELLENT: ("excellent", "excellent_count"), Rating.GOOD: ("good", "good_count")}


def places_key(ward_id: str, period: Period) -> str:
    return f"{ward_id}/{period}"


class MongoExcellentPlaces:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["excellent_places"]

    async def of_ward(self, ward_id: str, period: Period) -> QuotaPlaces | None:
        found = await self.collection.find_one(
            {"_id": places_key(ward_id, period)}, {"excellent": 1, "good": 1}
        )
        if found is None:
            return None
        # FerretDB 1.24 leaves out the empty lists of a $setOnInsert
        return QuotaPlaces(list(found.get("excellent", [])), list(found.get("good", [])))

    async def start(self, ward_id: str, period: Period, finalised: QuotaPlaces) -> None:
        with contextlib.suppress(DuplicateKeyError):  # another replica's start stands
            await self.collection.update_one(
                {"_id": places_key(ward_id, period)},
                {
                    "$setOnInsert": {
                        "excellent": finalised.excellent,
                        "excellent_count": len(finalised.excellent),
                        "good": finalised.good,
                        "good_count": len(finalised.good),
                    }
                },
                upsert=True,
            )

    async def take_excellent(
        self, ward_id: str, period: Period, evaluation_id: str, limit: int | None, good: int
    ) -> bool:
        key = places_key(ward_id, period)
        free: Document = {"_id": key, "excellent": {"$ne": evaluation_id}}
        if limit is not None:
            free |= {"good_count": good, "excellent_count": {"$lt": limit}}
        result = await self.collection.update_one(
            free, {"$push": {"excellent": evaluation_id}, "$inc": {"excellent_count": 1}}
        )
        if result.modified_count == 1:
            return True
        holding = await self.collection.find_one(
            {"_id": key, "excellent": evaluation_id}, {"_id": 1}
        )
        return holding is not None

    async def count_good(self, ward_id: str, period: Period, evaluation_ids: Sequence[str]) -> None:
        key = places_key(ward_id, period)
        if not evaluation_ids:
            return
        ids = list(dict.fromkeys(evaluation_ids))
        result = await self.collection.update_one(
            {"_id": key, "good": {"$nin": ids}},
            {"$push": {"good": {"$each": ids}}, "$inc": {"good_count": len(ids)}},
        )
        if result.modified_count == 0 and len(ids) > 1:  # some counted already: one by one
            for i in ids:
                await self.count_good(ward_id, period, [i])

    async def give_back(
        self, ward_id: str, period: Period, evaluation_id: str, rating: Rating
    ) -> None:
        ids, count = FIELDS[rating]
        await self.collection.update_one(
            {"_id": places_key(ward_id, period), ids: evaluation_id},
            {"$pull": {ids: evaluation_id}, "$inc": {count: -1}},
        )
