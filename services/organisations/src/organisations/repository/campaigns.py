"""Campaigns in PyMongo."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from kit.aggregates import Change, save_aggregate
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from organisations.domain import Campaign, Conflict, Target

Event = dict[str, Any]


def to_document(campaign: Campaign) -> Document:
    return {
        "_id": campaign.id,
        "directive_id": campaign.directive_id,
        "directive_number": campaign.directive_number,
        "district_committee_id": campaign.district_committee_id,
        "ward_committee_ids": campaign.ward_committee_ids,
        "plan_deadline": campaign.plan_deadline.isoformat(),
        "launched_at": campaign.launched_at,
        "launched_by": campaign.launched_by,
        "targets": [
            {"cell_id": t.cell_id, "ward_committee_id": t.ward_committee_id}
            for t in campaign.targets
        ],
        "cases_opened": campaign.cases_opened,
    }


def from_document(document: Document) -> Campaign:
    return Campaign(
        id=document["_id"],
        directive_id=document["directive_id"],
        directive_number=document["directive_number"],
        district_committee_id=document["district_committee_id"],
        ward_committee_ids=list(document["ward_committee_ids"]),
        plan_deadline=date.fromisoformat(document["plan_deadline"]),
        launched_at=document["launched_at"],
        launched_by=document["launched_by"],
        targets=[Target(t["cell_id"], t["ward_committee_id"]) for t in document["targets"]],
        cases_opened=bool(document.get("cases_opened")),
    )


CAMPAIGN_INDEXES = (
    Index("district_directive", ("district_committee_id", "directive_id")),
    Index("directive", ("directive_id",)),
    Index("unopened", ("cases_opened",)),
)


class MongoCampaignRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["campaigns"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, CAMPAIGN_INDEXES)

    async def get(self, campaign_id: str) -> Campaign | None:
        document = await self.collection.find_one({"_id": campaign_id}, {PENDING: 0})
        return from_document(document) if document else None

    async def find(
        self, district_committee_id: str | None, directive_id: str | None
    ) -> list[Campaign]:
        query: Document = {}
        if district_committee_id is not None:
            query["district_committee_id"] = district_committee_id
        if directive_id is not None:
            query["directive_id"] = directive_id
        return [from_document(d) async for d in self.collection.find(query, {PENDING: 0})]

    async def add(self, campaign: Campaign, events: Sequence[Event]) -> None:
        try:
            await save_aggregate(self.collection, Change(to_document(campaign), events))
        except DuplicateKeyError as error:
            raise Conflict(
                f"A campaign from {campaign.directive_number} has already been launched at "
                "this district committee.",
                field="directiveNumber",
                campaignId=campaign.id,
            ) from error

    async def mark_cases_opened(self, campaign_id: str) -> None:
        await self.collection.update_one({"_id": campaign_id}, {"$set": {"cases_opened": True}})

    async def with_unopened_cases(self) -> list[Campaign]:
        cursor = self.collection.find({"cases_opened": False}, {PENDING: 0})
        return [from_document(d) async for d in cursor]
