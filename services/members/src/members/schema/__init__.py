"""The members subgraph: types, queries and mutations, thin over the use cases."""

import strawberry
from kit.access_log import personal_data_reads
from kit.error_codes import ErrorCodes

from members.schema.bulk_transfers import BulkTransferMutation
from members.schema.entities import DissolutionCase, Organisation
from members.schema.imports import ImportMutation
from members.schema.keys import KeyQuery
from members.schema.mutations import Mutation as OneByOne
from members.schema.personal_data import PERSONAL
from members.schema.queries import Query as OneByOneQuery


@strawberry.type
class Query(OneByOneQuery, KeyQuery):
    pass


@strawberry.type
class Mutation(OneByOne, BulkTransferMutation, ImportMutation):
    pass


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Organisation, DissolutionCase],
    federation_version="2.5",
    extensions=[ErrorCodes, personal_data_reads(PERSONAL)],
)
