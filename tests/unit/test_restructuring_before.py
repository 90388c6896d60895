"""bench/restructuring's Hà Nội before 2025: 526 units in 30 districts merging into the 126 of
the synthetic city, each 2025 unit's cells shared out among its predecessors."""

from bench.restructuring.before import mergers, organisations_before
from bench.scale.hanoi import SyntheticHanoi


def test_the_city_had_526_units_in_30_districts_merging_into_126() -> None:
    merging = mergers(SyntheticHanoi("city"))
    assert len(merging) == 126
    assert sum(len(m.sources) for m in merging) == 526
    assert len({m.district for m in merging}) == 30


def test_each_cell_stands_under_one_predecessor_and_parents_come_first() -> None:
    hanoi = SyntheticHanoi("district")
    rows = list(organisations_before(hanoi))
    seen: set[str] = set()
    for row in rows:
        assert row.parent_code is None or row.parent_code in seen, row
        seen.add(row.code)
    cells = [r for r in rows if r.kind == "CELL"]
    after = [o for o in hanoi.organisations() if o.kind == "CELL"]
    assert sorted(c.code for c in cells) == sorted(c.code for c in after)
    sources = {s for m in mergers(hanoi) for s in m.sources}
    assert {c.parent_code for c in cells} == sources
    assert not [r for r in rows if r.code in {m.unit.code for m in mergers(hanoi)}]
