"""The members domain: members, transfers, admission candidates. Standard library only."""

from members.domain.admission import AdmissionDates, AwarenessCertificate, Introducer
from members.domain.candidates import AdmissionCandidate, CandidateStage, StageChange
from members.domain.checklists import Checklist
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
    PersonKind,
    ReceptionCorrection,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
)

__all__ = [
    "AdmissionCandidate",
    "AdmissionDates",
    "AwarenessCertificate",
    "CandidateStage",
    "Checklist",
    "Conflict",
    "DissolutionCase",
    "DomainError",
    "Gender",
    "Introducer",
    "InvalidTransition",
    "KnownOrganisation",
    "NotFound",
    "PartyMember",
    "PersonKind",
    "ReceptionCorrection",
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
