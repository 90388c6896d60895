"""The members domain: members, transfers, admission candidates. Standard library only."""

from members.domain.candidates import AdmissionCandidate, CandidateStage, StageChange
from members.domain.errors import Conflict, DomainError, InvalidTransition, NotFound
from members.domain.members import (
    Gender,
    PartyMember,
    Residence,
    Standing,
    Workplace,
    WorkplaceRole,
    citizen_id_of,
    citizen_id_taken,
    optional_citizen_id,
)
from members.domain.organisations import DissolutionCase, KnownOrganisation
from members.domain.transfers import (
    Checklist,
    PersonKind,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)

__all__ = [
    "AdmissionCandidate",
    "CandidateStage",
    "Checklist",
    "Conflict",
    "DissolutionCase",
    "DomainError",
    "Gender",
    "InvalidTransition",
    "KnownOrganisation",
    "NotFound",
    "PartyMember",
    "PersonKind",
    "Residence",
    "StageChange",
    "Standing",
    "Transfer",
    "TransferKind",
    "TransferReason",
    "TransferState",
    "Workplace",
    "WorkplaceRole",
    "citizen_id_of",
    "citizen_id_taken",
    "optional_citizen_id",
]
