"""The top-level list of organisations as of a date, against FerretDB: under a parent, within a
subtree and across the whole tree, each organisation with its place, status and code of that
day, searched the way today's list is (kit.search, not a substring)."""

from typing import Any

import pytest
from kit.testing import ServiceUnderTest

from services.organisations.tests.integration.support import BaDinh
from services.organisations.tests.integration.test_restructuring import (
    ACCEPT,
    DECIDE,
    DECISION,
    HAND_OVER,
    OPEN,
    km_tdp01_handed_over_to_giang_vo_as_tdp09,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

LIST = """
query ($asOf: Date, $parentId: ID, $withinId: ID, $kind: OrganisationKind,
       $status: OrganisationStatus, $search: String, $first: Int! = 50, $after: String) {
  organisations(asOf: $asOf, parentId: $parentId, withinId: $withinId, kind: $kind,
                status: $status, search: $search, first: $first, after: $after) {
    totalCount
    edges { cursor node { code status asOf parent { code } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def listed(service: ServiceUnderTest, **variables: Any) -> list[str]:
    data = await service.execute_ok(LIST, variables)
    return [e["node"]["code"] for e in data["organisations"]["edges"]]


async def merge_into_ngoc_ha(service: ServiceUnderTest, tree: BaDinh) -> None:
    """Kim Mã and Ngọc Khánh merged into a new ward, Ngọc Hà, under the city from 01/7/2025."""
    unit = {"code": tree.code("NH"), "name": "Đảng ủy phường Ngọc Hà", "parentId": tree.ids["HN"]}
    sources = [tree.ids["KM"], tree.ids["NK"]]
    opened = await service.execute_ok(
        OPEN, {"input": {"kind": "MERGE_NEW", "sourceIds": sources, "newOrganisations": [unit]}}
    )
    case = opened["openRestructuring"]["id"]
    await service.execute_ok(DECIDE, {"input": {"caseId": case, **DECISION}})
    for ward in sources:
        record = {
            "caseId": case,
            "organisationId": ward,
            "signedOn": "2025-06-28",
            "giverSigner": "Bí thư",
            "receiverSigner": "Bí thư Ngọc Hà",
            "memberCount": 300,
        }
        await service.execute_ok(HAND_OVER, {"input": record})
    accepted = {"caseId": case, "acceptedOn": "2025-07-01", "signer": "Bí thư Ngọc Hà"}
    await service.execute_ok(ACCEPT, {"input": accepted})


async def test_the_wards_of_the_tree_before_and_after_a_merger(service: ServiceUnderTest) -> None:
    tree = await BaDinh(service).build(
        {"KM": "Kim Mã", "NK": "Ngọc Khánh", "GV": "Giảng Võ"}, residential_cells=1
    )
    await merge_into_ngoc_ha(service, tree)
    wards = {"withinId": tree.ids["HN"], "kind": "WARD_COMMITTEE"}

    before = await service.execute_ok(LIST, {**wards, "asOf": "2025-06-30"})
    nodes = [e["node"] for e in before["organisations"]["edges"]]
    assert [n["code"] for n in nodes] == [tree.code(w) for w in ("GV", "KM", "NK")]
    assert {n["status"] for n in nodes} == {"ACTIVE"}
    assert {n["parent"]["code"] for n in nodes} == {tree.code("BD")}
    assert {n["asOf"] for n in nodes} == {"2025-06-30"}
    assert await listed(service, **wards, asOf="2025-07-01", status="ACTIVE") == [
        tree.code("GV"),  # not in the merger: still under the district
        tree.code("NH"),
    ]
    assert await listed(service, **wards, asOf="2025-07-01", status="MERGED") == [
        tree.code("KM"),
        tree.code("NK"),
    ]
    under_city = {"parentId": tree.ids["HN"]}
    assert await listed(service, **under_city, asOf="2019-10-01") == [tree.code("BD")]
    assert await listed(service, **under_city, asOf="2025-07-01") == [
        tree.code("BD"),
        tree.code("NH"),
    ]
    today = await listed(service, **under_city)
    assert today == [tree.code("BD"), tree.code("NH")]


async def test_a_search_as_of_a_day_finds_words_from_their_start_ignoring_diacritics(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "NK": "Ngọc Khánh"}, residential_cells=1)
    await merge_into_ngoc_ha(service, tree)
    within = {"withinId": tree.ids["HN"], "kind": "WARD_COMMITTEE"}

    assert await listed(service, **within, search="ngoc khanh", asOf="2025-06-30") == [
        tree.code("NK")
    ]
    assert await listed(service, **within, search="oc khanh", asOf="2025-06-30") == []
    assert await listed(service, **within, search="ngoc ha", asOf="2025-06-30") == []
    assert await listed(service, **within, search="Ngọc Hà", asOf="2025-07-01") == [tree.code("NH")]
    # across the whole tree: the store finds the candidates by their search words
    assert await listed(service, search=tree.code("NH"), asOf="2025-06-30") == []
    assert await listed(service, search=tree.code("NH"), asOf="2025-07-01") == [tree.code("NH")]
    ward = {"search": tree.code("NK"), "kind": "WARD_COMMITTEE", "status": "ACTIVE"}
    assert await listed(service, **ward, asOf="2025-06-30") == [tree.code("NK")]
    assert await listed(service, **ward, asOf="2025-07-01") == []


async def test_a_cell_is_found_by_the_code_it_carried_that_day_and_paged_by_it(
    service: ServiceUnderTest,
) -> None:
    tree = await km_tdp01_handed_over_to_giang_vo_as_tdp09(service, residential_cells=2)

    old, new = tree.code("KM-TDP01"), tree.code("GV-TDP09")
    assert await listed(service, search=old, asOf="2025-06-30") == [old]
    assert await listed(service, search=old, asOf="2025-07-01") == []
    assert await listed(service, search=new, asOf="2025-06-30") == []
    assert await listed(service, search=new, asOf="2025-07-01") == [new]
    assert await listed(service, search=new) == [new]

    cells = {"withinId": tree.ids["HN"], "kind": "CELL", "asOf": "2025-06-30", "first": 2}
    first = await service.execute_ok(LIST, cells)
    page = first["organisations"]
    assert page["totalCount"] == 6 and page["pageInfo"]["hasNextPage"]
    rest = await listed(service, **{**cells, "first": 50}, after=page["pageInfo"]["endCursor"])
    codes = [e["node"]["code"] for e in page["edges"]] + rest
    assert codes == sorted(codes) and len(codes) == 6 and old in codes and new not in codes


async def test_an_unknown_parent_as_of_a_day_is_not_found(service: ServiceUnderTest) -> None:
    body = await service.execute(LIST, {"parentId": "no-such-id", "asOf": "2025-07-01"})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await service.execute(LIST, {"asOf": "2025-07-01", "first": 1000})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
