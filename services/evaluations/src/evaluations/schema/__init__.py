"""The evaluations subgraph: types, queries and mutations, thin over the service."""

import strawberry
from kit.errors import ErrorCodes

from evaluations.schema.common import Context, EvaluationState, field, service_of
from evaluations.schema.connections import EvaluationConnection
from evaluations.schema.mutations import Mutation
from evaluations.schema.policy import RuleSet
from evaluations.schema.types import Evaluation, Organisation, PartyMember


@strawberry.type
class Query:
    @strawberry.field
    async def evaluation(self, info: Context, id: strawberry.ID) -> Evaluation:
        return Evaluation.of(await service_of(info).evaluation(id))

    @field(
        description="The evaluations made by the cells of an organisation (cell, ward, "
        "district) for a period, drafts included"
    )
    async def evaluations(
        self,
        info: Context,
        organisation_id: strawberry.ID,
        period: str,
        state: EvaluationState | None = None,  # type: ignore[valid-type]
    ) -> list[Evaluation]:
        found = await service_of(info).evaluations_in(organisation_id, period, state)
        return [Evaluation.of(evaluation) for evaluation in found]

    @field(description="The same list a page at a time (Relay): `first` after the cursor `after`")
    async def evaluation_connection(
        self,
        info: Context,
        organisation_id: strawberry.ID,
        period: str,
        state: EvaluationState | None = None,  # type: ignore[valid-type]
        first: int = 50,
        after: str | None = None,
    ) -> EvaluationConnection:
        found = await service_of(info).evaluations_in(organisation_id, period, state)
        return EvaluationConnection.page(found, first, after)

    @field(description="The ranking rules in force for a period")
    def rule_set(self, info: Context, period: str) -> RuleSet:
        return RuleSet.of(service_of(info).rule_set_for(period))


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Organisation, PartyMember, Evaluation],
    federation_version="2.5",
    extensions=[ErrorCodes],
)
