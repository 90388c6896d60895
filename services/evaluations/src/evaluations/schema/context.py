"""What the subgraph's modules share: enums, the context, typed decorators."""

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from kit.identity import Principal
from strawberry.types import Info

from evaluations import domain
from evaluations.domain import policy
from evaluations.schema.guard import Guard
from evaluations.service.evaluations import EvaluationService
from evaluations.service.workplace import Outcome

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
    policy.Basis, description="CONFIRMED by its source, DERIVED from it, or UNCONFIRMED"
)
SubmissionOutcome = strawberry.enum(Outcome)

Context = Info[dict[str, Any], None]
Resolver = TypeVar("Resolver", bound=Callable[..., Any])


def field(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.field(description=description)
    return decorate


def mutation(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.mutation(description=description)
    return decorate


def service_of(info: Context) -> EvaluationService:
    service: EvaluationService = info.context["service"]
    return service


def actor_of(info: Context) -> str:
    """Who is asking, as the gateway forwarded it: the principal's display name."""
    actor: str = info.context["actor"]
    return actor


def principal_of(info: Context) -> Principal:
    principal: Principal = info.context["principal"]
    return principal


def guard_of(info: Context) -> Guard:
    """The caller's rights, one guard (and one set of batched lookups) per request."""
    guard = info.context.get("guard")
    if not isinstance(guard, Guard):
        guard = info.context["guard"] = Guard(principal_of(info), service_of(info))
    return guard
