"""Relay-style pages of evaluations, for a ward's or a district's long lists."""

import strawberry
from kit.connections import Connection, PageInfo

from evaluations.schema.evaluations import Evaluation


@strawberry.type
class EvaluationPageInfo(PageInfo):
    """The kit's page information under the name evaluations' clients know."""


@strawberry.type
class EvaluationConnection(Connection[Evaluation]):
    page_info: EvaluationPageInfo
    page_info_type = EvaluationPageInfo
