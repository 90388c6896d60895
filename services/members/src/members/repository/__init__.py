"""PyMongo persistence: each write stores the state and its events in one document update."""

from members.repository.candidates import MongoCandidateRepository
from members.repository.hand_overs import MongoHandOverBook
from members.repository.imports import MongoImportStore
from members.repository.members import MongoMemberRepository
from members.repository.organisations import MongoCaseBook, MongoOrganisationDirectory
from members.repository.transfers import MongoTransferRepository

__all__ = [
    "MongoCandidateRepository",
    "MongoCaseBook",
    "MongoHandOverBook",
    "MongoImportStore",
    "MongoMemberRepository",
    "MongoOrganisationDirectory",
    "MongoTransferRepository",
]
