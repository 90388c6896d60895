"""The columns of each kind of list, with their Vietnamese headers, and how a row's cells
become a row of the import mutation — or the problems that keep it from being sent.

Only the form of each cell is checked here (present, a date, a known value); what the rules
of the party say of a row (dates in order, an active cell, a free card number…) is checked by
the services, in one place, and comes back in the report."""

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

Cell = str | int | float | date | datetime | None


class Kind(Enum):
    MEMBERS = "members"
    CANDIDATES = "candidates"
    ORGANISATIONS = "organisations"


def plain(text: str) -> str:
    """Lowercase, without diacritics or repeated spaces: how headers and values are matched."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", letters).strip().lower()


class Invalid(ValueError):
    """A cell whose form is wrong; the message says what was expected."""


def text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    return str(cell).strip()


def day(cell: Cell) -> str:
    """A date written dd/mm/yyyy (or a spreadsheet's date cell), as the API's yyyy-mm-dd."""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text(cell))
    if not found:
        raise Invalid(f"'{text(cell)}' is not a date dd/mm/yyyy")
    dd, mm, yyyy = (int(part) for part in found.groups())
    try:
        return date(yyyy, mm, dd).isoformat()
    except ValueError as error:
        raise Invalid(f"'{text(cell)}' is not a date: {error}") from None


def choice(values: Mapping[str, str]) -> Callable[[Cell], str]:
    """A value among these (Vietnamese words, or the API's names), diacritics ignored."""
    known = {plain(word): value for word, value in values.items()} | {
        plain(value): value for value in values.values()
    }

    def parse(cell: Cell) -> str:
        found = known.get(plain(text(cell)))
        if found is None:
            raise Invalid(f"'{text(cell)}' is not one of: {', '.join(values)}")
        return found

    return parse


def citizen_id(cell: Cell) -> str:
    """A citizen ID [số định danh cá nhân, on the CCCD]: 12 digits; a spreadsheet's number
    cell has lost its leading zeros (001… is Hà Nội's), which are put back."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        given = f"{int(cell):012d}"
    else:
        given = text(cell)
    if not re.fullmatch(r"[0-9]{12}", given):
        raise Invalid("not 12 digits")  # the value itself is personal: not repeated
    return given


def groups(cell: Cell) -> list[str]:
    """Residential groups separated by ';'."""
    return [group.strip() for group in text(cell).split(";") if group.strip()]


GENDER = choice({"Nam": "MALE", "Nữ": "FEMALE", "Khác": "OTHER"})
STANDING = choice({"Chính thức": "OFFICIAL", "Dự bị": "PROBATIONARY"})
WORKPLACE_ROLE = choice(
    {
        "Cán bộ": "CADRE",
        "Công chức": "CIVIL_SERVANT",
        "Không chuyên trách": "NON_SPECIALISED",
        "Viên chức": "PUBLIC_EMPLOYEE",
        "Khác": "OTHER",
    }
)
ORGANISATION_KIND = choice(
    {
        "Thành ủy": "CITY_COMMITTEE",
        "Quận ủy": "DISTRICT_COMMITTEE",
        "Đảng ủy phường": "WARD_COMMITTEE",
        "Chi bộ": "CELL",
    }
)
CELL_TYPE = choice({"Cơ quan": "AGENCY", "Dân cư": "RESIDENTIAL", "Khác": "OTHER"})


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the API's field; "residence.address" for a nested one
    parse: Callable[[Cell], Any] = text
    required: bool = False


ADDRESS = Column("Địa chỉ", "residence.address")
GROUP = Column("Tổ dân phố", "residence.residentialGroup")
WORKPLACE = Column("Nơi làm việc", "workplace.name")
ROLE = Column("Chức danh", "workplace.role", WORKPLACE_ROLE)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.MEMBERS: (
        Column("Số thẻ đảng viên", "cardNumber", required=True),
        Column("Họ và tên", "fullName", required=True),
        Column("Ngày sinh", "dateOfBirth", day, required=True),
        Column("Giới tính", "gender", GENDER, required=True),
        Column("Loại đảng viên", "standing", STANDING, required=True),
        Column("Ngày vào Đảng", "admittedOn", day, required=True),
        Column("Ngày chính thức", "officialOn", day),
        Column("Mã chi bộ", "organisationCode", required=True),
        ADDRESS,
        GROUP,
        WORKPLACE,
        ROLE,
        Column("Số định danh cá nhân (CCCD)", "citizenId", citizen_id),
    ),
    Kind.CANDIDATES: (
        Column("Họ và tên", "fullName", required=True),
        Column("Ngày sinh", "dateOfBirth", day, required=True),
        Column("Giới tính", "gender", GENDER, required=True),
        Column("Mã chi bộ", "organisationCode", required=True),
        Column("Ngày vào nguồn", "on", day, required=True),
        ADDRESS,
        GROUP,
        WORKPLACE,
        ROLE,
    ),
    Kind.ORGANISATIONS: (
        Column("Mã tổ chức", "code", required=True),
        Column("Tên tổ chức", "name", required=True),
        Column("Cấp", "kind", ORGANISATION_KIND, required=True),
        Column("Loại chi bộ", "cellType", CELL_TYPE),
        Column("Mã tổ chức cấp trên", "parentCode"),
        Column("Địa bàn (tổ dân phố, cách nhau bởi ;)", "coverage", groups),
    ),
}

# the columns that tell one kind of list from the others
TELLING = {
    Kind.MEMBERS: "Số thẻ đảng viên",
    Kind.ORGANISATIONS: "Mã tổ chức",
    Kind.CANDIDATES: "Ngày vào nguồn",
}
# what a row is known by: a second row with the same is refused before sending
KEYS = {
    Kind.MEMBERS: ("cardNumber",),
    Kind.CANDIDATES: ("fullName", "dateOfBirth", "organisationCode"),
    Kind.ORGANISATIONS: ("code",),
}
# organisations are sent parents first, so that a chunk's parents are stored before their cells
RANKS = ("CITY_COMMITTEE", "DISTRICT_COMMITTEE", "WARD_COMMITTEE", "CELL")
ROW_NUMBER = "STT"  # a numbering column many lists have: read past


def kind_of(headers: list[str]) -> Kind | None:
    """The kind of list these headers are of, if they tell."""
    given = {plain(header) for header in headers}
    return next((kind for kind, header in TELLING.items() if plain(header) in given), None)


def header_index(kind: Kind, headers: list[str]) -> dict[Column, int]:
    """Where each column of the kind is; raises Invalid naming required columns missing or
    headers that are not of this kind."""
    wanted = {plain(column.header): column for column in COLUMNS[kind]}
    # a header may be shortened to its words before the first bracket
    wanted |= {plain(column.header.split("(")[0]): column for column in COLUMNS[kind]}
    found: dict[Column, int] = {}
    unknown = []
    for at, header in enumerate(headers):
        if not plain(header) or plain(header) == plain(ROW_NUMBER):
            continue
        column = wanted.get(plain(header))
        if column is None:
            unknown.append(header)
        else:
            found[column] = at
    missing = [c.header for c in COLUMNS[kind] if c.required and c not in found]
    if missing or unknown:
        problems = [f"missing column(s): {', '.join(missing)}"] if missing else []
        problems += [f"unknown column(s): {', '.join(unknown)}"] if unknown else []
        raise Invalid(f"Not a list of {kind.value}: {'; '.join(problems)}")
    return found


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    reason: str


def read_row(
    kind: Kind, index: Mapping[Column, int], row: int, cells: list[Cell]
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The mutation's row for a sheet's row, or None and the problems of its cells."""
    values: dict[str, Any] = {"row": row}
    problems = []
    for column, at in index.items():
        cell = cells[at] if at < len(cells) else None
        if not text(cell):
            if column.required:
                problems.append(Problem(row, column.field, f"'{column.header}' is empty"))
            continue
        try:
            value = column.parse(cell)
        except Invalid as error:
            problems.append(Problem(row, column.field, f"{column.header}: {error}"))
            continue
        outer, _, inner = column.field.partition(".")
        if inner:
            values.setdefault(outer, {})[inner] = value
        else:
            values[outer] = value
    for nested, parts in (
        ("residence", ("address", "residentialGroup")),
        ("workplace", ("name", "role")),
    ):
        given = values.get(nested)
        if given is not None and set(given) != set(parts):
            missing = next(part for part in parts if part not in given)
            problems.append(
                Problem(row, f"{nested}.{missing}", f"{nested} needs both of {', '.join(parts)}")
            )
    return (None, problems) if problems else (values, [])


def key_of(kind: Kind, values: Mapping[str, Any]) -> str:
    return "|".join(plain(str(values.get(field, ""))) for field in KEYS[kind])


def in_sending_order(kind: Kind, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if kind is not Kind.ORGANISATIONS:
        return rows
    return sorted(rows, key=lambda row: RANKS.index(row["kind"]))
