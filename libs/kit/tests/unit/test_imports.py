"""The import report: counted, in row order, and rows not written turned into CONFLICTs."""

import pytest
from kit.imports import (
    ImportOutcome,
    ImportReport,
    RowOutcome,
    RowOutcomes,
    TooManyRows,
    forbidden,
    require_at_most,
)

CREATED, UNCHANGED, REJECTED = (
    ImportOutcome.CREATED,
    ImportOutcome.UNCHANGED,
    ImportOutcome.REJECTED,
)


def test_the_report_counts_each_outcome_and_lists_rows_in_their_order() -> None:
    outcomes = RowOutcomes(
        [
            RowOutcome(3, "c", CREATED, "id-3"),
            RowOutcome(1, "a", UNCHANGED, "id-1"),
            forbidden(2, "b", "organisationCode"),
        ]
    )
    report = ImportReport.of(outcomes)
    assert (report.created, report.unchanged, report.rejected, report.updated) == (1, 1, 1, 0)
    assert [(r.row, r.code, r.field) for r in report.rows] == [
        (1, None, None),
        (2, "FORBIDDEN", "organisationCode"),
        (3, None, None),
    ]


def test_rows_whose_write_did_not_happen_become_conflicts_and_the_unchanged_stay() -> None:
    outcomes = RowOutcomes([RowOutcome(1, "a", CREATED, "x"), RowOutcome(2, "b", UNCHANGED, "y")])
    refused = outcomes.refusing({"x", "y"}, "was taken meanwhile", "cardNumber")
    assert [(r.outcome, r.code, r.field) for r in refused.rows] == [
        (REJECTED, "CONFLICT", "cardNumber"),
        (UNCHANGED, None, None),
    ]
    assert refused.rows[0].message == "a was taken meanwhile."


def test_more_than_5000_rows_are_refused() -> None:
    require_at_most(5000)
    with pytest.raises(TooManyRows) as refused:
        require_at_most(5001)
    assert (refused.value.code, refused.value.details["field"]) == ("BAD_USER_INPUT", "rows")
