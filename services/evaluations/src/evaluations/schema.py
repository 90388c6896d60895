"""The evaluations subgraph: types, queries and mutations, thin over the service."""

from typing import Any

import strawberry
from kit.errors import ErrorCodes
from strawberry.types import Info

from evaluations import domain
from evaluations.service import EvaluationService

EvaluationState = strawberry.enum(domain.EvaluationState)

Context = Info[dict[str, Any], None]


def service_of(info: Context) -> EvaluationService:
    service: EvaluationService = info.context["service"]
    return service


@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Organisation":
        return cls(id=id)


@strawberry.federation.type(
    keys=["id"], description="A member's quality ranking [xếp loại chất lượng đảng viên]"
)
class Evaluation:
    id: strawberry.ID
    period: str = strawberry.field(description="A month (2019-10) or a year (2019)")
    state: EvaluationState  # type: ignore[valid-type]
    cell_id: strawberry.Private[str]
    member_id: strawberry.Private[str]

    @strawberry.field(description="The cell that evaluates the member for this period")
    def organisation(self) -> Organisation:
        return Organisation(id=strawberry.ID(self.cell_id))

    @classmethod
    def of(cls, evaluation: domain.Evaluation) -> "Evaluation":
        return cls(
            id=strawberry.ID(evaluation.id),
            period=str(evaluation.period),
            state=evaluation.state,
            cell_id=evaluation.cell_id,
            member_id=evaluation.member_id,
        )


@strawberry.federation.type(keys=["id"], description="A party member [đảng viên]")
class PartyMember:
    id: strawberry.ID

    @strawberry.field(description="The member's evaluations for a month (2019-10) or a year")
    async def evaluations(self, info: Context, period: str) -> list[Evaluation]:
        found = await service_of(info).evaluations_of(self.id, period)
        return [Evaluation.of(evaluation) for evaluation in found]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "PartyMember":
        return cls(id=id)


@strawberry.type
class Query:
    @strawberry.field(description="The evaluations of one member for a period")
    async def member_evaluations(
        self, info: Context, member_id: strawberry.ID, period: str
    ) -> list[Evaluation]:
        found = await service_of(info).evaluations_of(member_id, period)
        return [Evaluation.of(evaluation) for evaluation in found]


schema = strawberry.federation.Schema(
    query=Query,
    types=[Organisation, PartyMember],
    federation_version="2.5",
    extensions=[ErrorCodes],
)
