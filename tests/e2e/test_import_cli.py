"""`partyorg import` against the running suite, as ward and district staff use it: a tree from
a .csv, a ward's members from an .xlsx interrupted mid-way and run again, candidates from a
.csv run twice — each person once, the rows refused in `<input>.rejected.csv`."""

import asyncio
import csv
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import STAFF, eventually
from openpyxl import load_workbook

from infra.local.suite import Suite
from tests.e2e.conftest import ClientFor

PARTYORG = str(Path(sys.executable).with_name("partyorg"))  # the [project.scripts] entry
SUCCESS, SOME_REJECTED, FAILURE = 0, 1, 2
MEMBERS = """
query ($cell: ID!) {
  members(organisationId: $cell, first: 500) { totalCount nodes { cardNumber fullName } }
}
"""
ROSTER = """
query ($cell: ID!) {
  organisation(id: $cell) { members { fullName evaluations(period: "2019-10") { period } } }
}
"""
CANDIDATES = "query ($cell: ID!) { candidates(organisationId: $cell) { fullName } }"
BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id } }"
PROBE = """
mutation ($rows: [CandidateImportRow!]!) {
  importCandidates(input: {rows: $rows, dryRun: true}) { rows { code } }
}
"""


def partyorg(suite: Suite, principal: Principal, *arguments: str) -> subprocess.Popen[str]:
    token = suite.authorization(principal)["authorization"].removeprefix("Bearer ")
    environment = {**os.environ, "PARTYORG_TOKEN": token, "PARTYORG_GATEWAY": suite.gateway_url}
    return subprocess.Popen(
        [PARTYORG, *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    output, _ = await asyncio.to_thread(process.communicate, timeout=240)
    return process.returncode, output


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("a", newline="", encoding="utf-8-sig") as file:
        csv.writer(file).writerows(rows)
    return path


def rejected(path: Path) -> list[tuple[str, str, str]]:
    with path.with_name(f"{path.name}.rejected.csv").open(encoding="utf-8-sig") as file:
        return [(line["row"], line["field"], line["code"]) for line in csv.DictReader(file)]


async def test_staff_import_a_tree_a_wards_members_and_candidates_from_spreadsheets(
    suite: Suite, client_for: ClientFor, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    gateway = client_for(STAFF)

    tree = tmp_path / "to_chuc.csv"
    assert (await finished(partyorg(suite, STAFF, "template", "organisations", str(tree))))[0] == 0
    write_csv(
        tree,
        [
            [1, f"{tag}-TDP1", "Chi bộ Tổ dân phố 1", "Chi bộ", "Dân cư", f"{tag}-W", "Tổ 1"],
            [2, f"{tag}-CQ", "Chi bộ cơ quan", "Chi bộ", "Cơ quan", f"{tag}-W", ""],
            [3, f"{tag}-W", "Đảng ủy phường", "Đảng ủy phường", "", f"{tag}-D", ""],
            [4, f"{tag}-D", "Quận ủy", "Quận ủy", "", f"{tag}-HN", ""],
            [5, f"{tag}-HN", "Thành ủy", "Thành ủy", "", "", ""],
        ],
    )
    code, output = await finished(partyorg(suite, STAFF, "import", str(tree)))
    assert (code, "5 created" in output) == (SUCCESS, True), output

    async def id_of(code: str) -> str:
        data = await gateway.execute_ok(BY_CODE, {"code": code})
        return str(data["organisationByCode"]["id"])

    ward, agency, residential = [await id_of(f"{tag}-{key}") for key in ("W", "CQ", "TDP1")]
    ward_committee = Principal(
        f"e2e-ward-{tag}", "Đảng ủy phường", (Grant(Role.WARD_COMMITTEE, ward),)
    )

    async def cells_known_to_members() -> None:  # by the organisations' events
        probe = [
            {"row": n, "fullName": "Thử", "dateOfBirth": "1990-01-01", "gender": "MALE",
             "organisationCode": f"{tag}-{key}", "on": "2019-01-01"}
            for n, key in enumerate(("CQ", "TDP1"))
        ]  # fmt: skip
        data = await gateway.execute_ok(PROBE, {"rows": probe})
        assert [row["code"] for row in data["importCandidates"]["rows"]] == [None, None]

    await eventually(cells_known_to_members, timeout=60)

    members = tmp_path / "dang_vien.xlsx"
    assert (await finished(partyorg(suite, STAFF, "template", "members", str(members))))[0] == 0
    book = load_workbook(members)
    sheet = book.active
    assert sheet is not None
    for n in range(1, 121):
        cell = f"{tag}-CQ" if n % 2 else f"{tag}-TDP1"
        born = "31/02/1980" if n == 7 else "17/05/1980"  # row 8: no such day
        sheet.append(
            [n, f"{tag}.{n:04d}", f"Nguyễn Văn Số {n}", born, "Nam", "Chính thức", "02/03/2008",
             "02/03/2009", "OTHER-WARD-CELL" if n == 9 else cell, "Giảng Võ", "Tổ 1",
             "UBND phường", "Công chức"]
        )  # fmt: skip
    book.save(members)
    state = members.with_name(f"{members.name}.import-state.json")

    running = partyorg(suite, ward_committee, "import", str(members), "--chunk-size", "2")

    async def some_chunks_sent() -> None:
        assert state.exists()

    await eventually(some_chunks_sent, timeout=60, interval=0.005)
    running.send_signal(signal.SIGINT)
    code, output = await finished(running)
    assert (code, state.exists()) == (FAILURE, True), output
    assert "run the same command again to resume" in output

    code, output = await finished(partyorg(suite, ward_committee, "import", str(members)))
    assert code == SOME_REJECTED, output
    assert not state.exists()
    assert rejected(members) == [
        ("8", "dateOfBirth", "BAD_USER_INPUT"),  # refused before sending
        ("10", "organisationCode", "FORBIDDEN"),  # an unknown cell, to a ward's committee
    ]
    listed = [
        node
        for cell in (agency, residential)
        for node in (await gateway.execute_ok(MEMBERS, {"cell": cell}))["members"]["nodes"]
    ]
    cards = sorted(node["cardNumber"] for node in listed)
    assert cards == sorted(
        {f"{tag}.{n:04d}" for n in range(1, 121)} - {f"{tag}.0007", f"{tag}.0009"}
    )

    async def on_the_evaluations_roster() -> None:  # by the member.registered events
        members = (await gateway.execute_ok(ROSTER, {"cell": agency}))["organisation"]["members"]
        assert len(members) == 58 and all(m["evaluations"] for m in members)

    await eventually(on_the_evaluations_roster, timeout=120, interval=1)

    candidates = tmp_path / "nguon.csv"
    assert (await finished(partyorg(suite, STAFF, "template", "candidates", str(candidates))))[
        0
    ] == 0
    write_csv(
        candidates,
        [
            [1, "Trần Thị Nguồn 1", "01/06/1996", "Nữ", f"{tag}-CQ", "01/06/2019", "", "", "", ""],
            [2, "Lê Văn Nguồn 2", "15/08/1995", "Nam", f"{tag}-CQ", "01/06/2019", "", "", "", ""],
        ],
    )
    first = await finished(partyorg(suite, ward_committee, "import", str(candidates)))
    again = await finished(partyorg(suite, ward_committee, "import", str(candidates)))
    assert first[0] == again[0] == SUCCESS, first[1] + again[1]
    assert "2 created" in first[1] and "2 unchanged" in again[1]
    found = (await gateway.execute_ok(CANDIDATES, {"cell": agency}))["candidates"]
    assert sorted(c["fullName"] for c in found) == ["Lê Văn Nguồn 2", "Trần Thị Nguồn 1"]
