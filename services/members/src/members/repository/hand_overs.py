"""The hand-over records of restructurings this service has heard of, with their people."""

import contextlib

from kit.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from members.domain.restructuring import HandOverSigned, hand_over_id
from members.repository.documents import day, decision_document, decision_of, required_day


def hand_over_document(record: HandOverSigned) -> Document:
    return {
        "_id": record.id,
        "case_id": record.case_id,
        "kind": record.kind,
        "organisation_id": record.organisation_id,
        "receiving_id": record.receiving_id,
        "new_units": list(record.new_units),
        "decision": decision_document(record.decision),
        "signed_on": day(record.signed_on),
        "giver_signer": record.giver_signer,
        "receiver_signer": record.receiver_signer,
        "member_ids": list(record.member_ids),
        "candidate_ids": list(record.candidate_ids),
    }


def hand_over_from(document: Document) -> HandOverSigned:
    return HandOverSigned(
        case_id=document["case_id"],
        kind=document["kind"],
        organisation_id=document["organisation_id"],
        receiving_id=document.get("receiving_id"),
        new_units=tuple(document.get("new_units") or ()),
        decision=decision_of(document["decision"]),
        signed_on=required_day(document["signed_on"]),
        giver_signer=document["giver_signer"],
        receiver_signer=document["receiver_signer"],
        member_ids=tuple(document.get("member_ids") or ()),
        candidate_ids=tuple(document.get("candidate_ids") or ()),
    )


class MongoHandOverBook:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["restructuring_hand_overs"]

    async def create_indexes(self) -> None:
        """Found by their id only."""

    async def get(self, case_id: str, organisation_id: str) -> HandOverSigned | None:
        document = await self.collection.find_one({"_id": hand_over_id(case_id, organisation_id)})
        return hand_over_from(document) if document else None

    async def keep(self, record: HandOverSigned) -> None:
        """Once: the book as first told (a redelivery keeps the first list)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.insert_one(hand_over_document(record))
