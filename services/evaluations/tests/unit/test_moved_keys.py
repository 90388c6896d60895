"""The summary counts a batch of moves changes, found from the moves and the entries they
start from (no store read per member)."""

from datetime import date

from evaluations.domain import Placement, RosterEntry
from evaluations.repository.summary_counting import moved_keys, period_key

AGENCY, TDP, OLD = "agency", "tdp-1", "old-cell"


def entry() -> RosterEntry:
    """In OLD from the start, in AGENCY from 2019-03-01."""
    return RosterEntry(
        "an",
        "Nguyễn Văn An",
        "CADRE",
        placements=[Placement(OLD, None), Placement(AGENCY, date(2019, 3, 1))],
    )


def move(on: date) -> tuple[str, Placement, str]:
    return ("an", Placement(TDP, on, "t-1"), "e-1")


def test_a_move_changes_the_roster_of_the_cell_left_that_day_and_of_the_cell_joined() -> None:
    keys = moved_keys([move(date(2019, 10, 8))], {"an": entry()}, {}, {})
    assert keys.cells == {AGENCY, TDP}


def test_a_move_back_in_time_changes_the_cell_the_member_was_in_on_that_day() -> None:
    keys = moved_keys([move(date(2019, 2, 1))], {"an": entry()}, {}, {})
    assert keys.cells == {OLD, TDP}


def test_the_periods_since_the_day_received_change_in_every_cell_of_the_member() -> None:
    evaluated = {OLD: {"2019-02"}, AGENCY: {"2019-09", "2019-10", "2019"}, TDP: {"2019-11"}}
    assessed = {AGENCY: {"2019-10"}}

    keys = moved_keys([move(date(2019, 10, 8))], {"an": entry()}, evaluated, assessed)

    since = {"2019-10", "2019", "2019-11"}  # not 2019-09 nor 2019-02: they ended before
    assert keys.evaluations == {period_key(c, p) for c in (OLD, AGENCY, TDP) for p in since}
    assert keys.assessments == {period_key(c, "2019-10") for c in (OLD, AGENCY, TDP)}


def test_a_member_not_on_the_roster_changes_only_the_roster_of_the_cell_joined() -> None:
    keys = moved_keys([move(date(2019, 10, 8))], {}, {AGENCY: {"2019-10"}}, {})
    assert (keys.cells, keys.evaluations, keys.assessments) == ({TDP}, set(), set())
