"""A synthetic Hà Nội, the same from the same seed: the city committee, its 126 wards and
communes of 1 July 2025 (51 phường, 75 xã), their agency and residential cells, about 500,000
party members and some admission candidates, as they stand on that day.

    uv run python -m bench.scale.hanoi --size ward|district|city [--seed 2025] --out DIR [--xlsx]

writes to_chuc.csv (organisations, parents first), dang_vien.csv (members) and
doi_tuong_ket_nap.csv (candidates) — with --xlsx also a workbook of each — in the columns
of `partyorg import`'s templates (`HEADERS`): Vietnamese headers, dates dd/mm/yyyy, values
as ward staff write them (Nam, Chính thức, Dân cư…).

Sizes: `ward` is Ba Đình ward (~4,300 members), `district` four central wards (~17,000, a
former district's worth), `city` all 126 (500,000). Every unit's member count and content
come from the seed and the unit alone, so a ward looks the same in all three sizes. Rows are
generated lazily, one unit at a time: the city never sits in memory.

Codes: HN (city), HN-P-BADINH / HN-X-SOCSON (ward / commune committees), <unit>-CQ<NN>
(agency cells), <unit>-DC<NN> (residential cells, covering "Tổ dân phố N" in a ward or
"Thôn N" in a commune). Card numbers: 01.<unit number, 3 digits><sequence, 5 digits>.
"""

import argparse
import csv
import importlib
import random
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

from bench.scale.names import COMMUNES, ENTERPRISES, FAMILY, GIVEN, MIDDLE, STREETS, WARDS

AS_OF = date(2025, 7, 1)
CITY_CODE, CITY_NAME = "HN", "Đảng bộ Thành phố Hà Nội"
CITY_MEMBERS = 500_000
DEFAULT_SEED = 2025
SIZES: dict[str, tuple[str, ...]] = {
    "ward": ("Ba Đình",),
    "district": ("Ba Đình", "Ngọc Hà", "Giảng Võ", "Cửa Nam"),
    "city": WARDS + COMMUNES,
}
WARD_WEIGHT, COMMUNE_WEIGHT = 1.08, 0.945  # wards are denser than communes
MALE_SHARE = 0.62
PROBATION_DAYS = 365


@dataclass(frozen=True)
class OrganisationRow:
    code: str
    name: str
    kind: str
    cell_type: str | None = None
    parent_code: str | None = None
    coverage: tuple[str, ...] = ()


@dataclass(frozen=True)
class MemberRow:
    card_number: str
    full_name: str
    date_of_birth: date
    gender: str
    standing: str
    admitted_on: date
    official_on: date | None
    organisation_code: str
    address: str
    residential_group: str
    workplace_name: str | None
    workplace_role: str | None


@dataclass(frozen=True)
class CandidateRow:
    full_name: str
    date_of_birth: date
    gender: str
    organisation_code: str
    on: date
    address: str
    residential_group: str
    workplace_name: str | None
    workplace_role: str | None


@dataclass(frozen=True)
class Unit:
    """A ward [phường] or commune [xã] and its party committee [đảng ủy]."""

    number: int
    name: str
    is_ward: bool
    members: int

    @property
    def code(self) -> str:
        return f"{CITY_CODE}-{'P' if self.is_ward else 'X'}-{ascii_code(self.name)}"

    @property
    def title(self) -> str:
        return f"{'phường' if self.is_ward else 'xã'} {self.name}"

    @property
    def group_word(self) -> str:
        return "Tổ dân phố" if self.is_ward else "Thôn"


@dataclass(frozen=True)
class Cell:
    organisation: OrganisationRow
    members: int
    workplace: str | None = None  # agency cells: where their members work
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitPlan:
    unit: Unit
    cells: tuple[Cell, ...]
    groups: tuple[str, ...]
    streets: tuple[str, ...]


