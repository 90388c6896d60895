"""Where a restructuring puts organisations, worked out from its completion and the tree as
known before it: each with the ancestors it has once the moves and new units are in."""

from members import consumed_events
from test_history import COMPLETED

FROZEN = frozenset


def completion(moved: list[tuple[str, str]], new: dict[str, str | None]) -> dict[str, object]:
    return {
        **COMPLETED,
        "moved": [{"organisationId": o, "fromParentId": None, "toParentId": p} for o, p in moved],
        "ceased": [],
        "newOrganisations": [
            {"organisationId": o, "code": o.upper(), "name": o, "parentId": p}
            for o, p in new.items()
        ],
    }


# Hà Nội before 2025: the city, district Ba Đình, its wards Giảng Võ and Kim Mã, their cells
BEFORE = {
    "hn": FROZEN({"hn"}),
    "bd": FROZEN({"hn", "bd"}),
    "gv": FROZEN({"hn", "bd", "gv"}),
    "km": FROZEN({"hn", "bd", "km"}),
    "gv-1": FROZEN({"hn", "bd", "gv", "gv-1"}),
    "km-1": FROZEN({"hn", "bd", "km", "km-1"}),
    "km-agency": FROZEN({"hn", "bd", "km", "km-agency"}),
}


def test_cells_moved_under_a_new_ward_stand_under_it_and_the_city() -> None:
    case = consumed_events.completed_restructuring(
        completion([("gv-1", "giang-vo"), ("km-1", "giang-vo")], {"giang-vo": "hn"})
    )
    assert case.organisations_placed() == ["giang-vo", "gv-1", "hn", "km-1"]
    after = case.ancestries_after(BEFORE, ["gv-1", "km-1", "km-agency"])
    assert after == {
        "gv-1": {"hn", "giang-vo", "gv-1"},
        "km-1": {"hn", "giang-vo", "km-1"},
        "km-agency": BEFORE["km-agency"],  # not moved: where it was
    }


def test_a_committee_moved_takes_its_cells_along_and_keeps_what_is_below_it() -> None:
    case = consumed_events.completed_restructuring(completion([("km", "hn")], {}))
    after = case.ancestries_after(BEFORE, ["km-1", "km-agency", "gv-1"])
    assert after == {
        "km-1": {"hn", "km", "km-1"},
        "km-agency": {"hn", "km", "km-agency"},
        "gv-1": BEFORE["gv-1"],
    }


def test_moves_one_under_another_and_new_units_under_new_units_compose() -> None:
    # Kim Mã goes under a new ward, itself under a new district under the city; one of Kim
    # Mã's cells goes on under Giảng Võ, moved under the new ward too
    case = consumed_events.completed_restructuring(
        completion(
            [("km", "new-ward"), ("km-1", "gv"), ("gv", "new-ward")],
            {"new-ward": "new-district", "new-district": "hn"},
        )
    )
    after = case.ancestries_after(BEFORE, ["km-1", "km-agency", "gv-1", "new-ward"])
    assert after == {
        "new-ward": {"hn", "new-district", "new-ward"},
        "km-agency": {"hn", "new-district", "new-ward", "km", "km-agency"},
        "km-1": {"hn", "new-district", "new-ward", "gv", "km-1"},
        "gv-1": {"hn", "new-district", "new-ward", "gv", "gv-1"},
    }


def test_an_organisation_not_known_stands_alone_and_a_cycle_does_not_loop() -> None:
    case = consumed_events.completed_restructuring(completion([("a", "b"), ("b", "a")], {}))
    after = case.ancestries_after({}, ["a", "unknown"])
    assert after["unknown"] == {"unknown"}
    assert after["a"] == {"a", "b"}
