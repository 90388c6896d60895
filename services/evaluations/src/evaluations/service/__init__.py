"""Use cases of the evaluations service, over repository Protocols: one module per thing served."""

from dataclasses import dataclass

from evaluations.service.assignments import AssignmentService
from evaluations.service.evaluations import EvaluationService
from evaluations.service.finalisations import Finalisations
from evaluations.service.findings import PolicyFindings
from evaluations.service.hosting import HostFeedbackService
from evaluations.service.reports import Reports
from evaluations.service.roster import RosterService
from evaluations.service.supervision import SupervisionService
from evaluations.service.workplace import WorkplaceResults


@dataclass(frozen=True)
class UseCases:
    """Every use case of the service, as `main.use_cases` wires them over one database."""

    roster: RosterService
    assignments: AssignmentService
    supervision: SupervisionService
    hosting: HostFeedbackService
    workplace: WorkplaceResults
    evaluations: EvaluationService
    findings: PolicyFindings
    finalisations: Finalisations
    reports: Reports


__all__ = [
    "AssignmentService",
    "EvaluationService",
    "Finalisations",
    "HostFeedbackService",
    "PolicyFindings",
    "Reports",
    "RosterService",
    "SupervisionService",
    "UseCases",
    "WorkplaceResults",
]
