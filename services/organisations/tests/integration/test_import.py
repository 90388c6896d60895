"""importOrganisations against real FerretDB and RabbitMQ: a tree in one call, parents first,
idempotent by code, scoped by the caller's grants, and a dry run that writes nothing."""

import uuid
from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest, eventually

from services.organisations.tests.integration.support import EventTap

IMPORT = """
mutation ($rows: [OrganisationImportRow!]!, $dryRun: Boolean! = false) {
  importOrganisations(input: {rows: $rows, dryRun: $dryRun}) {
    created updated unchanged rejected
    rows { row key outcome id code field message }
  }
}
"""
BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id name coverage } }"


def tree(tag: str) -> list[dict[str, Any]]:
    """A city, its district, a ward and its cells, children listed before their parents."""
    return [
        {
            "row": 4,
            "code": f"{tag}-TDP1",
            "name": "Chi bộ Tổ dân phố 1",
            "kind": "CELL",
            "cellType": "RESIDENTIAL",
            "parentCode": f"{tag}-W",
            "coverage": ["Tổ dân phố 1"],
        },
        {
            "row": 3,
            "code": f"{tag}-CQ",
            "name": "Chi bộ cơ quan",
            "kind": "CELL",
            "cellType": "AGENCY",
            "parentCode": f"{tag}-W",
        },
        {
            "row": 2,
            "code": f"{tag}-W",
            "name": "Đảng ủy phường",
            "kind": "WARD_COMMITTEE",
            "parentCode": f"{tag}-D",
        },
        {"row": 1, "code": f"{tag}-D", "name": "Quận ủy", "kind": "DISTRICT_COMMITTEE",
         "parentCode": f"{tag}-HN"},
        {"row": 0, "code": f"{tag}-HN", "name": "Thành ủy", "kind": "CITY_COMMITTEE"},
    ]  # fmt: skip


def outcomes(report: dict[str, Any]) -> dict[int, tuple[str, str | None, str | None]]:
    return {r["row"]: (r["outcome"], r["code"], r["field"]) for r in report["rows"]}


async def import_rows(service: ServiceUnderTest, rows: list[dict[str, Any]], **more: Any) -> Any:
    principal = more.pop("principal", None)
    data = await service.execute_ok(IMPORT, {"rows": rows, **more}, principal=principal)
    return data["importOrganisations"]


async def test_a_tree_is_imported_parents_first_then_unchanged_then_updated(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    rows = tree(tag)
    first = await import_rows(service, rows)
    again = await import_rows(service, rows)
    renamed = [{**rows[0], "coverage": ["Tổ dân phố 1", "Tổ dân phố 2"]}]
    updated = await import_rows(service, renamed)

    assert (first["created"], first["rejected"]) == (5, 0), first
    assert (again["unchanged"], again["created"]) == (5, 0)
    assert outcomes(updated) == {4: ("UPDATED", None, None)}
    cell = (await service.execute_ok(BY_CODE, {"code": f"{tag}-TDP1"}))["organisationByCode"]
    assert cell["coverage"] == ["Tổ dân phố 1", "Tổ dân phố 2"]

    async def announced() -> None:
        for row in first["rows"]:
            assert len(events.of_type("organisation.registered.v1", row["id"])) == 1
        assert len(events.of_type("organisation.updated.v1", cell["id"])) == 1

    await eventually(announced, timeout=30)


async def test_bad_rows_are_refused_with_code_and_field_and_the_good_ones_land(
    service: ServiceUnderTest,
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    rows = [
        *tree(tag),
        {"row": 5, "code": f"{tag}-X", "name": "Chi bộ", "kind": "CELL", "parentCode": f"{tag}-W"},
        {
            "row": 6,
            "code": f"{tag}-TDP9",
            "name": "Chi bộ trùng địa bàn",
            "kind": "CELL",
            "cellType": "RESIDENTIAL",
            "parentCode": f"{tag}-W",
            "coverage": ["Tổ dân phố 1"],
        },
        {"row": 7, "code": f"{tag}-Y", "name": "Chi bộ", "kind": "CELL", "parentCode": "NONE"},
        {**tree(tag)[1], "row": 8},
    ]
    report = await import_rows(service, rows)

    assert report["created"] == 5
    assert {row: found for row, found in outcomes(report).items() if row > 4} == {
        5: ("REJECTED", "BAD_USER_INPUT", "cellType"),
        6: ("REJECTED", "CONFLICT", "coverage"),
        7: ("REJECTED", "NOT_FOUND", "parentCode"),
        8: ("REJECTED", "CONFLICT", "code"),
    }


async def test_a_dry_run_writes_nothing(service: ServiceUnderTest) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    report = await import_rows(service, tree(tag), dryRun=True)

    assert report["created"] == 5
    body = await service.execute(BY_CODE, {"code": f"{tag}-D"})
    assert body["data"]["organisationByCode"] is None


async def test_rows_outside_the_callers_subtree_are_forbidden(service: ServiceUnderTest) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    first = await import_rows(service, tree(tag))
    ward_id = next(r["id"] for r in first["rows"] if r["key"] == f"{tag}-W")
    district_of_ward = Principal("u-w", "Ban thường vụ", (Grant(Role.DISTRICT_STANDING, ward_id),))
    rows = [
        {"row": 1, "code": f"{tag}-N1", "name": "Chi bộ mới", "kind": "CELL",
         "cellType": "OTHER", "parentCode": f"{tag}-W"},
        {"row": 2, "code": f"{tag}-W2", "name": "Đảng ủy khác", "kind": "WARD_COMMITTEE",
         "parentCode": f"{tag}-D"},
        {"row": 3, "code": f"{tag}-C", "name": "Thành ủy", "kind": "CITY_COMMITTEE"},
    ]  # fmt: skip
    report = await import_rows(service, rows, principal=district_of_ward)

    assert outcomes(report) == {
        1: ("CREATED", None, None),
        2: ("REJECTED", "FORBIDDEN", "parentCode"),
        3: ("REJECTED", "FORBIDDEN", "parentCode"),
    }
    member = Principal("u-m", "Đảng viên", (Grant(Role.MEMBER),))
    body = await service.execute(IMPORT, {"rows": rows}, principal=member)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
