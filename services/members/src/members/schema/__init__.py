"""The members subgraph: types, queries and mutations, thin over the use cases."""

import strawberry
from kit.access_log import personal_data_reads
from kit.errors import ErrorCodes
from strawberry.tools import merge_types

from members.schema.imports import ImportMutation
from members.schema.operations import Mutation, Query
from members.schema.personal_data import PERSONAL
from members.schema.types import DissolutionCase, Organisation

schema = strawberry.federation.Schema(
    query=Query,
    mutation=merge_types("Mutation", (Mutation, ImportMutation)),
    types=[Organisation, DissolutionCase],
    federation_version="2.5",
    extensions=[ErrorCodes, personal_data_reads(PERSONAL)],
)
