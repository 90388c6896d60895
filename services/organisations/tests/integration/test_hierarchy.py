import uuid

import pytest
from kit.outbox import PENDING
from kit.search import searchable
from kit.testing import ServiceUnderTest, eventually
from organisations.domain import Conflict, Organisation
from organisations.repository.organisations import SEARCH_WORDS_WRITTEN
from organisations.service import HierarchyService
from organisations.service.commands import UpdateOrganisation

from services.organisations.tests.integration.support import BaDinh, EventTap

PAGE = """
query ($parentId: ID, $search: String, $first: Int!, $after: String, $kind: OrganisationKind) {
  organisations(parentId: $parentId, search: $search, first: $first, after: $after, kind: $kind) {
    totalCount
    edges { cursor node { code name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
TREE = """
query ($id: ID!) {
  organisation(id: $id) {
    code
    ancestors { code }
    children(first: 50) { totalCount edges { node { code } } }
    subtree(kind: CELL, first: 50) { totalCount }
  }
}
"""
CREATE = """
mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }
"""
UPDATE = """
mutation ($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) { id name version parent { code } ancestors { code } }
}
"""


async def test_an_organisation_shows_its_ancestors_children_and_subtree(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    ward = (await service.execute_ok(TREE, {"id": tree.ids["GV"]}))["organisation"]
    assert [a["code"] for a in ward["ancestors"]] == [tree.code("HN"), tree.code("BD")]
    assert ward["children"]["totalCount"] == 3
    district = (await service.execute_ok(TREE, {"id": tree.ids["BD"]}))["organisation"]
    assert district["subtree"]["totalCount"] == 6


async def test_the_subtrees_of_several_roots_are_the_roots_and_all_below_any_of_them(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build(
        {"GV": "Giảng Võ", "KM": "Kim Mã", "NK": "Ngọc Khánh"}, residential_cells=1
    )
    hierarchy: HierarchyService = service.app.state.dissolution.hierarchy
    unknown = f"unknown-{tree.tag}"
    roots = {tree.ids["GV"], tree.ids["KM"], tree.ids["KM-CQ"], tree.ids["NK-TDP01"], unknown}
    assert await hierarchy.subtree_ids(roots) == {
        *(tree.ids[key] for key in ("GV", "GV-CQ", "GV-TDP01", "KM", "KM-CQ", "KM-TDP01")),
        tree.ids["NK-TDP01"],
        unknown,
    }


async def test_pages_follow_codes_with_cursors_until_the_last(service: ServiceUnderTest) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=5)
    seen: list[str] = []
    after = None
    while True:
        page = (
            await service.execute_ok(PAGE, {"parentId": tree.ids["GV"], "first": 2, "after": after})
        )["organisations"]
        assert page["totalCount"] == 6
        seen += [e["node"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen)
    assert len(seen) == 6


async def test_organisations_stored_before_search_words_are_found_after_the_upgrade(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"})
    db = service.app.state.runtime.db
    await db["organisations"].update_many({}, {"$unset": {"search_words": ""}})
    await db["upgrades"].delete_one({"_id": SEARCH_WORDS_WRITTEN})
    search = {"search": f"giang vo {tree.tag}", "first": 10}
    assert (await service.execute_ok(PAGE, search))["organisations"]["totalCount"] == 0

    hierarchy: HierarchyService = service.app.state.dissolution.hierarchy
    await hierarchy.organisations.create_indexes()  # as at start-up
    found = (await service.execute_ok(PAGE, search))["organisations"]
    assert [e["node"]["code"] for e in found["edges"]] == [tree.code("GV"), tree.code("GV-CQ")]
    assert await db["upgrades"].find_one({"_id": SEARCH_WORDS_WRITTEN}) is not None


async def test_search_ignores_diacritics_and_case(service: ServiceUnderTest) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "NTT": "Nguyễn Trung Trực"})
    found = await service.execute_ok(
        PAGE, {"search": f"phuong giang vo {tree.tag}".lower(), "first": 10}
    )
    assert [e["node"]["name"] for e in found["organisations"]["edges"]] == [
        "Đảng ủy phường Giảng Võ",
        "Chi bộ cơ quan phường Giảng Võ",
    ]
    by_name = await service.execute_ok(
        PAGE, {"search": "NGUYEN TRUNG", "first": 10, "kind": "WARD_COMMITTEE"}
    )
    names = {e["node"]["name"] for e in by_name["organisations"]["edges"]}
    assert "Đảng ủy phường Nguyễn Trung Trực" in names


async def test_a_short_word_alone_finds_that_word_whole(service: ServiceUnderTest) -> None:
    await BaDinh(service).build({"GV": "Giảng Võ", "NTT": "Nguyễn Trung Trực"})
    short = {"search": "Võ", "first": 50, "kind": "WARD_COMMITTEE"}
    names = [
        e["node"]["name"] for e in (await service.execute_ok(PAGE, short))["organisations"]["edges"]
    ]
    assert "Đảng ủy phường Giảng Võ" in names
    assert all("vo" in searchable(name).split() for name in names), names
    part = {"search": "gi", "first": 50, "kind": "WARD_COMMITTEE"}
    found = (await service.execute_ok(PAGE, part))["organisations"]["edges"]
    assert "Đảng ủy phường Giảng Võ" not in [e["node"]["name"] for e in found]


async def test_malformed_or_unknown_input_is_refused_and_changes_nothing(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
    cell = tree.ids["GV-TDP01"]
    attempts = {
        "BAD_USER_INPUT": {
            "code": f"{tree.tag}-X1",
            "name": "Chi bộ X",
            "kind": "CELL",
            "cellType": "OTHER",
            "parentId": cell,
        },
        "NOT_FOUND": {
            "code": f"{tree.tag}-X2",
            "name": "Chi bộ X",
            "kind": "CELL",
            "cellType": "OTHER",
            "parentId": str(uuid.uuid4()),
        },
        "CONFLICT": {
            "code": tree.code("GV-CQ"),
            "name": "Chi bộ X",
            "kind": "CELL",
            "cellType": "OTHER",
            "parentId": tree.ids["GV"],
        },
    }
    before = await service.execute_ok(PAGE, {"parentId": tree.ids["GV"], "first": 50})
    for code, fields in attempts.items():
        body = await service.execute(CREATE, {"input": fields})
        assert body["errors"][0]["extensions"]["code"] == code, body
        assert body["errors"][0]["message"]
    after = await service.execute_ok(PAGE, {"parentId": tree.ids["GV"], "first": 50})
    assert after == before
    assert await service.execute_ok(PAGE, {"search": f"{tree.tag}-x", "first": 5}) == {
        "organisations": {
            "totalCount": 0,
            "edges": [],
            "pageInfo": {"hasNextPage": False, "endCursor": None},
        }
    }


async def test_registering_and_updating_tell_the_other_services(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
    renamed = await service.execute_ok(
        UPDATE, {"input": {"id": tree.ids["GV-TDP01"], "name": "Chi bộ tổ dân phố số 1 (mới)"}}
    )
    assert renamed["updateOrganisation"]["version"] == 2

    async def both_published() -> None:
        registered = events.of_type("organisation.registered.v1", tree.ids["GV-TDP01"])
        updated = events.of_type("organisation.updated.v1", tree.ids["GV-TDP01"])
        assert len(registered) == 1 and len(updated) == 1
        assert registered[0]["data"]["ancestorIds"] == [
            tree.ids["HN"],
            tree.ids["BD"],
            tree.ids["GV"],
        ]
        assert registered[0]["data"]["coverage"] == ["TDP 1"]
        assert (registered[0]["data"]["version"], updated[0]["data"]["version"]) == (1, 2)
        assert updated[0]["data"]["name"] == "Chi bộ tổ dân phố số 1 (mới)"

    await eventually(both_published)


async def ward_and_another_district(service: ServiceUnderTest) -> tuple[BaDinh, str]:
    """Ba Đình with the ward Giảng Võ, and Tây Hồ (its id), another district of the city."""
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
    tay_ho = await tree.create(
        "TH",
        code=tree.code("TH"),
        name="Quận ủy Tây Hồ",
        kind="DISTRICT_COMMITTEE",
        parentId=tree.ids["HN"],
    )
    return tree, tay_ho


async def test_moving_a_ward_moves_its_cells_and_a_district_cannot_go_under_its_ward(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree, other = await ward_and_another_district(service)
    moved = await service.execute_ok(UPDATE, {"input": {"id": tree.ids["GV"], "parentId": other}})
    assert moved["updateOrganisation"]["parent"]["code"] == tree.code("TH")
    cell = (await service.execute_ok(TREE, {"id": tree.ids["GV-TDP01"]}))["organisation"]
    assert [a["code"] for a in cell["ancestors"]] == [
        tree.code("HN"),
        tree.code("TH"),
        tree.code("GV"),
    ]
    refused = await service.execute(UPDATE, {"input": {"id": other, "parentId": tree.ids["GV"]}})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    async def cell_update_published() -> None:
        updated = events.of_type("organisation.updated.v1", tree.ids["GV-TDP01"])
        assert updated and updated[-1]["data"]["ancestorIds"][1] == other

    await eventually(cell_update_published)


async def test_a_residential_group_is_covered_by_one_cell_of_its_ward(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"}, residential_cells=1)
    twice = {
        "code": tree.code("GV-TDP99"),
        "name": "Chi bộ tổ dân phố số 99",
        "kind": "CELL",
        "cellType": "RESIDENTIAL",
        "coverage": ["TDP 99", "TDP 1"],
        "parentId": tree.ids["GV"],
    }
    body = await service.execute(CREATE, {"input": twice})
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert "TDP 1 already covered by Chi bộ tổ dân phố số 1" in body["errors"][0]["message"]
    elsewhere = {**twice, "code": tree.code("KM-TDP99"), "parentId": tree.ids["KM"]}
    body = await service.execute(CREATE, {"input": {**elsewhere, "coverage": ["TDP 2"]}})
    assert not body.get("errors")
    recovered = await service.execute(
        UPDATE, {"input": {"id": tree.ids["GV-TDP01"], "coverage": ["TDP 1", "TDP 3"]}}
    )
    assert recovered["data"]["updateOrganisation"]["version"] == 2


async def test_a_ward_renamed_while_its_move_is_checked_moves_nothing_of_its_subtree(
    service: ServiceUnderTest, events: EventTap, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree, tay_ho = await ward_and_another_district(service)
    hierarchy: HierarchyService = service.app.state.dissolution.hierarchy
    read = hierarchy.organisations.get
    ward = await hierarchy.organisation(tree.ids["GV"])  # as the caller's check reads it
    rename = {"input": {"id": tree.ids["GV"], "name": "Giảng Võ mới"}}
    pending = [lambda: service.execute_ok(UPDATE, rename)]

    async def renamed_while_the_new_parent_is_checked(organisation_id: str) -> Organisation | None:
        if organisation_id == tay_ho and pending:
            await pending.pop()()
        return await read(organisation_id)

    monkeypatch.setattr(hierarchy.organisations, "get", renamed_while_the_new_parent_is_checked)
    with pytest.raises(Conflict):
        await hierarchy.update_organisation(ward, UpdateOrganisation(parent_id=tay_ho))
    monkeypatch.undo()

    ward = await hierarchy.organisation(tree.ids["GV"])
    cell = await hierarchy.organisation(tree.ids["GV-CQ"])
    assert (ward.name, ward.parent_id) == ("Giảng Võ mới", tree.ids["BD"])
    assert cell.ancestor_ids == [tree.ids["HN"], tree.ids["BD"], tree.ids["GV"]]

    async def rename_announced_and_nothing_else_pending() -> None:
        assert events.of_type("organisation.updated.v1", tree.ids["GV"])
        stored = await hierarchy.organisations.collection.find_one({"_id": tree.ids["GV-CQ"]})
        assert stored is not None and not stored.get(PENDING)

    await eventually(rename_announced_and_nothing_else_pending)
    assert events.of_type("organisation.updated.v1", tree.ids["GV-CQ"]) == []
