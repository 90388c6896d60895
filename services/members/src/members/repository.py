"""PyMongo persistence: each write stores the state and its events in one document update."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from kit.mongo import Document
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from members.domain import (
    Conflict,
    Gender,
    KnownOrganisation,
    PartyMember,
    Residence,
    Standing,
    Workplace,
    WorkplaceRole,
)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def member_document(member: PartyMember) -> Document:
    return {
        "_id": member.id,
        "card_number": member.card_number,
        "full_name": member.full_name,
        "date_of_birth": _day(member.date_of_birth),
        "gender": member.gender.value,
        "standing": member.standing.value,
        "admitted_on": _day(member.admitted_on),
        "official_on": _day(member.official_on),
        "organisation_id": member.organisation_id,
        "residence": {
            "address": member.residence.address,
            "residential_group": member.residence.residential_group,
        }
        if member.residence
        else None,
        "workplace": {"name": member.workplace.name, "role": member.workplace.role.value}
        if member.workplace
        else None,
    }


def member_from(document: Document) -> PartyMember:
    residence, workplace = document.get("residence"), document.get("workplace")
    return PartyMember(
        id=document["_id"],
        card_number=document["card_number"],
        full_name=document["full_name"],
        date_of_birth=date.fromisoformat(document["date_of_birth"]),
        gender=Gender(document["gender"]),
        standing=Standing(document["standing"]),
        admitted_on=date.fromisoformat(document["admitted_on"]),
        official_on=date.fromisoformat(document["official_on"])
        if document.get("official_on")
        else None,
        organisation_id=document["organisation_id"],
        residence=Residence(residence["address"], residence["residential_group"])
        if residence
        else None,
        workplace=Workplace(workplace["name"], WorkplaceRole(workplace["role"]))
        if workplace
        else None,
    )


class MongoMemberRepository:
    def __init__(self, db: AsyncDatabase[Document], on_write: Callable[[], None]) -> None:
        self.collection: AsyncCollection[Document] = db["members"]
        self.on_write = on_write

    async def create_indexes(self) -> None:
        await self.collection.create_index("card_number", unique=True)
        await self.collection.create_index("organisation_id")

    async def get(self, member_id: str) -> PartyMember | None:
        document = await self.collection.find_one({"_id": member_id}, {PENDING: 0})
        return member_from(document) if document else None

    async def in_organisation(self, organisation_id: str) -> list[PartyMember]:
        cursor = self.collection.find({"organisation_id": organisation_id}, {PENDING: 0})
        return [member_from(document) async for document in cursor.sort("full_name", 1)]

    async def add(self, member: PartyMember, events: Sequence[dict[str, Any]]) -> None:
        try:
            await self.collection.insert_one({**member_document(member), PENDING: list(events)})
        except DuplicateKeyError as error:
            raise Conflict(
                f"A member with card number {member.card_number} is already registered.",
                field="cardNumber",
            ) from error
        self.on_write()


class MongoOrganisationDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        document = await self.collection.find_one({"_id": organisation_id})
        if document is None:
            return None
        fields = {k: v for k, v in document.items() if k != "_id"}
        return KnownOrganisation(id=document["_id"], **fields)

    async def remember(self, organisation: KnownOrganisation) -> None:
        fields = vars(organisation).copy()
        await self.collection.replace_one({"_id": fields.pop("id")}, fields, upsert=True)
