"""The inputs of the evaluations subgraph's mutations, each building its use case's command."""

from datetime import date

import strawberry

from evaluations.schema.enums import AssignmentResult, Rating
from evaluations.service.commands import (
    AddHostFeedback,
    AssignTask,
    FinaliseRating,
    ProposeRating,
    SelfAssess,
)


@strawberry.input
class AssignTaskInput:
    member_id: strawberry.ID
    period: str
    task: str
    assigned_on: date | None = None
    due_on: date | None = None
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The cell giving the task; checked against the roster"
    )

    def command(self) -> AssignTask:
        return AssignTask(
            self.member_id,
            self.period,
            self.task,
            self.assigned_on,
            self.due_on,
            self.organisation_id,
        )


@strawberry.input
class RecordAssignmentResultInput:
    assignment_id: strawberry.ID
    result: AssignmentResult  # type: ignore[valid-type]
    note: str | None = None


@strawberry.input
class AddSupervisionFeedbackInput:
    member_id: strawberry.ID
    by_member_id: strawberry.ID
    period: str
    comment: str


@strawberry.input
class AddHostCellFeedbackInput:
    member_id: strawberry.ID
    period: str
    organisation_id: strawberry.ID = strawberry.field(
        description="The host cell: it hosted the member on a TEMPORARY stay during the period"
    )
    comment: str
    by: str | None = strawberry.field(
        default=None, description="Who writes for the host cell; else the caller's name"
    )

    def command(self) -> AddHostFeedback:
        return AddHostFeedback(self.member_id, self.period, self.organisation_id, self.comment)


@strawberry.input
class SelfAssessInput:
    member_id: strawberry.ID
    period: str
    rating: Rating  # type: ignore[valid-type]
    comment: str | None = None

    def command(self) -> SelfAssess:
        return SelfAssess(self.member_id, self.period, self.rating, self.comment)


@strawberry.input
class ProposeRatingInput:
    member_id: strawberry.ID
    period: str
    rating: Rating  # type: ignore[valid-type]
    score: int | None = None
    note: str | None = None
    by: str | None = strawberry.field(
        default=None,
        description="Who proposes for the cell, as written; else the caller's name. The history "
        "records the caller's identity either way.",
    )

    def command(self) -> ProposeRating:
        return ProposeRating(self.member_id, self.period, self.rating, self.score, self.note)


@strawberry.input
class OverrideInput:
    rule: str = strawberry.field(description="The id of the blocking finding's rule")
    reason: str


@strawberry.input
class FinaliseRatingInput:
    evaluation_id: strawberry.ID
    rating: Rating  # type: ignore[valid-type]
    score: int | None = None
    overrides: list[OverrideInput] = strawberry.field(default_factory=list)
    by: str | None = strawberry.field(
        default=None, description="Who decides for the ward committee; else the caller"
    )

    def command(self) -> FinaliseRating:
        overrides = {o.rule: o.reason for o in self.overrides}
        return FinaliseRating(self.evaluation_id, self.rating, self.score, overrides)


@strawberry.input
class ReopenRatingInput:
    evaluation_id: strawberry.ID
    reason: str
    by: str | None = strawberry.field(
        default=None, description="Who reopens it for the ward committee; else the caller"
    )
