"""The job results a workplace or city system pushes in bulk: each item, checked on its own,
its result, and the submission's counts."""

import strawberry

from evaluations import domain
from evaluations.schema.enums import SubmissionOutcome
from evaluations.schema.records import (
    WorkplaceAssessment,
)
from evaluations.service.workplace import SubmissionResult

RATINGS = ", ".join(rating.value for rating in domain.Rating)
ASSESSOR_ROLES = ", ".join(role.value for role in domain.AssessorRole)
CLOSED_SETS = {
    "rating": [rating.value for rating in domain.Rating],
    "assessorRole": [role.value for role in domain.AssessorRole],
}


@strawberry.input(
    description="One job result, checked on its own: a value outside its set, a key nobody "
    "holds or a malformed citizen ID refuses this item (REJECTED, with its code and field), "
    "never the bulk — which is why `rating` and `assessorRole` are Strings holding a value of "
    "the Rating and AssessorRole enums rather than the enums themselves (GraphQL refuses a "
    "whole operation over one unknown enum value). The member is named by exactly one of "
    "`memberId`, `cardNumber` or `citizenId`."
)
class WorkplaceAssessmentItem:
    external_id: str = strawberry.field(description="The submitter's id: a resend stores nothing")
    period: str
    assessor_role: str = strawberry.field(
        description=f"A value of the AssessorRole enum: {ASSESSOR_ROLES}"
    )
    assessor_name: str
    rating: str = strawberry.field(description=f"A value of the Rating enum: {RATINGS}")
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="partyorg's id of the member"
    )
    card_number: str | None = strawberry.field(
        default=None, description="Or the member's party card number [số thẻ đảng viên]"
    )
    citizen_id: str | None = strawberry.field(
        default=None,
        description="Or the member's citizen ID [số định danh cá nhân, CCCD]: 12 digits",
    )
    comment: str | None = None


@strawberry.input
class SubmitWorkplaceAssessmentsInput:
    items: list[WorkplaceAssessmentItem]
    submitter: str | None = strawberry.field(
        default=None,
        description="The name the person or city system sending the bulk goes by; else the "
        "caller's. A resend is recognised by the caller's identity, not by this name.",
    )


@strawberry.type
class ItemError:
    code: str
    message: str
    field: str | None
    allowed_values: list[str] | None = strawberry.field(
        default=None,
        description="The values the field takes, when the refusal is of a value outside its "
        "set (rating: the Rating enum's, assessorRole: the AssessorRole enum's)",
    )


@strawberry.type
class SubmissionItemResult:
    index: int
    external_id: str
    outcome: SubmissionOutcome  # type: ignore[valid-type]
    assessment: WorkplaceAssessment | None
    error: ItemError | None

    @classmethod
    def of(cls, result: SubmissionResult) -> "SubmissionItemResult":
        error = result.error
        details = getattr(error, "details", {})
        return cls(
            index=result.index,
            external_id=result.external_id,
            outcome=result.outcome,
            assessment=WorkplaceAssessment.of(result.assessment, result.cell_id)
            if result.assessment
            else None,
            error=item_error(error.code, str(error), str(details.get("field") or "") or None)
            if error
            else None,
        )


def item_error(code: str, message: str, field: str | None) -> ItemError:
    closed = CLOSED_SETS.get(field or "") if code == "BAD_USER_INPUT" else None
    return ItemError(code=code, message=message, field=field, allowed_values=closed)


@strawberry.type
class WorkplaceAssessmentSubmission:
    recorded: int
    already_recorded: int
    rejected: int
    items: list[SubmissionItemResult]
