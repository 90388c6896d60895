"""Restructuring campaigns in PyMongo: a campaign and its event in one document."""

from collections.abc import Sequence
from typing import Any

from kit.aggregates import Change, save_aggregate
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from organisations.domain import Conflict, RestructuringCampaign

Event = dict[str, Any]


CAMPAIGN_INDEXES = (Index("organisation", ("organisation_id",)),)


class MongoRestructuringCampaignRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["restructuring_campaigns"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, CAMPAIGN_INDEXES)

    async def get(self, campaign_id: str) -> RestructuringCampaign | None:
        document = await self.collection.find_one({"_id": campaign_id}, {PENDING: 0})
        return _campaign(document) if document else None

    async def all(self) -> list[RestructuringCampaign]:
        return [_campaign(d) async for d in self.collection.find({}, {PENDING: 0})]

    async def add(self, campaign: RestructuringCampaign, events: Sequence[Event]) -> None:
        document = {
            "_id": campaign.id,
            "title": campaign.title,
            "organisation_id": campaign.organisation_id,
            "launched_at": campaign.launched_at,
            "launched_by": campaign.launched_by,
            "directive_number": campaign.directive_number,
        }
        try:
            await save_aggregate(self.collection, Change(document, events))
        except DuplicateKeyError as error:
            raise Conflict("This campaign was launched already.", campaignId=campaign.id) from error


def _campaign(document: Document) -> RestructuringCampaign:
    return RestructuringCampaign(
        id=document["_id"],
        title=document["title"],
        organisation_id=document["organisation_id"],
        launched_at=document["launched_at"],
        launched_by=document["launched_by"],
        directive_number=document.get("directive_number"),
    )
