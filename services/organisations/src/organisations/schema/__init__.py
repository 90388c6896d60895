"""The organisations subgraph: types, queries and mutations, thin over the service."""

import strawberry
from kit.access_log import personal_data_reads
from kit.error_codes import ErrorCodes
from strawberry.tools import merge_types

from organisations.schema.directives import DirectiveMutation, DirectiveQuery
from organisations.schema.dissolution_operations import DissolutionMutation, DissolutionQuery
from organisations.schema.imports import ImportMutation
from organisations.schema.organisation_operations import OrganisationMutation, OrganisationQuery
from organisations.schema.personal_data import PERSONAL, PersonalDataQuery
from organisations.schema.restructuring_operations import RestructuringMutation, RestructuringQuery

Query = merge_types(
    "Query",
    (OrganisationQuery, DirectiveQuery, DissolutionQuery, RestructuringQuery, PersonalDataQuery),
)
Mutation = merge_types(
    "Mutation",
    (
        OrganisationMutation,
        DirectiveMutation,
        DissolutionMutation,
        RestructuringMutation,
        ImportMutation,
    ),
)

schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    federation_version="2.5",
    extensions=[ErrorCodes, personal_data_reads(PERSONAL)],
)
