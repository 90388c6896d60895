"""What the repositories share: how dates and ratings are stored, how documents are found."""

import asyncio
from collections.abc import Sequence
from datetime import date

from kit.mongo import Document
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection

from evaluations.domain import Rating

WITHOUT_OUTBOX = {PENDING: 0}

# FerretDB 1.24 serves `_id` equality from its primary key but scans the whole collection for
# `$in`: up to this many ids are looked up one by one (at once), more in one scan
ONE_BY_ONE = 32


async def by_ids(
    collection: AsyncCollection[Document],
    ids: Sequence[str],
    projection: Document | None = None,
) -> list[Document]:
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > ONE_BY_ONE:
        return await collection.find({"_id": {"$in": wanted}}, projection).to_list()
    found = await asyncio.gather(*(collection.find_one({"_id": i}, projection) for i in wanted))
    return [document for document in found if document is not None]


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def optional_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def rating(value: str | None) -> Rating | None:
    return Rating(value) if value else None
