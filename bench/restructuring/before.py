"""Hà Nội as it stood before 1 July 2025, made from the synthetic city of bench/scale: 30
district committees and 526 communes and wards, whose cells are those of the 126 units they
merged into (the 2025 unit's cells shared out among its predecessors). A predecessor's code is
its successor's and a number: HN-P-BADINH-1, HN-P-BADINH-2… under HN-Q01…HN-Q30.

The real predecessors of each unit are not in the spec files: how many a unit has (four or
five, 526 in all) and which district they sat in are the same from the same seed, not Hà
Nội's."""

from collections.abc import Iterator
from dataclasses import dataclass

from bench.scale.hanoi import CITY_CODE, CITY_NAME, OrganisationRow, SyntheticHanoi, Unit

UNITS_BEFORE, UNITS_AFTER, DISTRICTS = 526, 126, 30


@dataclass(frozen=True)
class Merger:
    """One 2025 unit and the units merged into it."""

    unit: Unit
    sources: tuple[str, ...]
    district: str
    cells: int

    @property
    def name(self) -> str:
        return f"Đảng ủy {self.unit.title}"


def predecessors(unit: Unit) -> int:
    """4 or 5: the first units of the city have one more, 526 over the 126."""
    extra = UNITS_BEFORE - 4 * UNITS_AFTER
    return 5 if unit.number <= extra else 4


def mergers(hanoi: SyntheticHanoi) -> list[Merger]:
    return [
        Merger(
            unit,
            tuple(f"{unit.code}-{n}" for n in range(1, predecessors(unit) + 1)),
            f"HN-Q{(unit.number - 1) % DISTRICTS + 1:02d}",
            len(hanoi.plan(unit).cells),
        )
        for unit in hanoi.units
    ]


def organisations_before(hanoi: SyntheticHanoi) -> Iterator[OrganisationRow]:
    """Parents first: the city, the districts of these units, each predecessor and its cells."""
    yield OrganisationRow(CITY_CODE, CITY_NAME, "CITY_COMMITTEE")
    merging = mergers(hanoi)
    for district in sorted({m.district for m in merging}):
        name = f"Quận ủy {district[3:]}"
        yield OrganisationRow(district, name, "DISTRICT_COMMITTEE", None, CITY_CODE)
    for merger in merging:
        cells = [cell.organisation for cell in hanoi.plan(merger.unit).cells]
        for n, source in enumerate(merger.sources):
            name = f"Đảng ủy {merger.unit.title} ({n + 1}, trước 2025)"
            yield OrganisationRow(source, name, "WARD_COMMITTEE", None, merger.district)
            for cell in cells[n :: len(merger.sources)]:
                yield OrganisationRow(
                    cell.code, cell.name, cell.kind, cell.cell_type, source, cell.coverage
                )
