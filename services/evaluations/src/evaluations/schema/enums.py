"""The subgraph's enums, from the domain's."""

import strawberry

from evaluations import domain
from evaluations.service import rating_decisions, workplace

EvaluationState = strawberry.enum(
    domain.EvaluationState, description="DRAFT → PROPOSED (by the cell) → FINALISED (by the ward)"
)
Rating = strawberry.enum(
    domain.Rating,
    description="EXCELLENT [Hoàn thành xuất sắc nhiệm vụ], GOOD [Hoàn thành tốt nhiệm vụ], "
    "COMPLETED [Hoàn thành nhiệm vụ], NOT_COMPLETED [Không hoàn thành nhiệm vụ]",
)
AssessorRole = strawberry.enum(
    domain.AssessorRole,
    description="WARD_PARTY_SECRETARY [Bí thư Đảng ủy phường], PEOPLES_COMMITTEE_CHAIR "
    "[Chủ tịch UBND phường], MASS_ORGANISATION_HEAD [người đứng đầu tổ chức chính trị - xã hội], "
    "CITY_SYSTEM",
)
AssignmentResult = strawberry.enum(domain.AssignmentResult)
RuleBasis = strawberry.enum(
    domain.Basis, description="CONFIRMED by its source, DERIVED from it, or UNCONFIRMED"
)
SubmissionOutcome = strawberry.enum(workplace.Outcome)
FinalisationOutcome = strawberry.enum(
    rating_decisions.FinalisationOutcome,
    description="FINALISED now, ALREADY_FINALISED as asked (a re-run), or REFUSED with why",
)
