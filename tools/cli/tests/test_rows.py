"""Reading the staff's lists: Vietnamese headers and words, dd/mm/yyyy dates, each bad cell
reported with its row and field; chunks resumed after an interruption."""

import csv
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from partyorg_cli.columns import Invalid, Kind
from partyorg_cli.gateway import GatewayFailed
from partyorg_cli.importing import checked_rows, rejected_report, run, state_file
from partyorg_cli.sheets import headers_of, write_template

MEMBER = [
    "1",
    "01.000123",
    "Nguyễn  Văn An",
    "17/05/1980",
    "Nam",
    "Chính thức",
    "2/3/2008",
    "02/03/2009",
    "HN-BD-GV-CQ",
    "12 Giảng Võ",
    "Tổ dân phố 5",
    "UBND phường Giảng Võ",
    "Công chức",
]


def write_csv(path: Path, rows: list[list[str]], headers: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(headers or headers_of(Kind.MEMBERS))
        writer.writerows(rows)
    return path


def test_a_member_row_in_vietnamese_becomes_the_mutations_row(tmp_path: Path) -> None:
    kind, rows, problems = checked_rows(write_csv(tmp_path / "ds.csv", [MEMBER]), None)

    assert (kind, problems) == (Kind.MEMBERS, [])
    assert rows == [
        {
            "row": 2,
            "cardNumber": "01.000123",
            "fullName": "Nguyễn  Văn An",
            "dateOfBirth": "1980-05-17",
            "gender": "MALE",
            "standing": "OFFICIAL",
            "admittedOn": "2008-03-02",
            "officialOn": "2009-03-02",
            "organisationCode": "HN-BD-GV-CQ",
            "residence": {"address": "12 Giảng Võ", "residentialGroup": "Tổ dân phố 5"},
            "workplace": {"name": "UBND phường Giảng Võ", "role": "CIVIL_SERVANT"},
        }
    ]


def test_each_bad_cell_is_reported_with_its_row_and_field(tmp_path: Path) -> None:
    bad = [
        [*MEMBER[:3], "31/02/1980", *MEMBER[4:]],  # no such day
        [*MEMBER[:1], "01.000124", *MEMBER[2:4], "Trai", *MEMBER[5:]],  # unknown gender
        [*MEMBER[:1], "", *MEMBER[2:]],  # no card number
        [*MEMBER[:1], "01.000125", *MEMBER[2:9], "", "Tổ dân phố 5", *MEMBER[11:]],
        MEMBER,
        MEMBER,  # the same card number again
    ]
    _, rows, problems = checked_rows(write_csv(tmp_path / "ds.csv", bad), None)

    assert [row["row"] for row in rows] == [6]
    assert [(p.row, p.field) for p in problems] == [
        (2, "dateOfBirth"),
        (3, "gender"),
        (4, "cardNumber"),
        (5, "residence.address"),
        (7, "row"),
    ]
    assert "dd/mm/yyyy" in problems[0].reason or "day is out of range" in problems[0].reason


def test_headers_without_diacritics_tell_the_kind_and_unknown_ones_are_refused(
    tmp_path: Path,
) -> None:
    plain = ["Ho va ten", "Ngay sinh", "Gioi tinh", "Ma chi bo", "Ngay vao nguon"]
    row = ["Lê Thị B", "01/06/1996", "nữ", "C1", "01/06/2019"]
    kind, rows, _ = checked_rows(write_csv(tmp_path / "n.csv", [row], plain), None)
    assert kind is Kind.CANDIDATES
    assert rows[0]["gender"] == "FEMALE"

    with pytest.raises(Invalid, match="unknown column"):
        checked_rows(write_csv(tmp_path / "x.csv", [], [*plain, "Quê quán"]), None)
    with pytest.raises(Invalid, match="give --kind"):
        checked_rows(write_csv(tmp_path / "y.csv", [], ["Họ và tên"]), None)


def test_an_xlsx_with_date_cells_and_organisations_parents_first(tmp_path: Path) -> None:
    path = tmp_path / "tochuc.xlsx"
    write_template(Kind.ORGANISATIONS, path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers_of(Kind.ORGANISATIONS))
    sheet.append([1, "GV-TDP1", "Chi bộ TDP 1", "Chi bộ", "Dân cư", "GV", "Tổ 1; Tổ 2"])
    sheet.append([2, "GV", "Đảng ủy phường Giảng Võ", "Đảng ủy phường", None, "BD", None])
    book.save(path)

    kind, rows, problems = checked_rows(path, None)

    assert (kind, problems) == (Kind.ORGANISATIONS, [])
    assert [row["code"] for row in rows] == ["GV", "GV-TDP1"]
    assert rows[1]["coverage"] == ["Tổ 1", "Tổ 2"]

    members = tmp_path / "dv.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers_of(Kind.MEMBERS))
    dated: list[Any] = [*MEMBER]
    dated[3] = datetime(1980, 5, 17)
    sheet.append(dated)
    book.save(members)
    assert checked_rows(members, None)[1][0]["dateOfBirth"] == "1980-05-17"


def test_a_template_reads_back_as_an_empty_list_of_its_kind(tmp_path: Path) -> None:
    for kind in Kind:
        for suffix in (".xlsx", ".csv"):
            path = tmp_path / f"{kind.value}{suffix}"
            write_template(kind, path)
            assert checked_rows(path, None)[:2] == (kind, [])


class Interrupted(GatewayFailed):
    pass


class Gateway:
    """Answers each chunk CREATED until told to fail at a chunk: what the run sends."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.sent: list[list[int]] = []
        self.fail_at = fail_at

    def send(self, kind: Kind, rows: list[dict[str, Any]], dry_run: bool) -> dict[str, Any]:
        if len(self.sent) == self.fail_at:
            raise Interrupted("cut")
        self.sent.append([row["row"] for row in rows])
        refused = [r for r in rows if r["fullName"].endswith("X")]
        return {
            "created": len(rows) - len(refused),
            "updated": 0,
            "unchanged": 0,
            "rejected": len(refused),
            "rows": [
                {
                    "row": r["row"],
                    "outcome": "REJECTED" if r in refused else "CREATED",
                    "field": "organisationCode",
                    "code": "FORBIDDEN",
                    "message": "Not allowed",
                }
                for r in rows
            ],
        }


def test_an_interrupted_import_resumes_with_the_chunks_not_sent(tmp_path: Path) -> None:
    listed = [
        [str(n), f"01.{n:06d}", f"Người {n}{'X' if n == 2 else ''}", *MEMBER[3:]]
        for n in range(1, 8)
    ]
    listed[4][3] = "bad"  # refused before sending
    path = write_csv(tmp_path / "ds.csv", listed)
    first = Gateway(fail_at=2)
    with pytest.raises(Interrupted):
        run(path, first, chunk_size=2, calls=1)  # type: ignore[arg-type]
    assert state_file(path).exists()

    again = Gateway()
    outcome = run(path, again, chunk_size=2, calls=1)  # type: ignore[arg-type]

    assert first.sent == [[2, 3], [4, 5]]
    assert again.sent == [[7, 8]]
    assert (outcome.counts["created"], outcome.rejected) == (5, 2)
    assert not state_file(path).exists()
    with rejected_report(path).open(encoding="utf-8-sig") as file:
        lines = list(csv.DictReader(file))
    assert [(line["row"], line["field"], line["code"]) for line in lines] == [
        ("3", "organisationCode", "FORBIDDEN"),
        ("6", "dateOfBirth", "BAD_USER_INPUT"),
    ]


class SlowGateway(Gateway):
    """As Gateway, each call taking a moment, the calls in flight counted; the chunk that
    starts with row `fail_row` fails."""

    def __init__(self, fail_row: int | None = None) -> None:
        super().__init__()
        self.fail_row = fail_row
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()

    def send(self, kind: Kind, rows: list[dict[str, Any]], dry_run: bool) -> dict[str, Any]:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(0.2)
            if rows[0]["row"] == self.fail_row:
                raise Interrupted("cut")
            return super().send(kind, rows, dry_run)
        finally:
            with self.lock:
                self.in_flight -= 1


def members_list(tmp_path: Path, people: int) -> Path:
    listed = [[str(n), f"01.{n:06d}", f"Người {n}", *MEMBER[3:]] for n in range(1, people + 1)]
    return write_csv(tmp_path / "ds.csv", listed)


def test_chunks_go_several_at_once_each_once(tmp_path: Path) -> None:
    path = members_list(tmp_path, 20)
    gateway = SlowGateway()
    outcome = run(path, gateway, chunk_size=2, calls=3)  # type: ignore[arg-type]
    assert sorted(gateway.sent) == [[n, n + 1] for n in range(2, 22, 2)]
    assert gateway.most_in_flight == 3
    assert outcome.counts["created"] == 20


def test_a_parallel_import_cut_by_a_failure_resumes_with_the_chunks_not_sent(
    tmp_path: Path,
) -> None:
    path = members_list(tmp_path, 20)
    first = SlowGateway(fail_row=8)  # the fourth chunk of ten
    with pytest.raises(Interrupted):
        run(path, first, chunk_size=2, calls=3)  # type: ignore[arg-type]
    assert [8, 9] not in first.sent and len(first.sent) < 9  # stopped short of the rest

    again = SlowGateway()
    outcome = run(path, again, chunk_size=2, calls=3)  # type: ignore[arg-type]
    assert sorted(first.sent + again.sent) == [[n, n + 1] for n in range(2, 22, 2)]
    assert outcome.counts["created"] == 20


def test_a_citizen_id_is_twelve_digits_and_a_number_cell_gets_its_leading_zeros_back(
    tmp_path: Path,
) -> None:
    rows = [
        [*MEMBER, "001086000123"],
        [*MEMBER[:1], "01.000124", *MEMBER[2:], "1086000124"],  # text: not padded
        [*MEMBER[:1], "01.000125", *MEMBER[2:], "00108600012x"],
    ]
    _, read, problems = checked_rows(write_csv(tmp_path / "ds.csv", rows), None)
    assert [row.get("citizenId") for row in read] == ["001086000123"]
    assert [(p.row, p.field) for p in problems] == [(3, "citizenId"), (4, "citizenId")]
    assert all("1086000124" not in p.reason for p in problems)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers_of(Kind.MEMBERS))
    sheet.append([*MEMBER, 1086000125])
    book.save(tmp_path / "ds.xlsx")
    _, read, problems = checked_rows(tmp_path / "ds.xlsx", None)
    assert (problems, read[0]["citizenId"]) == ([], "001086000125")
