"""The evaluations subgraph: types, queries and mutations, thin over the service."""

from collections.abc import Collection

import strawberry
from kit.access_log import personal_data_reads
from kit.audit import access_log_field
from kit.error_codes import ErrorCodes
from kit.errors import Forbidden

from evaluations.authorisation import Operation
from evaluations.schema.connections import EvaluationConnection
from evaluations.schema.context import Context, field
from evaluations.schema.entities import Organisation, PartyMember
from evaluations.schema.enums import EvaluationState
from evaluations.schema.evaluations import Evaluation
from evaluations.schema.finalisations import FinalisationMutation
from evaluations.schema.mutations import Mutation as OneByOne
from evaluations.schema.personal_data import PERSONAL_FIELDS
from evaluations.schema.policy import RuleSet

READ = Operation.READ_EVALUATION


async def readable_member(info: Context, organisation_id: str) -> str | None:
    """None for readers covering the organisation (its whole list); a member without such a
    grant, their own id (their own evaluations in it); anyone else is refused."""
    access = info.context.access
    if await access.allows(READ, organisation_id):
        return None
    own = access.own_member(READ)
    if own is None:
        raise Forbidden
    return own


async def audited_organisations(info: Context) -> Collection[str] | None:
    """The organisations of the subtrees the caller audits (None: the whole tree)."""
    access = info.context.access
    access.require_some_right(Operation.READ_ACCESS_LOG)
    roots = access.subtrees(Operation.READ_ACCESS_LOG)
    if roots is None:
        return None
    return roots | set(await info.context.use_cases.roster.within(sorted(roots)))


@strawberry.type
class Query:
    @field(description="An evaluation by id (member:period); FORBIDDEN outside the caller's scope")
    async def evaluation(self, info: Context, id: strawberry.ID) -> Evaluation | None:
        return Evaluation.of(await info.context.access.evaluation(READ, id))

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
        own = await readable_member(info, organisation_id)
        found = await info.context.use_cases.evaluations.evaluations_in(
            organisation_id, period, state, own
        )
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
        own = await readable_member(info, organisation_id)
        page = await info.context.use_cases.evaluations.evaluation_page(
            organisation_id, period, state, own, first, after
        )
        return EvaluationConnection.of(page, Evaluation.of)

    @field(description="The ranking rules in force for a period")
    def rule_set(self, info: Context, period: str) -> RuleSet:
        return RuleSet.of(info.context.use_cases.findings.rule_set_for(period))

    evaluation_data_access_log = access_log_field(
        "Who read which evaluation data of whom, newest first (AUDITOR; a scoped auditor sees "
        "the entries of the evaluating cells within their subtrees)",
        within=audited_organisations,
    )


@strawberry.type
class Mutation(OneByOne, FinalisationMutation):
    pass


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Organisation, PartyMember, Evaluation],
    federation_version="2.5",
    extensions=[ErrorCodes, personal_data_reads(PERSONAL_FIELDS)],
)
