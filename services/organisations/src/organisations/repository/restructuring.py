"""Restructuring cases in PyMongo: a case, its audit trail and its events in one document;
each campaign's progress kept with every change of its cases."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from kit.aggregates import Change, save_aggregate
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from organisations.domain import (
    Acceptance,
    Cessation,
    Conflict,
    Decision,
    HandoverRecord,
    Move,
    NewUnit,
    OrganisationStatus,
    Outcome,
    RestructuringAuditEntry,
    RestructuringCase,
    RestructuringKind,
    RestructuringStage,
    RestructuringStep,
)
from organisations.repository.progress import CaseTally

Event = dict[str, Any]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _outcome_document(outcome: Outcome) -> Document:
    return {
        "moves": [
            {
                "organisation_id": m.organisation_id,
                "from_parent_id": m.from_parent_id,
                "to_parent_id": m.to_parent_id,
                "code": m.code,
            }
            for m in outcome.moves
        ],
        "cessations": [
            {
                "organisation_id": c.organisation_id,
                "status": c.status.value,
                "successor_ids": c.successor_ids,
            }
            for c in outcome.cessations
        ],
    }


def _outcome(document: Document) -> Outcome:
    return Outcome(
        moves=[
            Move(m["organisation_id"], m.get("from_parent_id"), m["to_parent_id"], m.get("code"))
            for m in document["moves"]
        ],
        cessations=[
            Cessation(c["organisation_id"], OrganisationStatus(c["status"]), c["successor_ids"])
            for c in document["cessations"]
        ],
    )


def to_document(case: RestructuringCase) -> Document:
    dec, acc = case.decision, case.acceptance
    return {
        "_id": case.id,
        "kind": case.kind.value,
        "campaign_id": case.campaign_id,
        "source_ids": case.source_ids,
        "receiving_id": case.receiving_id,
        "receiving_ids": case.receiving_ids,
        "new_units": [
            {
                "id": u.id,
                "code": u.code,
                "name": u.name,
                "parent_id": u.parent_id,
                "child_ids": u.child_ids,
            }
            for u in case.new_units
        ],
        "new_codes": case.new_codes,
        "opened_at": case.opened_at,
        "opened_by": case.opened_by,
        "stage": case.stage.value,
        "decision": {
            "number": dec.number,
            "signed_on": dec.signed_on.isoformat(),
            "signer": dec.signer,
            "effective_on": dec.effective_on.isoformat(),
        }
        if dec
        else None,
        "handovers": [
            {
                "organisation_id": r.organisation_id,
                "signed_on": r.signed_on.isoformat(),
                "giver_signer": r.giver_signer,
                "receiver_signer": r.receiver_signer,
                "member_count": r.member_count,
                "candidate_count": r.candidate_count,
            }
            for r in case.handovers
        ],
        "acceptance": {
            "accepted_on": acc.accepted_on.isoformat(),
            "signer": acc.signer,
            "decision_number": acc.decision_number,
        }
        if acc
        else None,
        "outcome": _outcome_document(case.outcome) if case.outcome else None,
        "audit_trail": [
            {
                "step": e.step.value,
                "from_stage": e.from_stage.value,
                "to_stage": e.to_stage.value,
                "actor": e.actor,
                "subject": e.subject,
                "at": e.at,
                "note": e.note,
            }
            for e in case.audit_trail
        ],
        "tree_applied": case.tree_applied,
        "version": case.version,
    }


def from_document(document: Document) -> RestructuringCase:
    dec, acc = document.get("decision"), document.get("acceptance")
    return RestructuringCase(
        id=document["_id"],
        kind=RestructuringKind(document["kind"]),
        campaign_id=document.get("campaign_id"),
        source_ids=list(document["source_ids"]),
        receiving_id=document.get("receiving_id"),
        new_units=[
            NewUnit(u["id"], u["code"], u["name"], u["parent_id"], list(u["child_ids"]))
            for u in document.get("new_units") or []
        ],
        new_codes=dict(document.get("new_codes") or {}),
        opened_at=document["opened_at"],
        opened_by=document["opened_by"],
        stage=RestructuringStage(document["stage"]),
        decision=Decision(
            dec["number"],
            date.fromisoformat(dec["signed_on"]),
            dec["signer"],
            date.fromisoformat(dec["effective_on"]),
        )
        if dec
        else None,
        handovers=[
            HandoverRecord(
                r["organisation_id"],
                date.fromisoformat(r["signed_on"]),
                r["giver_signer"],
                r["receiver_signer"],
                r["member_count"],
                r.get("candidate_count") or 0,
            )
            for r in document.get("handovers") or []
        ],
        acceptance=Acceptance(
            date.fromisoformat(acc["accepted_on"]), acc["signer"], acc.get("decision_number")
        )
        if acc
        else None,
        outcome=_outcome(document["outcome"]) if document.get("outcome") else None,
        audit_trail=[
            RestructuringAuditEntry(
                RestructuringStep(e["step"]),
                RestructuringStage(e["from_stage"]),
                RestructuringStage(e["to_stage"]),
                e["actor"],
                e["at"],
                e.get("note"),
                e.get("subject"),
            )
            for e in document.get("audit_trail") or []
        ],
        tree_applied=bool(document.get("tree_applied")),
        version=int(document.get("version") or 1),
    )


# lists (put in id order here) filter by any of campaign, stage and kind: the three chains
# below lead with every combination of them; an organisation is in one open case at a time;
# the periodic check finds completed cases whose outcome is not applied yet
RESTRUCTURING_INDEXES = (
    Index("campaign_stage", ("campaign_id", "stage", "kind", "_id")),
    Index("stage", ("stage", "kind", "_id")),
    Index("kind", ("kind", "campaign_id", "_id")),
    Index("source_stage", ("source_ids", "stage")),
    Index("receiving_stage", ("receiving_ids", "stage", "_id")),
    Index("awaiting_tree", ("tree_applied", "stage")),
)


class MongoRestructuringRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["restructuring_cases"]
        self.progress = CaseTally(db, self.collection, "restructuring_progress", RestructuringStage)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, RESTRUCTURING_INDEXES)

    async def get(self, case_id: str) -> RestructuringCase | None:
        document = await self.collection.find_one({"_id": case_id}, {PENDING: 0})
        return from_document(document) if document else None

    async def get_many(self, case_ids: Sequence[str]) -> list[RestructuringCase]:
        return [from_document(d) for d in await by_ids(self.collection, case_ids, {PENDING: 0})]

    async def find(
        self,
        campaign_id: str | None = None,
        stage: RestructuringStage | None = None,
        kind: RestructuringKind | None = None,
    ) -> list[RestructuringCase]:
        query: Document = {}
        if campaign_id is not None:
            query["campaign_id"] = campaign_id
        if stage is not None:
            query["stage"] = stage.value
        if kind is not None:
            query["kind"] = kind.value
        cursor = self.collection.find(query, {PENDING: 0})
        return sorted([from_document(d) async for d in cursor], key=lambda c: c.id)

    async def open_concerning(
        self, given: Sequence[str], received: Sequence[str]
    ) -> list[RestructuringCase]:
        """The cases not completed that give any of these organisations, or receive into one
        of those given."""
        open_ = {"stage": {"$ne": RestructuringStage.COMPLETED.value}}
        # a value at a time: FerretDB compares every case with every value of an `$in`
        giving = await for_each_value(
            self.collection, "source_ids", [*given, *received], open_, {PENDING: 0}
        )
        receiving = await for_each_value(
            self.collection, "receiving_ids", list(given), open_, {PENDING: 0}
        )
        found = {d["_id"]: from_document(d) for d in [*giving, *receiving]}
        return list(found.values())

    async def add(self, case: RestructuringCase, events: Sequence[Event]) -> None:
        await save_aggregate(self.collection, Change(to_document(case), events, read_version=0))
        await self.progress.record_opened([case])

    async def save(
        self, case: RestructuringCase, read_version: int, events: Sequence[Event]
    ) -> None:
        change = Change(to_document(case), events, read_version=read_version)
        conflict = Conflict(
            "The restructuring case was changed meanwhile; read it again and retry.",
            caseId=case.id,
        )
        await save_aggregate(self.collection, change, conflict)
        await self.progress.record(case)

    async def mark_tree_applied(self, case_id: str) -> None:
        await self.collection.update_one({"_id": case_id}, {"$set": {"tree_applied": True}})

    async def awaiting_tree(self) -> list[RestructuringCase]:
        query = {"tree_applied": False, "stage": RestructuringStage.COMPLETED.value}
        return [from_document(d) async for d in self.collection.find(query, {PENDING: 0})]

    async def stage_counts(self, campaign_id: str) -> dict[RestructuringStage, int]:
        return await self.progress.stage_counts(campaign_id)
