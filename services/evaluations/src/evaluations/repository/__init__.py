"""PyMongo persistence: each write stores the state and its events in one document update."""

from evaluations.repository.evaluations import MongoEvaluations
from evaluations.repository.records import (
    MongoAssignments,
    MongoSupervisionFeedback,
    MongoWorkplaceAssessments,
)
from evaluations.repository.roster import MongoOrganisationDirectory, MongoRoster

__all__ = [
    "MongoAssignments",
    "MongoEvaluations",
    "MongoOrganisationDirectory",
    "MongoRoster",
    "MongoSupervisionFeedback",
    "MongoWorkplaceAssessments",
]
