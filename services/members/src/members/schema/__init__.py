"""The members subgraph: types, queries and mutations, thin over the use cases."""

import strawberry
from kit.errors import ErrorCodes

from members.schema.operations import Mutation, Query
from members.schema.types import DissolutionCase, Organisation

schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Organisation, DissolutionCase],
    federation_version="2.5",
    extensions=[ErrorCodes],
)
