"""The organisations domain: standard library only."""

from organisations.domain.campaigns import Campaign, CampaignProgress, Target
from organisations.domain.case_corrections import StepCorrection, correct_step
from organisations.domain.directives import Directive, DirectiveKind, DirectiveNumber
from organisations.domain.dissolution import (
    Action,
    Announcement,
    Approval,
    AuditEntry,
    CaseCorrection,
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
from organisations.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
)
from organisations.domain.hierarchy import (
    CellType,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)

__all__ = [
    "Action",
    "Announcement",
    "Approval",
    "AuditEntry",
    "Campaign",
    "CampaignProgress",
    "CaseCorrection",
    "CellType",
    "Conflict",
    "Decision",
    "Directive",
    "DirectiveKind",
    "DirectiveNumber",
    "Dissemination",
    "DissolutionCase",
    "DomainError",
    "Forbidden",
    "InvalidTransition",
    "NotFound",
    "Organisation",
    "OrganisationKind",
    "OrganisationStatus",
    "PersonKind",
    "Placement",
    "Plan",
    "PlanReturn",
    "Relocation",
    "Stage",
    "Step",
    "StepCorrection",
    "Target",
    "correct_step",
]
