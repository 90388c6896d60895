"""The records a ranking rests on: the cell's tasks, the workplace's job results, the fellow
members' and the host cell's feedback."""

from datetime import date, datetime

import strawberry

from evaluations import domain
from evaluations.authorisation import Operation
from evaluations.schema.context import field
from evaluations.schema.enums import AssessorRole, AssignmentResult, Rating
from evaluations.schema.refs import OrganisationRef, PartyMemberRef, member_ref, organisation_ref

READ = Operation.READ_EVALUATION


@strawberry.type(description="A task the cell gave a member [nhiệm vụ chi bộ giao]")
class Assignment:
    id: strawberry.ID
    period: str
    task: str
    assigned_on: date
    due_on: date | None
    result: AssignmentResult | None  # type: ignore[valid-type]
    note: str | None
    member_id: strawberry.Private[str]
    cell_id: strawberry.Private[str]

    @strawberry.field
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @field(description="The cell that gave the task")
    def organisation(self) -> OrganisationRef:
        return organisation_ref(self.cell_id)

    @classmethod
    def of(cls, assignment: domain.Assignment) -> "Assignment":
        return cls(
            id=strawberry.ID(assignment.id),
            period=str(assignment.period),
            task=assignment.task,
            assigned_on=assignment.assigned_on,
            due_on=assignment.due_on,
            result=assignment.result,
            note=assignment.note,
            member_id=assignment.member_id,
            cell_id=assignment.cell_id,
        )


@strawberry.type(
    description="A job result shared with the cell [kết quả thực hiện chức trách, nhiệm vụ]"
)
class WorkplaceAssessment:
    id: strawberry.ID
    external_id: str
    submitter: str = strawberry.field(description="The sender, as it names itself")
    submitted_by: str = strawberry.field(
        description="The sender, as authenticated: its token's subject"
    )
    period: str
    assessor_role: AssessorRole  # type: ignore[valid-type]
    assessor_name: str
    rating: Rating  # type: ignore[valid-type]
    comment: str | None
    recorded_at: datetime
    member_id: strawberry.Private[str]
    cell_id: strawberry.Private[str | None]  # the evaluating cell, for the access log

    @strawberry.field
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @classmethod
    def of(
        cls, assessment: domain.WorkplaceAssessment, cell_id: str | None
    ) -> "WorkplaceAssessment":
        return cls(
            id=strawberry.ID(assessment.id),
            external_id=assessment.external_id,
            submitter=assessment.submitter,
            submitted_by=assessment.submitted_by,
            period=str(assessment.period),
            assessor_role=assessment.assessor_role,
            assessor_name=assessment.assessor_name,
            rating=assessment.rating,
            comment=assessment.comment,
            recorded_at=assessment.recorded_at,
            member_id=assessment.member_id,
            cell_id=cell_id,
        )


@strawberry.type(description="A fellow cell member's comment on a cadre [ý kiến giám sát]")
class SupervisionFeedback:
    id: strawberry.ID
    period: str
    comment: str
    given_at: datetime
    member_id: strawberry.Private[str]
    by_member_id: strawberry.Private[str]
    cell_id: strawberry.Private[str]

    @field(description="The member the feedback is about")
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @field(description="The fellow member who gave it")
    def by(self) -> PartyMemberRef:
        return member_ref(self.by_member_id)

    @classmethod
    def of(cls, feedback: domain.SupervisionFeedback) -> "SupervisionFeedback":
        return cls(
            id=strawberry.ID(feedback.id),
            period=str(feedback.period),
            comment=feedback.comment,
            given_at=feedback.given_at,
            member_id=feedback.member_id,
            by_member_id=feedback.by_member_id,
            cell_id=feedback.cell_id,
        )


@strawberry.type(
    description="The host cell's feedback on a member it took in for a TEMPORARY stay [nhận "
    "xét của chi bộ nơi sinh hoạt tạm thời], for the home cell that ranks them"
)
class HostCellFeedback:
    id: strawberry.ID
    period: str
    comment: str
    by: str = strawberry.field(description="Who wrote it for the host cell, as written")
    given_at: datetime
    member_id: strawberry.Private[str]
    host_cell_id: strawberry.Private[str]

    @field(description="The member the feedback is about")
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @field(description="The host cell that gave it")
    def organisation(self) -> OrganisationRef:
        return organisation_ref(self.host_cell_id)

    @classmethod
    def of(cls, feedback: domain.HostCellFeedback) -> "HostCellFeedback":
        return cls(
            id=strawberry.ID(feedback.id),
            period=str(feedback.period),
            comment=feedback.comment,
            by=feedback.given_by,
            given_at=feedback.given_at,
            member_id=feedback.member_id,
            host_cell_id=feedback.host_cell_id,
        )
