"""Spreadsheets in and out: .xlsx (the first sheet) and .csv (UTF-8, Excel's BOM welcome),
the header on the first row; the templates staff fill in."""

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from partyorg_cli.columns import COLUMNS, ROW_NUMBER, Cell, Invalid, Kind, text


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # the row number as the spreadsheet shows it


def read(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_lines(path)
    elif suffix == ".csv":
        lines = _csv_lines(path)
    else:
        raise Invalid(f"{path.name}: only .xlsx and .csv files are read")
    numbered = enumerate(lines, start=1)
    header = next(numbered, None)
    if header is None:
        raise Invalid(f"{path.name} is empty")
    rows = [(n, cells) for n, cells in numbered if any(text(cell) for cell in cells)]
    return Sheet([text(cell) for cell in header[1]], rows)


def _xlsx_lines(path: Path) -> Iterator[list[Cell]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in values]
    finally:
        workbook.close()


def _cell(value: object) -> Cell:
    """A spreadsheet value as the columns read it: a date stays a date, a number a number."""
    if value is None or (isinstance(value, date | int | float) and not isinstance(value, bool)):
        return value
    return str(value)


def _csv_lines(path: Path) -> Iterator[list[Cell]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        sample = file.read(4096)
        file.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
        except csv.Error:
            dialect = csv.excel
        for line in csv.reader(file, dialect):
            yield list[Cell](line)


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def headers_of(kind: Kind) -> list[str]:
    return [ROW_NUMBER, *(column.header for column in COLUMNS[kind])]


def write_template(kind: Kind, path: Path) -> None:
    """An empty list of this kind, its headers on the first row."""
    headers = headers_of(kind)
    if path.suffix.lower() == ".xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = kind.value
        sheet.append(headers)
        for at, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(at)].width = max(12, len(header))
        workbook.save(path)
    elif path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as file:
            csv.writer(file).writerow(headers)
    else:
        raise Invalid(f"{path.name}: a template is written as .xlsx or .csv")
