# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""What a bulk import answers, row by row, in every subgraph that imports: CREATED, UPDATED,
UNCHANGED or REJECTED with the error code and the input field. The GraphQL types are the
same in each subgraph (@shareable), so they live here once."""

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

import strawberry

from kit.errors import Forbidden

MAX_ROWS = 5_000


class Refusal(Protocol):
    """A service's domain error: its `code`, and `details` that may name a `field`."""

    code: str
    details: dict[str, Any]


class TooManyRows(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, given: int) -> None:
        super().__init__(
            f"At most {MAX_ROWS} rows are imported in one call ({given} given): send them in "
            "chunks."
        )
        self.details = {"field": "rows", "given": given}


def require_at_most(count: int) -> None:
    if count > MAX_ROWS:
        raise TooManyRows(count)


class ImportOutcome(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    REJECTED = "REJECTED"


@dataclass(frozen=True)
class RowOutcome:
    row: int
    key: str
    outcome: ImportOutcome
    id: str | None = None
    code: str | None = None
    field: str | None = None
    message: str | None = None


def refused(row: int, key: str, error: Refusal, field: str | None = None) -> RowOutcome:
    """A row the domain refused, with the field the error names (or `field`)."""
    named = error.details.get("field")
    return RowOutcome(
        row,
        key,
        ImportOutcome.REJECTED,
        code=error.code,
        field=named if isinstance(named, str) else field,
        message=str(error),
    )


def forbidden(row: int, key: str, field: str) -> RowOutcome:
    """A row outside the caller's reach, refused as any other FORBIDDEN (saying nothing of
    what exists there)."""
    refusal = Forbidden()
    return RowOutcome(
        row, key, ImportOutcome.REJECTED, code=refusal.code, field=field, message=str(refusal)
    )


@dataclass
class RowOutcomes:
    rows: list[RowOutcome] = field(default_factory=list)

    def count(self, outcome: ImportOutcome) -> int:
        return Counter(row.outcome for row in self.rows)[outcome]

    def refusing(self, ids: set[str], why: str, field: str) -> "RowOutcomes":
        """The outcomes with the rows whose write did not happen (`ids`) refused as CONFLICT:
        someone else wrote the same record meanwhile."""
        if not ids:
            return self
        return RowOutcomes(
            [
                RowOutcome(
                    outcome.row,
                    outcome.key,
                    ImportOutcome.REJECTED,
                    code="CONFLICT",
                    field=field,
                    message=f"{outcome.key} {why}.",
                )
                if outcome.id in ids and outcome.outcome is not ImportOutcome.UNCHANGED
                else outcome
                for outcome in self.rows
            ]
        )


ImportOutcomeType = strawberry.enum(
    ImportOutcome,
    name="ImportOutcome",
    description="CREATED [tạo mới] | UPDATED [cập nhật] | UNCHANGED [không đổi] | "
    "REJECTED [bị từ chối: code and field say why]",
)


@strawberry.federation.type(shareable=True, description="What became of one imported row")
class ImportRowOutcome:
    row: int = strawberry.field(description="The row number the caller gave")
    key: str = strawberry.field(description="What the row is known by: card number, code…")
    outcome: ImportOutcomeType  # type: ignore[valid-type]
    id: strawberry.ID | None = strawberry.field(description="The record created or matched")
    code: str | None = strawberry.field(
        description="Why rejected: BAD_USER_INPUT, NOT_FOUND, CONFLICT, FORBIDDEN…"
    )
    field: str | None = strawberry.field(description="The input field the rejection is about")
    message: str | None

    @classmethod
    def of(cls, outcome: RowOutcome) -> "ImportRowOutcome":
        return cls(
            row=outcome.row,
            key=outcome.key,
            outcome=outcome.outcome,
            id=strawberry.ID(outcome.id) if outcome.id else None,
            code=outcome.code,
            field=outcome.field,
            message=outcome.message,
        )


@strawberry.federation.type(shareable=True, description="A bulk import's answer, row by row")
class ImportReport:
    created: int
    updated: int
    unchanged: int
    rejected: int
    rows: list[ImportRowOutcome]

    @classmethod
    def of(cls, outcomes: RowOutcomes) -> "ImportReport":
        return cls(
            created=outcomes.count(ImportOutcome.CREATED),
            updated=outcomes.count(ImportOutcome.UPDATED),
            unchanged=outcomes.count(ImportOutcome.UNCHANGED),
            rejected=outcomes.count(ImportOutcome.REJECTED),
            rows=[ImportRowOutcome.of(row) for row in sorted(outcomes.rows, key=_by_row)],
        )


def _by_row(outcome: RowOutcome) -> int:
    return outcome.row