def ascii_code(name: str) -> str:
    flat = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in flat if c.isascii() and c.isalnum()).upper()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` shared in proportion to `weights`, whole numbers summing to `total`."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


AGENCY_BODIES = (
    ("Chi bộ cơ quan Đảng - Đoàn thể {t}", "Đảng ủy {t}", ("CADRE", "CADRE", "NON_SPECIALISED")),
    ("Chi bộ Ủy ban nhân dân {t}", "UBND {t}", ("CADRE", "CIVIL_SERVANT", "NON_SPECIALISED")),
    ("Chi bộ Công an {t}", "Công an {t}", ("OTHER",)),
    ("Chi bộ Quân sự {t}", "Ban Chỉ huy quân sự {t}", ("OTHER",)),
    ("Chi bộ Trạm Y tế {t}", "Trạm Y tế {t}", ("OTHER",)),
    ("Chi bộ Trường Mầm non {n}", "Trường Mầm non {n}", ("OTHER",)),
    ("Chi bộ Trường Tiểu học {n}", "Trường Tiểu học {n}", ("OTHER",)),
    ("Chi bộ Trường Trung học cơ sở {n}", "Trường Trung học cơ sở {n}", ("OTHER",)),
)  # fmt: skip


class SyntheticHanoi:
    """The organisations, members and candidates of one size, from one seed."""

    def __init__(self, size: str = "ward", seed: int = DEFAULT_SEED) -> None:
        if size not in SIZES:
            raise ValueError(f"size is one of {', '.join(SIZES)}, not {size!r}")
        self.size, self.seed = size, seed
        self.units = [u for u in self.city_units if u.name in SIZES[size]]

    @cached_property
    def city_units(self) -> list[Unit]:
        """All 126 units with their member counts (summing to CITY_MEMBERS)."""
        names = [(name, True) for name in WARDS] + [(name, False) for name in COMMUNES]
        weights = [
            (WARD_WEIGHT if is_ward else COMMUNE_WEIGHT)
            * random.Random(f"{self.seed}:{name}:size").uniform(0.92, 1.08)
            for name, is_ward in names
        ]
        counts = split(CITY_MEMBERS, weights)
        return [
            Unit(number, name, is_ward, count)
            for number, ((name, is_ward), count) in enumerate(zip(names, counts, strict=True), 1)
        ]

    @property
    def member_count(self) -> int:
        return sum(unit.members for unit in self.units)

    def plan(self, unit: Unit) -> UnitPlan:
        rng = random.Random(f"{self.seed}:{unit.code}:cells")
        agency_total = round(unit.members * rng.uniform(0.18, 0.26))
        residential_total = unit.members - agency_total
        residential_cells = max(1, round(residential_total / rng.uniform(50, 70)))
        agency_cells = max(len(AGENCY_BODIES), round(agency_total / rng.uniform(25, 40)))
        cells: list[Cell] = []
        agency_sizes = split(agency_total, [rng.uniform(0.5, 1.5) for _ in range(agency_cells)])
        for n, count in enumerate(agency_sizes, 1):
            name, workplace, roles = self._agency_body(unit, n)
            organisation = OrganisationRow(
                f"{unit.code}-CQ{n:02d}", name, "CELL", "AGENCY", unit.code
            )
            cells.append(Cell(organisation, count, workplace, roles))
        groups: list[str] = []
        sizes = split(residential_total, [rng.uniform(0.6, 1.4) for _ in range(residential_cells)])
        for n, count in enumerate(sizes, 1):
            covered = 2 if unit.is_ward and rng.random() < 0.4 else 1
            coverage = tuple(f"{unit.group_word} {len(groups) + k}" for k in range(1, covered + 1))
            groups.extend(coverage)
            name = f"Chi bộ khu dân cư số {n}" if unit.is_ward else f"Chi bộ thôn {n}"
            organisation = OrganisationRow(
                f"{unit.code}-DC{n:02d}", name, "CELL", "RESIDENTIAL", unit.code, coverage
            )
            cells.append(Cell(organisation, count))
        return UnitPlan(unit, tuple(cells), tuple(groups), tuple(rng.sample(STREETS, 4)))

    @staticmethod
    def _agency_body(unit: Unit, n: int) -> tuple[str, str, tuple[str, ...]]:
        if n <= len(AGENCY_BODIES):
            name, workplace, roles = AGENCY_BODIES[n - 1]
            return (
                name.format(t=unit.title, n=unit.name),
                workplace.format(t=unit.title, n=unit.name),
                roles,
            )
        extra = n - len(AGENCY_BODIES)
        workplace = ENTERPRISES[(extra - 1) % len(ENTERPRISES)].format(n=extra, unit=unit.name)
        if extra > len(ENTERPRISES):
            workplace = f"{workplace}, cơ sở {extra}"
        return f"Chi bộ {workplace}", workplace, ("OTHER",)

    def organisations(self) -> Iterator[OrganisationRow]:
        """Parents first: the city committee, then each unit's committee and its cells."""
        yield OrganisationRow(CITY_CODE, CITY_NAME, "CITY_COMMITTEE")
        for unit in self.units:
            yield OrganisationRow(
                unit.code, f"Đảng ủy {unit.title}", "WARD_COMMITTEE", None, CITY_CODE
            )
            yield from (cell.organisation for cell in self.plan(unit).cells)

    def members(self) -> Iterator[MemberRow]:
        for unit in self.units:
            plan = self.plan(unit)
            people = People(
                random.Random(f"{self.seed}:{unit.code}:members"), plan, self.city_units
            )
            sequence = 0
            for cell in plan.cells:
                for _ in range(cell.members):
                    sequence += 1
                    yield people.member(cell, f"01.{unit.number:03d}{sequence:05d}")

    def candidates(self) -> Iterator[CandidateRow]:
        """About one candidate per 125 members, most in agency cells."""
        for unit in self.units:
            plan = self.plan(unit)
            rng = random.Random(f"{self.seed}:{unit.code}:candidates")
            people = People(rng, plan, self.city_units)
            agency = [c for c in plan.cells if c.organisation.cell_type == "AGENCY"]
            residential = [c for c in plan.cells if c.organisation.cell_type == "RESIDENTIAL"]
            for _ in range(round(unit.members / 125)):
                cell = rng.choice(agency if rng.random() < 0.7 else residential)
                yield people.candidate(cell)


class People:
    """Draws the people of one unit: names, dates, homes and workplaces."""

    def __init__(self, rng: random.Random, plan: UnitPlan, city: Sequence[Unit]) -> None:
        self.rng, self.plan = rng, plan
        self.neighbour = city[plan.unit.number % len(city)]
        self.family = [name for name, _ in FAMILY]
        self.family_weights = [share for _, share in FAMILY]

    def name(self, gender: str) -> str:
        rng = self.rng
        middles = MIDDLE[gender]
        middle = rng.choices(middles, weights=[1 / (r + 1) ** 1.2 for r in range(len(middles))])[0]
        if rng.random() < 0.15:
            second = rng.choice(MIDDLE[gender][1:])
            middle = middle if second == middle else f"{middle} {second}"
        givens = GIVEN[gender]
        given = rng.choices(givens, weights=[1 / (r + 3) for r in range(len(givens))])[0]
        family = rng.choices(self.family, weights=self.family_weights)[0]
        return f"{family} {middle} {given}"

    def born(self, first_year: int, last_year: int) -> date:
        return date(self.rng.randint(first_year, last_year), 1, 1) + timedelta(
            self.rng.randrange(365)
        )

    def home(self, cell: Cell) -> tuple[str, str]:
        """An address and a residential group: in the cell's coverage for a residential cell,
        mostly in the unit for an agency cell, else in the neighbouring unit."""
        rng, unit = self.rng, self.plan.unit
        if cell.organisation.coverage:
            group = rng.choice(cell.organisation.coverage)
        elif rng.random() < 0.8:
            group = rng.choice(self.plan.groups)
        else:
            unit = self.neighbour
            group = f"{unit.group_word} {rng.randint(1, 20)}"
        house = rng.randint(1, 250)
        if not unit.is_ward:
            return f"Số nhà {house}, {group.lower()}, {unit.title}, Hà Nội", group
        lane = f"ngõ {rng.randint(2, 180)}, " if rng.random() < 0.4 else ""
        street = rng.choice(self.plan.streets)
        return f"Số {house}, {lane}{street}, {unit.title}, Hà Nội", group

    def work(self, cell: Cell, born: date) -> tuple[str | None, str | None]:
        if cell.workplace is not None:
            return cell.workplace, self.rng.choice(cell.roles)
        if born.year < 1966 or self.rng.random() < 0.3:  # retired, or not given
            return None, None
        enterprise = self.rng.choice(ENTERPRISES).format(
            n=self.rng.randint(1, 20), unit=self.neighbour.name
        )
        return enterprise, "OTHER"

    def member(self, cell: Cell, card_number: str) -> MemberRow:
        rng = self.rng
        gender = "MALE" if rng.random() < MALE_SHARE else "FEMALE"
        if cell.workplace is not None or rng.random() < 0.2:
            born = self.born(1965, 2001)
        else:
            born = self.born(1936, 1972)
        probation_chance = 0.06 if cell.workplace is not None else 0.03
        if born.year >= 1970 and rng.random() < probation_chance:
            standing, official_on = "PROBATIONARY", None
            admitted = AS_OF - timedelta(rng.randrange(10, PROBATION_DAYS - 5))
        else:
            standing = "OFFICIAL"
            admitted = add_months(born, 12 * rng.randint(18, 35)) + timedelta(rng.randrange(365))
            admitted = min(admitted, AS_OF - timedelta(rng.randrange(450, 900)))
            official_on = add_months(admitted, 12) + timedelta(rng.randrange(3, 60))
        address, group = self.home(cell)
        workplace, role = self.work(cell, born)
        return MemberRow(
            card_number=card_number,
            full_name=self.name(gender),
            date_of_birth=born,
            gender=gender,
            standing=standing,
            admitted_on=admitted,
            official_on=official_on,
            organisation_code=cell.organisation.code,
            address=address,
            residential_group=group,
            workplace_name=workplace,
            workplace_role=role,
        )

    def candidate(self, cell: Cell) -> CandidateRow:
        gender = "MALE" if self.rng.random() < 0.55 else "FEMALE"
        born = self.born(AS_OF.year - 40, AS_OF.year - 19)
        address, group = self.home(cell)
        workplace, role = self.work(cell, born)
        return CandidateRow(
            full_name=self.name(gender),
            date_of_birth=born,
            gender=gender,
            organisation_code=cell.organisation.code,
            on=AS_OF - timedelta(self.rng.randrange(30, 300)),
            address=address,
            residential_group=group,
            workplace_name=workplace,
            workplace_role=role,
        )


# The columns of `partyorg import`'s templates: a numbering column (STT), then these
HEADERS: dict[str, dict[str, str]] = {
    "to_chuc": {
        "code": "Mã tổ chức",
        "name": "Tên tổ chức",
        "kind": "Cấp",
        "cell_type": "Loại chi bộ",
        "parent_code": "Mã tổ chức cấp trên",
        "coverage": "Địa bàn (tổ dân phố, cách nhau bởi ;)",
    },
    "dang_vien": {
        "card_number": "Số thẻ đảng viên",
        "full_name": "Họ và tên",
        "date_of_birth": "Ngày sinh",
        "gender": "Giới tính",
        "standing": "Loại đảng viên",
        "admitted_on": "Ngày vào Đảng",
        "official_on": "Ngày chính thức",
        "organisation_code": "Mã chi bộ",
        "address": "Địa chỉ",
        "residential_group": "Tổ dân phố",
        "workplace_name": "Nơi làm việc",
        "workplace_role": "Chức danh",
    },
    "doi_tuong_ket_nap": {
        "full_name": "Họ và tên",
        "date_of_birth": "Ngày sinh",
        "gender": "Giới tính",
        "organisation_code": "Mã chi bộ",
        "on": "Ngày vào nguồn",
        "address": "Địa chỉ",
        "residential_group": "Tổ dân phố",
        "workplace_name": "Nơi làm việc",
        "workplace_role": "Chức danh",
    },
}
ROW_NUMBER = "STT"
# values as ward staff write them (a commune's committee keeps the API's name: the
# import tool knows "Đảng ủy phường" only)
WORDS = {
    "MALE": "Nam",
    "FEMALE": "Nữ",
    "OFFICIAL": "Chính thức",
    "PROBATIONARY": "Dự bị",
    "CADRE": "Cán bộ",
    "CIVIL_SERVANT": "Công chức",
    "NON_SPECIALISED": "Không chuyên trách",
    "OTHER": "Khác",
    "CITY_COMMITTEE": "Thành ủy",
    "CELL": "Chi bộ",
    "AGENCY": "Cơ quan",
    "RESIDENTIAL": "Dân cư",
}


def cell_text(row: object, field: str) -> str:
    value = getattr(row, field)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if field == "kind" and value == "WARD_COMMITTEE" and "-P-" in getattr(row, "code", ""):
        return "Đảng ủy phường"
    return WORDS.get(str(value), str(value))


def sheet_rows(hanoi: "SyntheticHanoi") -> Iterator[tuple[str, Iterator[list[str]]]]:
    """Each table's name and its rows, the header row first."""
    tables: dict[str, Iterable[object]] = {
        "to_chuc": hanoi.organisations(),
        "dang_vien": hanoi.members(),
        "doi_tuong_ket_nap": hanoi.candidates(),
    }
    for table, rows in tables.items():
        fields = HEADERS[table]

        def lines(
            rows: Iterable[object] = rows, fields: dict[str, str] = fields
        ) -> Iterator[list[str]]:
            yield [ROW_NUMBER, *fields.values()]
            for n, row in enumerate(rows, 1):
                yield [str(n), *(cell_text(row, field) for field in fields)]

        yield table, lines()


def write_csv(hanoi: SyntheticHanoi, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, lines in sheet_rows(hanoi):
        path = out / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as file:
            csv.writer(file).writerows(lines)
        written.append(path)
    return written


def write_xlsx(hanoi: SyntheticHanoi, out: Path) -> list[Path]:
    """A workbook per table (needs openpyxl, which the import tool brings)."""
    openpyxl = importlib.import_module("openpyxl")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, lines in sheet_rows(hanoi):
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(table)
        for line in lines:
            sheet.append(line)
        path = out / f"{table}.xlsx"
        workbook.save(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=SIZES, default="ward")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--xlsx", action="store_true", help="also one .xlsx workbook")
    args = parser.parse_args()
    hanoi = SyntheticHanoi(args.size, args.seed)
    paths = write_csv(hanoi, args.out)
    if args.xlsx:
        paths += write_xlsx(hanoi, args.out)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
