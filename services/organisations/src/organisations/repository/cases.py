"""Dissolution cases in PyMongo: a case, its audit trail and its events in one document."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from kit.aggregates import APPLIED, Change, save_aggregate
from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids
from kit.outbox import PENDING
from pymongo import InsertOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from organisations.domain import (
    Announcement,
    Approval,
    AuditEntry,
    CaseCorrection,
    Conflict,
    Decision,
    Dissemination,
    DissolutionCase,
    PersonKind,
    Placement,
    Plan,
    PlanReturn,
    Relocation,
    Stage,
    Step,
)
from organisations.repository.progress import MongoCampaignProgress

Event = dict[str, Any]
DUPLICATE_KEY = 11000


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _plan_document(plan: Plan) -> Document:
    return {
        "number": plan.number,
        "dated_on": plan.dated_on.isoformat(),
        "placements": [
            {
                "person_id": p.person_id,
                "person_kind": p.person_kind.value,
                "destination_cell_id": p.destination_cell_id,
            }
            for p in plan.placements
        ],
    }


def _plan(document: Document) -> Plan:
    return Plan(
        number=document["number"],
        dated_on=date.fromisoformat(document["dated_on"]),
        placements=[
            Placement(p["person_id"], PersonKind(p["person_kind"]), p["destination_cell_id"])
            for p in document["placements"]
        ],
    )


def to_document(case: DissolutionCase) -> Document:
    d, a, dec = case.dissemination, case.approval, case.decision
    return {
        "_id": case.id,
        "campaign_id": case.campaign_id,
        "cell_id": case.cell_id,
        "ward_committee_id": case.ward_committee_id,
        "plan_deadline": case.plan_deadline.isoformat(),
        "opened_at": case.opened_at,
        "stage": case.stage.value,
        "dissemination": {
            "held_on": d.held_on.isoformat(),
            "attendee_count": d.attendee_count,
            "documents": d.documents,
        }
        if d
        else None,
        "plan": _plan_document(case.plan) if case.plan else None,
        "returned_plans": [
            {
                "plan": _plan_document(r.plan),
                "returned_on": r.returned_on.isoformat(),
                "reasons": r.reasons,
            }
            for r in case.returned_plans
        ],
        "approval": {"approved_on": a.approved_on.isoformat(), "opinion": a.opinion} if a else None,
        "decision": {
            "number": dec.number,
            "signed_on": dec.signed_on.isoformat(),
            "signer": dec.signer,
            "effective_on": dec.effective_on.isoformat(),
        }
        if dec
        else None,
        "announcement": {"held_on": case.announcement.held_on.isoformat()}
        if case.announcement
        else None,
        "relocation": {
            "members": case.relocation.members,
            "candidates": case.relocation.candidates,
            "completed_on": case.relocation.completed_on.isoformat(),
        }
        if case.relocation
        else None,
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
        "corrections": [
            {
                "step": c.step.value,
                "field": c.field,
                "old_value": c.old_value,
                "new_value": c.new_value,
                "reason": c.reason,
                "actor": c.actor,
                "subject": c.subject,
                "at": c.at,
            }
            for c in case.corrections
        ],
        "cell_dissolved": case.cell_dissolved,
        "version": case.version,
    }


def from_document(document: Document) -> DissolutionCase:
    d, a, dec = document.get("dissemination"), document.get("approval"), document.get("decision")
    announcement, relocation = document.get("announcement"), document.get("relocation")
    return DissolutionCase(
        id=document["_id"],
        campaign_id=document["campaign_id"],
        cell_id=document["cell_id"],
        ward_committee_id=document["ward_committee_id"],
        plan_deadline=date.fromisoformat(document["plan_deadline"]),
        opened_at=document["opened_at"],
        stage=Stage(document["stage"]),
        dissemination=Dissemination(
            date.fromisoformat(d["held_on"]), d["attendee_count"], list(d["documents"])
        )
        if d
        else None,
        plan=_plan(document["plan"]) if document.get("plan") else None,
        returned_plans=[
            PlanReturn(_plan(r["plan"]), date.fromisoformat(r["returned_on"]), r["reasons"])
            for r in document.get("returned_plans") or []
        ],
        approval=Approval(date.fromisoformat(a["approved_on"]), a.get("opinion")) if a else None,
        decision=Decision(
            dec["number"],
            date.fromisoformat(dec["signed_on"]),
            dec["signer"],
            date.fromisoformat(dec["effective_on"]),
        )
        if dec
        else None,
        announcement=Announcement(date.fromisoformat(announcement["held_on"]))
        if announcement
        else None,
        relocation=Relocation(
            relocation["members"],
            relocation["candidates"],
            date.fromisoformat(relocation["completed_on"]),
        )
        if relocation
        else None,
        audit_trail=[
            AuditEntry(
                Step(e["step"]),
                Stage(e["from_stage"]),
                Stage(e["to_stage"]),
                e["actor"],
                e["at"],
                e.get("note"),
                e.get("subject"),
            )
            for e in document.get("audit_trail") or []
        ],
        corrections=[
            CaseCorrection(
                Step(c["step"]),
                c["field"],
                c.get("old_value"),
                c.get("new_value"),
                c["reason"],
                c["actor"],
                c["at"],
                c.get("subject"),
            )
            for c in document.get("corrections") or []
        ],
        cell_dissolved=bool(document.get("cell_dissolved")),
        version=int(document.get("version") or 1),
    )


# lists in id order after the equality filters, one index for each combination of the three
# optional ones (campaign, stage, ward); the periodic dissolution check finds the decided cases
# whose cell is not dissolved yet
CASE_INDEXES = (
    Index("campaign_stage", ("campaign_id", "stage", "_id")),
    Index("campaign", ("campaign_id", "_id", "ward_committee_id")),
    Index("campaign_ward", ("campaign_id", "ward_committee_id", "_id")),
    Index("campaign_stage_ward", ("campaign_id", "stage", "ward_committee_id", "_id")),
    Index("cell", ("cell_id", "_id")),
    Index("stage", ("stage", "_id", "ward_committee_id")),
    Index("stage_ward", ("stage", "ward_committee_id", "_id")),
    Index("ward", ("ward_committee_id", "_id", "stage")),
    Index("awaiting_dissolution", ("cell_dissolved", "decision.effective_on")),
)


class MongoCaseRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["dissolution_cases"]
        self.progress = MongoCampaignProgress(db, self.collection)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, CASE_INDEXES)

    async def stage_counts(self, campaign_id: str) -> dict[Stage, int]:
        return await self.progress.stage_counts(campaign_id)

    async def get(self, case_id: str) -> DissolutionCase | None:
        document = await self.collection.find_one({"_id": case_id}, {PENDING: 0})
        return from_document(document) if document else None

    async def get_many(self, case_ids: Sequence[str]) -> list[DissolutionCase]:
        return [from_document(d) for d in await by_ids(self.collection, case_ids, {PENDING: 0})]

    async def find(
        self,
        campaign_id: str | None = None,
        stage: Stage | None = None,
        ward_committee_id: str | None = None,
        cell_ids: Sequence[str] | None = None,
        campaign_ids: Sequence[str] | None = None,
    ) -> list[DissolutionCase]:
        query: Document = {}
        if campaign_id is not None:
            query["campaign_id"] = campaign_id
        if campaign_ids is not None:
            query["campaign_id"] = {"$in": list(campaign_ids)}
        if stage is not None:
            query["stage"] = stage.value
        if ward_committee_id is not None:
            query["ward_committee_id"] = ward_committee_id
        if cell_ids is not None:
            query["cell_id"] = {"$in": list(cell_ids)}
        cursor = self.collection.find(query, {PENDING: 0}).sort("_id", 1)
        return [from_document(d) async for d in cursor]

    async def open_all(self, opened: Sequence[tuple[DissolutionCase, Sequence[Event]]]) -> None:
        if not opened:
            return
        writes = [
            InsertOne({**to_document(case), PENDING: list(events), APPLIED: []})
            for case, events in opened
        ]
        try:
            await self.collection.bulk_write(writes, ordered=False)
        except BulkWriteError as error:
            others = [e for e in error.details.get("writeErrors", []) if e["code"] != DUPLICATE_KEY]
            if others:
                raise
        await self.progress.record_opened(case for case, _ in opened)

    async def save(
        self,
        case: DissolutionCase,
        read_version: int,
        events: Sequence[Event],
        applied_event_id: str | None = None,
    ) -> None:
        change = Change(to_document(case), events, applied_event_id, read_version=read_version)
        conflict = Conflict(
            "The dissolution case was changed meanwhile; read it again and retry.",
            caseId=case.id,
        )
        await save_aggregate(self.collection, change, conflict)
        await self.progress.record(case)

    async def mark_cell_dissolved(self, case_id: str) -> None:
        await self.collection.update_one({"_id": case_id}, {"$set": {"cell_dissolved": True}})

    async def awaiting_cell_dissolution(self) -> list[DissolutionCase]:
        query = {"cell_dissolved": False, "decision.effective_on": {"$exists": True}}
        return [from_document(d) async for d in self.collection.find(query, {PENDING: 0})]
