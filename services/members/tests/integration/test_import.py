"""importMembers and importCandidates against real FerretDB and RabbitMQ: rows answered one by
one, written in bulk with their events, idempotent, scoped, and a dry run that writes nothing."""

import uuid
from typing import Any

from conftest import Published
from kit.testing import ServiceUnderTest, eventually
from members_support import Ward, errors_of, ward_committee
from pymongo.asynchronous.database import AsyncDatabase

IMPORT_MEMBERS = """
mutation ($rows: [MemberImportRow!]!, $dryRun: Boolean! = false) {
  importMembers(input: {rows: $rows, dryRun: $dryRun}) {
    created updated unchanged rejected
    rows { row key outcome id code field message }
  }
}
"""
IMPORT_CANDIDATES = """
mutation ($rows: [CandidateImportRow!]!, $dryRun: Boolean! = false) {
  importCandidates(input: {rows: $rows, dryRun: $dryRun}) {
    created updated unchanged rejected
    rows { row key outcome id code field message }
  }
}
"""
REGISTERED = "partyorg.members.member.registered.v1"
UPDATED = "partyorg.members.member.updated.v1"
INTRODUCED = "partyorg.members.candidate.introduced.v1"


def member_row(row: int, cell_code: str, **changes: Any) -> dict[str, Any]:
    return {
        "row": row,
        "cardNumber": f"01.{uuid.uuid4().hex[:8]}",
        "fullName": f"Nguyễn Văn Nhập {row}",
        "dateOfBirth": "1980-05-17",
        "gender": "MALE",
        "standing": "OFFICIAL",
        "admittedOn": "2008-03-02",
        "officialOn": "2009-03-02",
        "organisationCode": cell_code,
        "residence": {"address": "Giảng Võ, Ba Đình", "residentialGroup": "Tổ dân phố 1"},
        "workplace": {"name": "UBND phường Giảng Võ", "role": "CIVIL_SERVANT"},
        **changes,
    }


