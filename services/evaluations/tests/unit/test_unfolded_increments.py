"""A summary reads the increments not folded yet beside the count documents: each cell's own,
once, and none a count document has taken already."""

from datetime import date

from evaluations.domain import Period
from evaluations.repository.count_increments import kept_rows, with_unfolded
from evaluations.repository.summary_counting import summed


def increments(token: str, *rows: tuple[str, str, int, int]) -> dict[str, object]:
    return {
        "_id": token,
        "folded": False,
        "cells": sorted({r[0] for r in rows}),
        "rows": kept_rows(rows),
    }


def test_unfolded_increments_are_added_to_the_cells_read_and_not_to_others() -> None:
    counts = [{"_id": "cell-a", "days": "2019-01-01=3", "applied": {}}]
    found = [
        increments("t1", ("cell-a", "", 2, 1), ("cell-b", "2019-10-08", 5, 0)),
        increments("t2", ("cell-a", "2019-10-08", -1, -1), ("cell-c", "", 7, 7)),
    ]

    read = with_unfolded(counts, found, {"cell-a", "cell-b"})

    on_roster = summed(read, [], [], {"cell-a", "cell-b"}, Period.parse("2019-10"))
    assert on_roster.on_roster == 3 + 2 - 1 + 5
    assert on_roster.required_on_roster == 1 - 1
    assert sorted(d["_id"] for d in read) == ["cell-a", "cell-b"]


def test_increments_a_count_document_has_taken_are_not_added_again() -> None:
    counts = [{"_id": "cell-a", "days": "2019-01-01=3", "applied": {"t1": 1}}]
    found = [increments("t1", ("cell-a", "", 2, 1)), increments("t2", ("cell-a", "", 4, 0))]

    read = with_unfolded(counts, found, {"cell-a"})

    assert summed(read, [], [], {"cell-a"}, Period.parse("2019-10")).on_roster == 3 + 4


def test_increments_after_the_period_are_not_counted_in_it() -> None:
    found = [increments("t1", ("cell-a", date(2019, 11, 4).isoformat(), 6, 0))]

    read = with_unfolded([], found, {"cell-a"})

    assert summed(read, [], [], {"cell-a"}, Period.parse("2019-10")).on_roster == 0
    assert summed(read, [], [], {"cell-a"}, Period.parse("2019-11")).on_roster == 6
