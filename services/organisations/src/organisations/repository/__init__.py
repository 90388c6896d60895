"""PyMongo persistence: each write stores the state and its events in one document update."""

from organisations.repository.campaigns import MongoCampaignRepository
from organisations.repository.cases import MongoCaseRepository
from organisations.repository.directives import MongoDirectiveRepository
from organisations.repository.organisations import MongoOrganisationRepository

__all__ = [
    "MongoCampaignRepository",
    "MongoCaseRepository",
    "MongoDirectiveRepository",
    "MongoOrganisationRepository",
]
