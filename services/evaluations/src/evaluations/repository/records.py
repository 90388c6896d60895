"""What a ranking rests on: tasks, job results, supervision feedback, host cells' feedback."""

from collections.abc import Sequence
from datetime import date

from kit.mongo import Document
from kit.mongo.indexes import Index, create_indexes
from kit.mongo.lookups import by_ids, for_each_value
from kit.outbox import PENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from evaluations.domain import (
    AssessorRole,
    Assignment,
    AssignmentResult,
    HostCellFeedback,
    Period,
    Rating,
    SupervisionFeedback,
    WorkplaceAssessment,
)
from evaluations.repository.documents import WITHOUT_OUTBOX, by_member, day, optional_day
from evaluations.repository.summary_counts import MongoSummaryCounts

DUPLICATE_KEY = 11000

# each member's records in these orders, whether read for one member or for many at once
ASSIGNMENT_ORDER = [("period", 1), ("assigned_on", 1)]
NEWEST_FIRST = [("recorded_at", -1), ("_id", -1)]
OLDEST_FIRST = [("given_at", 1)]


def of_members(member_ids: Sequence[str], period: Period) -> Document:
    """FerretDB 1.24 on SQLite scans the whole collection for any query on `member_id`: one
    scan for many members costs about what one member's does (bench/evaluations/run.py)."""
    return {"member_id": {"$in": list(member_ids)}, "period": str(period)}


def assignment_document(assignment: Assignment) -> Document:
    return {
        "_id": assignment.id,
        "member_id": assignment.member_id,
        "cell_id": assignment.cell_id,
        "period": str(assignment.period),
        "task": assignment.task,
        "assigned_on": day(assignment.assigned_on),
        "due_on": day(assignment.due_on),
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
        due_on=optional_day(document.get("due_on")),
        result=AssignmentResult(document["result"]) if document.get("result") else None,
        note=document.get("note"),
    )


ASSIGNMENTS_INDEXES = (Index("member_period", ("member_id", "period", "assigned_on")),)


class MongoAssignments:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["assignments"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ASSIGNMENTS_INDEXES)

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
        cursor = self.collection.find(query).sort(ASSIGNMENT_ORDER)
        return [assignment_from(document) async for document in cursor]

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[Assignment]]:
        cursor = self.collection.find(of_members(member_ids, period)).sort(ASSIGNMENT_ORDER)
        return by_member([assignment_from(document) async for document in cursor])


def assessment_document(assessment: WorkplaceAssessment) -> Document:
    return {
        "_id": assessment.id,
        "external_id": assessment.external_id,
        "submitter": assessment.submitter,
        "submitted_by": assessment.submitted_by,
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
        submitted_by=document.get("submitted_by") or document["submitter"],
        member_id=document["member_id"],
        period=Period.parse(document["period"]),
        assessor_role=AssessorRole(document["assessor_role"]),
        assessor_name=document["assessor_name"],
        rating=Rating(document["rating"]),
        comment=document.get("comment"),
        recorded_at=document["recorded_at"],
    )


WORKPLACE_ASSESSMENTS_INDEXES = (
    Index("member_period_newest", ("member_id", "period", "-recorded_at", "-_id")),
    # what a sender sent for a period: a resend is told apart in one equality query a period
    Index("sender_period", ("submitted_by", "period")),
)


class MongoWorkplaceAssessments:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["workplace_assessments"]
        self.counts = MongoSummaryCounts(db)

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, WORKPLACE_ASSESSMENTS_INDEXES)

    async def record(self, assessments: Sequence[tuple[WorkplaceAssessment, Document]]) -> set[str]:
        """One unordered bulk insert: an id already stored stays as it was (duplicate key)."""
        if not assessments:
            return set()
        ids = [assessment.id for assessment, _ in assessments]
        try:
            async with self.counts.changing_assessments([a for a, _ in assessments]):
                await self.collection.insert_many(
                    [
                        {**assessment_document(assessment), PENDING: [event]}
                        for assessment, event in assessments
                    ],
                    ordered=False,
                )
            stored = set(ids)
        except BulkWriteError as error:
            errors = error.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
            stored = set(ids) - {ids[e["index"]] for e in errors}
        return stored

    async def many(self, assessment_ids: Sequence[str]) -> list[WorkplaceAssessment]:
        found = await by_ids(self.collection, assessment_ids, WITHOUT_OUTBOX)
        return [assessment_from(document) for document in found]

    async def sent_by(
        self, submitted_by: str, periods: Sequence[Period]
    ) -> list[WorkplaceAssessment]:
        found = await for_each_value(
            self.collection,
            "period",
            [str(period) for period in periods],
            {"submitted_by": submitted_by},
            WITHOUT_OUTBOX,
        )
        return [assessment_from(document) for document in found]

    async def of_member(self, member_id: str, period: Period) -> list[WorkplaceAssessment]:
        cursor = self.collection.find(
            {"member_id": member_id, "period": str(period)}, WITHOUT_OUTBOX
        ).sort(NEWEST_FIRST)
        return [assessment_from(document) async for document in cursor]

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[WorkplaceAssessment]]:
        query = of_members(member_ids, period)
        cursor = self.collection.find(query, WITHOUT_OUTBOX).sort(NEWEST_FIRST)
        return by_member([assessment_from(document) async for document in cursor])

    async def latest_ratings(self, member_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        cursor = self.collection.find(
            of_members(member_ids, period), {"member_id": 1, "rating": 1, "recorded_at": 1}
        ).sort([("recorded_at", 1), ("_id", 1)])
        return {document["member_id"]: Rating(document["rating"]) async for document in cursor}


SUPERVISION_FEEDBACK_INDEXES = (Index("member_period", ("member_id", "period", "given_at")),)


class MongoSupervisionFeedback:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["supervision_feedback"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, SUPERVISION_FEEDBACK_INDEXES)

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
        return [feedback_from(document) async for document in cursor.sort(OLDEST_FIRST)]

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[SupervisionFeedback]]:
        cursor = self.collection.find(of_members(member_ids, period)).sort(OLDEST_FIRST)
        return by_member([feedback_from(document) async for document in cursor])


def feedback_from(document: Document) -> SupervisionFeedback:
    return SupervisionFeedback(
        id=document["_id"],
        member_id=document["member_id"],
        by_member_id=document["by_member_id"],
        cell_id=document["cell_id"],
        period=Period.parse(document["period"]),
        comment=document["comment"],
        given_at=document["given_at"],
    )


class MongoHostFeedback:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db["host_feedback"]

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, SUPERVISION_FEEDBACK_INDEXES)

    async def add(self, feedback: HostCellFeedback) -> None:
        await self.collection.insert_one(
            {
                "_id": feedback.id,
                "member_id": feedback.member_id,
                "host_cell_id": feedback.host_cell_id,
                "period": str(feedback.period),
                "comment": feedback.comment,
                "given_by": feedback.given_by,
                "given_by_subject": feedback.given_by_subject,
                "given_at": feedback.given_at,
            }
        )

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[HostCellFeedback]]:
        cursor = self.collection.find(of_members(member_ids, period)).sort(OLDEST_FIRST)
        return by_member([host_feedback_from(document) async for document in cursor])


def host_feedback_from(document: Document) -> HostCellFeedback:
    return HostCellFeedback(
        id=document["_id"],
        member_id=document["member_id"],
        host_cell_id=document["host_cell_id"],
        period=Period.parse(document["period"]),
        comment=document["comment"],
        given_by=document["given_by"],
        given_by_subject=document["given_by_subject"],
        given_at=document["given_at"],
    )
