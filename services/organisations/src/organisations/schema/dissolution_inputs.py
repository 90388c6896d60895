# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""The inputs of the dissolution workflow's mutations: a campaign launched, each step, a
correction."""

from datetime import date

import strawberry

from organisations.schema.dissolution_records import CaseStep, PersonKind
from organisations.service.commands import LaunchCampaign


@strawberry.input
class LaunchCampaignInput:
    directive_number: str
    district_committee_id: strawberry.ID
    ward_committee_ids: list[strawberry.ID]
    plan_deadline: date

    def command(self) -> LaunchCampaign:
        return LaunchCampaign(
            directive_number=self.directive_number,
            district_committee_id=self.district_committee_id,
            ward_committee_ids=list(self.ward_committee_ids),
            plan_deadline=self.plan_deadline,
        )


@strawberry.input
class RecordDisseminationInput:
    case_id: strawberry.ID
    held_on: date
    attendee_count: int
    documents: list[str] = strawberry.field(description="Documents disseminated, e.g. 38-KL/TW")
    note: str | None = None


@strawberry.input
class PlacementInput:
    person_id: strawberry.ID
    person_kind: PersonKind  # type: ignore[valid-type]
    destination_cell_id: strawberry.ID


@strawberry.input
class SubmitPlanInput:
    case_id: strawberry.ID
    plan_number: str
    plan_date: date
    placements: list[PlacementInput] = strawberry.field(
        default_factory=list,
        description="Only the overrides of the members service's proposed placements",
    )
    note: str | None = None


@strawberry.input
class ApprovePlanInput:
    case_id: strawberry.ID
    approved_on: date
    opinion: str | None = None


@strawberry.input
class ReturnPlanInput:
    case_id: strawberry.ID
    returned_on: date
    reasons: str


@strawberry.input
class IssueDissolutionDecisionInput:
    case_id: strawberry.ID
    decision_number: str
    signed_on: date
    signer: str
    effective_on: date
    note: str | None = None


@strawberry.input
class RecordAnnouncementInput:
    case_id: strawberry.ID
    held_on: date
    note: str | None = None


@strawberry.input(
    description="A recorded step's fields to correct (those left out stay as recorded), and why"
)
class CorrectCaseStepInput:
    case_id: strawberry.ID
    step: CaseStep  # type: ignore[valid-type]
    reason: str
    held_on: date | None = strawberry.field(
        default=None, description="RECORD_DISSEMINATION or RECORD_ANNOUNCEMENT"
    )
    attendee_count: int | None = None
    documents: list[str] | None = None
    plan_number: str | None = None
    plan_date: date | None = None
    approved_on: date | None = None
    opinion: str | None = None
    decision_number: str | None = None
    signed_on: date | None = None
    signer: str | None = None
    effective_on: date | None = strawberry.field(
        default=None, description="Refused (INVALID_TRANSITION) once the cell is dissolved"
    )
