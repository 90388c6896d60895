"""Relay-style pages of evaluations, for a ward's or a district's long lists."""

import base64

import strawberry

from evaluations.domain import DomainError
from evaluations.domain import Evaluation as EvaluationRecord
from evaluations.schema.types import Evaluation

MAX_PAGE = 500


@strawberry.type
class EvaluationPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class EvaluationEdge:
    cursor: str
    node: Evaluation


@strawberry.type
class EvaluationConnection:
    edges: list[EvaluationEdge]
    page_info: EvaluationPageInfo
    total_count: int

    @classmethod
    def page(
        cls, evaluations: list[EvaluationRecord], first: int, after: str | None
    ) -> "EvaluationConnection":
        if not 0 <= first <= MAX_PAGE:
            raise DomainError(f"first is 0 to {MAX_PAGE}.", field="first")
        start = 0
        if after is not None:
            ids = [evaluation.id for evaluation in evaluations]
            try:
                start = ids.index(base64.urlsafe_b64decode(after.encode()).decode()) + 1
            except ValueError:
                raise DomainError("The cursor is not one of this list's.", field="after") from None
        shown = evaluations[start : start + first]
        edges = [EvaluationEdge(cursor=cursor_of(e), node=Evaluation.of(e)) for e in shown]
        return cls(
            edges=edges,
            page_info=EvaluationPageInfo(
                has_next_page=start + first < len(evaluations),
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(evaluations),
        )


def cursor_of(evaluation: EvaluationRecord) -> str:
    return base64.urlsafe_b64encode(evaluation.id.encode()).decode()