async def import_members(
    service: ServiceUnderTest, rows: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    data = await service.execute_ok(IMPORT_MEMBERS, {"rows": rows}, **more)
    report: dict[str, Any] = data["importMembers"]
    return report


def outcomes(report: dict[str, Any]) -> dict[int, tuple[str, str | None, str | None]]:
    return {r["row"]: (r["outcome"], r["code"], r["field"]) for r in report["rows"]}


async def test_good_rows_land_and_bad_rows_are_refused_with_their_code_and_field(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.agency.upper()
    good = [member_row(n, cell) for n in (1, 2, 3)]
    rows = [
        *good,
        member_row(4, cell, admittedOn="1970-01-01"),  # admitted before being born
        member_row(5, "NO-SUCH-CELL"),
        {**good[0], "row": 6, "fullName": "Người Trùng Thẻ"},  # the card of row 1 again
        member_row(7, cell, standing="PROBATIONARY"),  # probationary with an official date
    ]
    report = await import_members(service, rows)

    assert (report["created"], report["rejected"]) == (3, 4)
    assert outcomes(report) == {
        1: ("CREATED", None, None),
        2: ("CREATED", None, None),
        3: ("CREATED", None, None),
        4: ("REJECTED", "BAD_USER_INPUT", "admittedOn"),
        5: ("REJECTED", "NOT_FOUND", "organisationCode"),
        6: ("REJECTED", "CONFLICT", "cardNumber"),
        7: ("REJECTED", "BAD_USER_INPUT", "officialOn"),
    }
    cards = [row["cardNumber"] for row in rows]
    assert await db["members"].count_documents({"card_number": {"$in": cards}}) == 3
    created = [r["id"] for r in report["rows"] if r["outcome"] == "CREATED"]

    async def each_announced_once() -> None:
        for member_id in created:
            event = published.one(REGISTERED, memberId=member_id)
            assert event["data"]["organisationId"] == ward.agency
            assert "cardNumber" not in event["data"]

    await eventually(each_announced_once, timeout=30)


async def test_the_same_list_imported_twice_is_unchanged_the_second_time(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    rows = [member_row(n, ward.agency.upper()) for n in range(1, 6)]
    first = await import_members(service, rows)
    again = await import_members(service, rows)

    assert first["created"] == 5
    assert (again["created"], again["unchanged"], again["updated"]) == (0, 5, 0)
    assert [r["id"] for r in again["rows"]] == [r["id"] for r in first["rows"]]
    cards = [row["cardNumber"] for row in rows]
    assert await db["members"].count_documents({"card_number": {"$in": cards}}) == 5

    async def announced() -> None:
        for member_id in (r["id"] for r in first["rows"]):
            assert len(published.of_type(REGISTERED, memberId=member_id)) == 1

    await eventually(announced, timeout=30)


async def test_a_row_that_differs_from_the_member_updates_them(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    probationary = member_row(1, ward.agency.upper(), standing="PROBATIONARY", officialOn=None)
    first = await import_members(service, [probationary])
    recognised = {
        **probationary,
        "fullName": "Nguyễn Văn Nhập Mới",
        "standing": "OFFICIAL",
        "officialOn": "2009-03-02",
    }
    again = await import_members(service, [recognised])

    member_id = first["rows"][0]["id"]
    assert outcomes(again) == {1: ("UPDATED", None, None)}
    stored = await db["members"].find_one({"_id": member_id})
    assert stored is not None
    assert (stored["full_name"], stored["standing"], stored["version"]) == (
        "Nguyễn Văn Nhập Mới",
        "OFFICIAL",
        2,
    )

    async def announced() -> None:
        event = published.one(UPDATED, memberId=member_id)
        assert (event["data"]["standing"], event["data"]["version"]) == ("OFFICIAL", 2)

    await eventually(announced, timeout=30)


async def test_a_member_of_another_cell_is_not_moved_and_the_other_rows_land(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    row = member_row(1, ward.agency.upper())
    await import_members(service, [row])
    moved = {**row, "organisationCode": ward.residential["Tổ dân phố 1"].upper()}

    newcomer = member_row(2, ward.residential["Tổ dân phố 1"].upper())

    checked = await service.execute_ok(IMPORT_MEMBERS, {"rows": [moved], "dryRun": True})
    report = await import_members(service, [moved, newcomer])  # the card found at the write

    assert outcomes(checked["importMembers"]) == {1: ("REJECTED", "CONFLICT", "cardNumber")}
    assert outcomes(report) == {
        1: ("REJECTED", "CONFLICT", "cardNumber"),
        2: ("CREATED", None, None),
    }
    stored = [d async for d in db["members"].find({"card_number": row["cardNumber"]})]
    assert [d["organisation_id"] for d in stored] == [ward.agency]
    assert await db["members"].count_documents({"card_number": newcomer["cardNumber"]}) == 1


async def test_a_dry_run_checks_every_row_and_writes_nothing(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    rows = [member_row(1, ward.agency.upper()), member_row(2, "NO-SUCH-CELL")]
    data = await service.execute_ok(IMPORT_MEMBERS, {"rows": rows, "dryRun": True})

    report = data["importMembers"]
    assert outcomes(report) == {
        1: ("CREATED", None, None),
        2: ("REJECTED", "NOT_FOUND", "organisationCode"),
    }
    assert await db["members"].count_documents({"card_number": rows[0]["cardNumber"]}) == 0


async def test_a_row_outside_the_callers_ward_is_forbidden_and_the_others_land(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]]
) -> None:
    ours = await Ward(service, db).set_up(groups=1)
    theirs = await Ward(service, db).set_up(groups=1)
    rows = [
        member_row(1, ours.agency.upper()),
        member_row(2, theirs.agency.upper()),
        member_row(3, "NO-SUCH-CELL"),  # unknown: refused the same as out of reach
    ]
    report = await import_members(service, rows, principal=ward_committee(ours))

    assert outcomes(report) == {
        1: ("CREATED", None, None),
        2: ("REJECTED", "FORBIDDEN", "organisationCode"),
        3: ("REJECTED", "FORBIDDEN", "organisationCode"),
    }
    assert await db["members"].count_documents({"card_number": rows[1]["cardNumber"]}) == 0


async def test_more_than_5000_rows_are_refused_as_a_whole(service: ServiceUnderTest) -> None:
    rows = [member_row(n, "ANY") for n in range(5001)]
    body = await service.execute(IMPORT_MEMBERS, {"rows": rows})
    assert errors_of(body) == ["BAD_USER_INPUT"]


def candidate_row(row: int, cell_code: str, **changes: Any) -> dict[str, Any]:
    return {
        "row": row,
        "fullName": f"Trần Thị Nguồn {row}",
        "dateOfBirth": "1996-04-01",
        "gender": "FEMALE",
        "organisationCode": cell_code,
        "on": "2019-06-01",
        **changes,
    }


async def test_candidates_are_added_once_and_announced(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, object]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.agency.upper()
    rows = [
        candidate_row(1, cell),
        candidate_row(2, cell),
        candidate_row(3, cell, dateOfBirth="2020-01-01"),  # born after entering the source
        candidate_row(4, cell, fullName="  trần thị  nguồn 1 ".title()),  # row 1 again
    ]
    first = (await service.execute_ok(IMPORT_CANDIDATES, {"rows": rows}))["importCandidates"]
    again = (await service.execute_ok(IMPORT_CANDIDATES, {"rows": rows[:2]}))["importCandidates"]

    assert outcomes(first) == {
        1: ("CREATED", None, None),
        2: ("CREATED", None, None),
        3: ("REJECTED", "BAD_USER_INPUT", "dateOfBirth"),
        4: ("REJECTED", "CONFLICT", "fullName"),
    }
    assert outcomes(again) == {1: ("UNCHANGED", None, None), 2: ("UNCHANGED", None, None)}
    assert await db["candidates"].count_documents({"organisation_id": ward.agency}) == 2

    async def announced() -> None:
        for candidate_id in (r["id"] for r in first["rows"][:2]):
            assert len(published.of_type(INTRODUCED, candidateId=candidate_id)) == 1

    await eventually(announced, timeout=30)
