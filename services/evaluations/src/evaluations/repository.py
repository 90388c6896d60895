"""PyMongo persistence: each write stores the state and its events in one document update."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from kit.mongo import Document
from kit.outbox import PENDING
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from evaluations.domain import (
    AssessorRole,
    Assignment,
    AssignmentResult,
    Conflict,
    EvaluationState,
    KnownOrganisation,
    Period,
    Placement,
    Rating,
    RosterEntry,
    SupervisionFeedback,
    WorkplaceAssessment,
)
from evaluations.evaluation import Evaluation, Override, Step

WITHOUT_OUTBOX = {PENDING: 0}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _optional_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _rating(value: str | None) -> Rating | None:
    return Rating(value) if value else None


def roster_from(document: Document) -> RosterEntry:
    return RosterEntry(
        member_id=document["_id"],
        full_name=document.get("full_name") or "",
        workplace_role=document.get("workplace_role"),
        placements=[
            Placement(p["cell_id"], _optional_day(p.get("since")), p.get("transfer_id"))
            for p in document.get("placements", [])
        ],
    )


def placement_document(placement: Placement) -> Document:
    return {
        "cell_id": placement.cell_id,
        "since": _day(placement.since),
        "transfer_id": placement.transfer_id,
    }


class MongoRoster:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["roster"]

    async def create_indexes(self) -> None:
        await self.collection.create_index("placements.cell_id")

    async def get(self, member_id: str) -> RosterEntry | None:
        document = await self.collection.find_one({"_id": member_id})
        return roster_from(document) if document else None

    async def in_cells(self, cell_ids: Sequence[str]) -> list[RosterEntry]:
        cursor = self.collection.find({"placements.cell_id": {"$in": list(cell_ids)}})
        return [roster_from(document) async for document in cursor]

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        """Guarded by the event id recorded in the same update: applying twice changes nothing."""
        await self._apply_once(
            {"_id": entry.member_id, "applied_events": {"$ne": event_id}},
            {
                "$push": {
                    "placements": {"$each": [placement_document(p) for p in entry.placements]},
                    "applied_events": event_id,
                }
            },
        )
        if entry.full_name:
            await self.update_profile(
                entry.member_id, entry.full_name, entry.workplace_role, version
            )

    async def update_profile(
        self, member_id: str, full_name: str, workplace_role: str | None, version: int
    ) -> None:
        """Only a newer version changes the profile, so events may come in any order."""
        await self._apply_once(
            {
                "_id": member_id,
                "$or": [{"version": {"$lt": version}}, {"version": {"$exists": False}}],
            },
            {
                "$set": {
                    "full_name": full_name,
                    "workplace_role": workplace_role,
                    "version": version,
                }
            },
        )

    async def move(self, member_id: str, placement: Placement, event_id: str) -> None:
        """Guarded by the event id and by the transfer id: a reissued event changes nothing."""
        await self._apply_once(
            {
                "_id": member_id,
                "applied_events": {"$ne": event_id},
                "applied_transfers": {"$ne": placement.transfer_id},
            },
            {
                "$push": {
                    "placements": placement_document(placement),
                    "applied_events": event_id,
                    "applied_transfers": placement.transfer_id,
                }
            },
        )

    async def _apply_once(self, guard: Document, update: Document) -> None:
        """Upsert under a guard. A duplicate key means the document exists: either the guard
        refused (applied already) or another event created it meanwhile, so try once more
        without upserting."""
        try:
            await self.collection.update_one(guard, update, upsert=True)
        except DuplicateKeyError:
            await self.collection.update_one(guard, update)


def organisation_from(document: Document) -> KnownOrganisation:
    return KnownOrganisation(
        id=document["_id"],
        code=document["code"],
        name=document["name"],
        kind=document["kind"],
        cell_type=document.get("cell_type"),
        parent_id=document.get("parent_id"),
        ancestor_ids=tuple(document.get("ancestor_ids") or ()),
        status=document["status"],
        version=document.get("version", 0),
    )


class MongoOrganisationDirectory:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["known_organisations"]

    async def create_indexes(self) -> None:
        await self.collection.create_index("ancestor_ids")

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        document = await self.collection.find_one({"_id": organisation_id})
        return organisation_from(document) if document else None

    async def many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]:
        cursor = self.collection.find({"_id": {"$in": list(organisation_ids)}})
        return [organisation_from(document) async for document in cursor]

    async def cells_within(self, organisation_id: str) -> list[str]:
        cursor = self.collection.find(
            {
                "kind": "CELL",
                "$or": [{"_id": organisation_id}, {"ancestor_ids": organisation_id}],
            },
            {"_id": 1},
        )
        return [document["_id"] async for document in cursor]

    async def remember(self, organisation: KnownOrganisation) -> None:
        """A version guard: an older or repeated event changes nothing."""
        fields = {
            "code": organisation.code,
            "name": organisation.name,
            "kind": organisation.kind,
            "cell_type": organisation.cell_type,
            "parent_id": organisation.parent_id,
            "ancestor_ids": list(organisation.ancestor_ids),
            "status": organisation.status,
            "version": organisation.version,
        }
        guard = {"_id": organisation.id, "version": {"$lte": organisation.version}}
        try:
            await self.collection.update_one(guard, {"$set": fields}, upsert=True)
        except DuplicateKeyError:  # stored meanwhile: apply unless a newer version is there
            await self.collection.update_one(guard, {"$set": fields})


def assignment_document(assignment: Assignment) -> Document:
    return {
        "_id": assignment.id,
        "member_id": assignment.member_id,
        "cell_id": assignment.cell_id,
        "period": str(assignment.period),
        "task": assignment.task,
        "assigned_on": _day(assignment.assigned_on),
        "due_on": _day(assignment.due_on),
        "result": assignment.result.value if assignment.result else None,
        "note": assignment.note,
    }


def assignment_from(document: Document) -> Assignment:
    return Assignment(
        id=document["_id"],
        member_id=document["member_id"],
        cell_id=document["cell_id"],
        period=Period.parse(document["period"]),
        task=document["task"],
        assigned_on=date.fromisoformat(document["assigned_on"]),
        due_on=_optional_day(document.get("due_on")),
        result=AssignmentResult(document["result"]) if document.get("result") else None,
        note=document.get("note"),
    )


class MongoAssignments:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["assignments"]

    async def create_indexes(self) -> None:
        await self.collection.create_index([("member_id", 1), ("period", 1)])

    async def get(self, assignment_id: str) -> Assignment | None:
        document = await self.collection.find_one({"_id": assignment_id})
        return assignment_from(document) if document else None

    async def add(self, assignment: Assignment) -> None:
        await self.collection.insert_one(assignment_document(assignment))

    async def save_result(self, assignment: Assignment) -> None:
        await self.collection.update_one(
            {"_id": assignment.id},
            {
                "$set": {
                    "result": assignment_document(assignment)["result"],
                    "note": assignment.note,
                }
            },
        )

    async def of_member(self, member_id: str, period: Period | None) -> list[Assignment]:
        query: Document = {"member_id": member_id}
        if period is not None:
            query["period"] = str(period)
        cursor = self.collection.find(query).sort([("period", 1), ("assigned_on", 1)])
        return [assignment_from(document) async for document in cursor]


def assessment_document(assessment: WorkplaceAssessment) -> Document:
    return {
        "_id": assessment.id,
        "external_id": assessment.external_id,
        "submitter": assessment.submitter,
        "member_id": assessment.member_id,
        "period": str(assessment.period),
        "assessor_role": assessment.assessor_role.value,
        "assessor_name": assessment.assessor_name,
        "rating": assessment.rating.value,
        "comment": assessment.comment,
        "recorded_at": assessment.recorded_at,
    }


def assessment_from(document: Document) -> WorkplaceAssessment:
    return WorkplaceAssessment(
        id=document["_id"],
        external_id=document["external_id"],
        submitter=document["submitter"],
        member_id=document["member_id"],
        period=Period.parse(document["period"]),
        assessor_role=AssessorRole(document["assessor_role"]),
        assessor_name=document["assessor_name"],
        rating=Rating(document["rating"]),
        comment=document.get("comment"),
        recorded_at=document["recorded_at"],
    )


class MongoWorkplaceAssessments:
    def __init__(self, db: AsyncDatabase[Document], on_write: Callable[[], None]) -> None:
        self.collection: AsyncCollection[Document] = db["workplace_assessments"]
        self.on_write = on_write

    async def create_indexes(self) -> None:
        await self.collection.create_index([("member_id", 1), ("period", 1)])

    async def record(self, assessments: Sequence[tuple[WorkplaceAssessment, Document]]) -> set[str]:
        """One unordered bulk of upserts: an id already stored is left as it was."""
        if not assessments:
            return set()
        result = await self.collection.bulk_write(
            [
                UpdateOne(
                    {"_id": assessment.id},
                    {"$setOnInsert": {**assessment_document(assessment), PENDING: [event]}},
                    upsert=True,
                )
                for assessment, event in assessments
            ],
            ordered=False,
        )
        self.on_write()
        return {str(upserted) for upserted in (result.upserted_ids or {}).values()}

    async def many(self, assessment_ids: Sequence[str]) -> list[WorkplaceAssessment]:
        cursor = self.collection.find({"_id": {"$in": list(assessment_ids)}}, WITHOUT_OUTBOX)
        return [assessment_from(document) async for document in cursor]

    async def of_member(self, member_id: str, period: Period) -> list[WorkplaceAssessment]:
        cursor = self.collection.find(
            {"member_id": member_id, "period": str(period)}, WITHOUT_OUTBOX
        ).sort([("recorded_at", -1), ("_id", -1)])
        return [assessment_from(document) async for document in cursor]

    async def latest_ratings(self, member_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        cursor = self.collection.find(
            {"member_id": {"$in": list(member_ids)}, "period": str(period)},
            {"member_id": 1, "rating": 1, "recorded_at": 1},
        ).sort([("recorded_at", 1), ("_id", 1)])
        return {document["member_id"]: Rating(document["rating"]) async for document in cursor}


class MongoSupervisionFeedback:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["supervision_feedback"]

    async def add(self, feedback: SupervisionFeedback) -> None:
        await self.collection.insert_one(
            {
                "_id": feedback.id,
                "member_id": feedback.member_id,
                "by_member_id": feedback.by_member_id,
                "cell_id": feedback.cell_id,
                "period": str(feedback.period),
                "comment": feedback.comment,
                "given_at": feedback.given_at,
            }
        )

    async def of_member(self, member_id: str, period: Period) -> list[SupervisionFeedback]:
        cursor = self.collection.find({"member_id": member_id, "period": str(period)})
        return [
            SupervisionFeedback(
                id=d["_id"],
                member_id=d["member_id"],
                by_member_id=d["by_member_id"],
                cell_id=d["cell_id"],
                period=Period.parse(d["period"]),
                comment=d["comment"],
                given_at=d["given_at"],
            )
            async for d in cursor.sort("given_at", 1)
        ]


def evaluation_document(evaluation: Evaluation) -> Document:
    def rating(value: Rating | None) -> str | None:
        return value.value if value else None

    return {
        "member_id": evaluation.member_id,
        "cell_id": evaluation.cell_id,
        "period": str(evaluation.period),
        "period_ends_on": evaluation.period.ends_on.isoformat(),
        "state": evaluation.state.value,
        "self_rating": rating(evaluation.self_rating),
        "self_comment": evaluation.self_comment,
        "proposed_rating": rating(evaluation.proposed_rating),
        "proposed_score": evaluation.proposed_score,
        "proposal_note": evaluation.proposal_note,
        "final_rating": rating(evaluation.final_rating),
        "final_score": evaluation.final_score,
        "finalised_at": evaluation.finalised_at,
        "overrides": [vars(o) for o in evaluation.overrides],
        "history": [{**vars(s), "state": s.state.value} for s in evaluation.history],
    }


def evaluation_from(document: Document) -> Evaluation:
    return Evaluation(
        id=document["_id"],
        member_id=document["member_id"],
        cell_id=document["cell_id"],
        period=Period.parse(document["period"]),
        state=EvaluationState(document["state"]),
        self_rating=_rating(document.get("self_rating")),
        self_comment=document.get("self_comment"),
        proposed_rating=_rating(document.get("proposed_rating")),
        proposed_score=document.get("proposed_score"),
        proposal_note=document.get("proposal_note"),
        final_rating=_rating(document.get("final_rating")),
        final_score=document.get("final_score"),
        finalised_at=document.get("finalised_at"),
        overrides=[Override(**o) for o in document.get("overrides", [])],
        history=[
            Step(EvaluationState(s["state"]), s["at"], s["by"], s.get("note"))
            for s in document.get("history", [])
        ],
        version=document.get("version", 0),
    )


class MongoEvaluations:
    def __init__(self, db: AsyncDatabase[Document], on_write: Callable[[], None]) -> None:
        self.collection: AsyncCollection[Document] = db["evaluations"]
        self.on_write = on_write

    async def create_indexes(self) -> None:
        await self.collection.create_index([("cell_id", 1), ("period", 1)])
        await self.collection.create_index([("member_id", 1), ("period", 1)])

    async def get(self, evaluation_id: str) -> Evaluation | None:
        document = await self.collection.find_one({"_id": evaluation_id}, WITHOUT_OUTBOX)
        return evaluation_from(document) if document else None

    async def save(self, evaluation: Evaluation, events: Sequence[Document]) -> None:
        """Optimistic: the write applies only to the version that was read."""
        fields: dict[str, Any] = {
            **evaluation_document(evaluation),
            "version": evaluation.version + 1,
        }
        changed = Conflict(
            f"The evaluation {evaluation.id} changed meanwhile: read it again and retry.",
            id=evaluation.id,
        )
        if evaluation.version == 0:
            try:
                await self.collection.insert_one(
                    {"_id": evaluation.id, **fields, PENDING: list(events)}
                )
            except DuplicateKeyError:
                raise changed from None
        else:
            update: Document = {"$set": fields}
            if events:
                update["$push"] = {PENDING: {"$each": list(events)}}
            result = await self.collection.update_one(
                {"_id": evaluation.id, "version": evaluation.version}, update
            )
            if result.modified_count == 0:
                raise changed
        evaluation.version += 1
        if events:
            self.on_write()

    async def of_member(self, member_id: str) -> list[Evaluation]:
        cursor = self.collection.find({"member_id": member_id}, WITHOUT_OUTBOX)
        return [evaluation_from(document) async for document in cursor.sort("period", 1)]

    async def in_cells(
        self, cell_ids: Sequence[str], period: Period, state: EvaluationState | None = None
    ) -> list[Evaluation]:
        query: Document = {"cell_id": {"$in": list(cell_ids)}, "period": str(period)}
        if state is not None:
            query["state"] = state.value
        cursor = self.collection.find(query, WITHOUT_OUTBOX)
        return [evaluation_from(document) async for document in cursor]

    async def finalised_counts(
        self, cell_ids: Sequence[str], period: Period, excluding: str
    ) -> dict[Rating, int]:
        pipeline: list[Document] = [
            {
                "$match": {
                    "cell_id": {"$in": list(cell_ids)},
                    "period": str(period),
                    "state": EvaluationState.FINALISED.value,
                    "_id": {"$ne": excluding},
                }
            },
            {"$group": {"_id": "$final_rating", "count": {"$sum": 1}}},
        ]
        cursor = await self.collection.aggregate(pipeline)
        return {Rating(group["_id"]): group["count"] async for group in cursor}

    async def follow_transfer(self, member_id: str, cell_id: str, since: date) -> None:
        await self.collection.update_many(
            {
                "member_id": member_id,
                "state": {"$ne": EvaluationState.FINALISED.value},
                "period_ends_on": {"$gte": since.isoformat()},
            },
            {"$set": {"cell_id": cell_id}, "$inc": {"version": 1}},
        )
