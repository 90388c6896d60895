"""PyMongo persistence: each write stores the state and its events in one document update."""

from kit.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from evaluations.repository.evaluations import MongoEvaluations
from evaluations.repository.organisations import MongoOrganisationDirectory
from evaluations.repository.places import MongoExcellentPlaces
from evaluations.repository.records import (
    MongoAssignments,
    MongoHostFeedback,
    MongoSupervisionFeedback,
    MongoWorkplaceAssessments,
)
from evaluations.repository.roster import MongoRoster
from evaluations.repository.summary_counts import MongoSummaryCounts


class MongoRepositories:
    """Every repository of the service over one database."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.roster = MongoRoster(db)
        self.organisations = MongoOrganisationDirectory(db)
        self.assignments = MongoAssignments(db)
        self.assessments = MongoWorkplaceAssessments(db)
        self.feedback = MongoSupervisionFeedback(db)
        self.host_feedback = MongoHostFeedback(db)
        self.evaluations = MongoEvaluations(db)
        self.excellent_places = MongoExcellentPlaces(db)
        self.summary_counts = MongoSummaryCounts(db)

    async def create_indexes(self) -> None:
        await self.roster.create_indexes()
        await self.organisations.create_indexes()
        await self.assignments.create_indexes()
        await self.assessments.create_indexes()
        await self.evaluations.create_indexes()
        await self.feedback.create_indexes()
        await self.host_feedback.create_indexes()
        await self.summary_counts.create_indexes()


__all__ = [
    "MongoAssignments",
    "MongoEvaluations",
    "MongoExcellentPlaces",
    "MongoHostFeedback",
    "MongoOrganisationDirectory",
    "MongoRepositories",
    "MongoRoster",
    "MongoSupervisionFeedback",
    "MongoWorkplaceAssessments",
]
