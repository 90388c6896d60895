"""Restructuring cases against FerretDB and RabbitMQ: a cell handed over to another ward, wards
merged into a new one and into an existing one, a committee split; lineage and the tree as of
a date; bad input changes nothing."""

import asyncio
from typing import Any

import pytest
from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest
from organisations.repository.organisations import LOOKUP_KEYS_WRITTEN

from services.organisations.tests.integration.support import BaDinh, EventTap

pytestmark = pytest.mark.asyncio(loop_scope="session")

CASE = """
  id kind stage allowedSteps treeApplied
  decision { number effectiveOn }
  handovers { memberCount giverSigner organisation { code } }
  acceptance { acceptedOn signer }
  newOrganisations { id code }
  auditTrail { step fromStage toStage actor }
"""
OPEN = f"""
mutation ($input: OpenRestructuringInput!) {{ openRestructuring(input: $input) {{ {CASE} }} }}
"""
DECIDE = f"""
mutation ($input: IssueRestructuringDecisionInput!) {{
  issueRestructuringDecision(input: $input) {{ {CASE} }}
}}
"""
HAND_OVER = f"""
mutation ($input: RecordHandoverInput!) {{ recordHandover(input: $input) {{ {CASE} }} }}
"""
ACCEPT = f"""
mutation ($input: AcceptRestructuringInput!) {{
  acceptRestructuring(input: $input) {{ {CASE} }}
}}
"""
ORGANISATION = """
query ($id: ID!, $asOf: Date) {
  organisation(id: $id, asOf: $asOf) {
    code status asOf parent { code } ancestors { code }
    formerCodes { code until }
    successors { on organisation { code } }
    predecessors { organisation { code } }
    parentHistory { since parent { code } }
  }
}
"""
CHILDREN = """
query ($id: ID!, $asOf: Date) {
  organisation(id: $id) { children(asOf: $asOf) { edges { node { code } } } }
}
"""
BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id code } }"
DECISION = {
    "decisionNumber": "1234-QĐ/TU",
    "signedOn": "2025-06-20",
    "signer": "Bí thư Thành ủy",
    "effectiveOn": "2025-07-01",
}


def error_code(body: dict[str, Any]) -> str:
    assert body.get("errors"), body
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def hand_over_to_the_end(service: ServiceUnderTest, case_id: str, given: str) -> Any:
    await service.execute_ok(DECIDE, {"input": {"caseId": case_id, **DECISION}})
    await service.execute_ok(
        HAND_OVER,
        {
            "input": {
                "caseId": case_id,
                "organisationId": given,
                "signedOn": "2025-06-28",
                "giverSigner": "Bí thư Đảng ủy phường Kim Mã",
                "receiverSigner": "Bí thư Đảng ủy phường Giảng Võ",
                "memberCount": 31,
            }
        },
    )
    data = await service.execute_ok(
        ACCEPT,
        {"input": {"caseId": case_id, "acceptedOn": "2025-07-01", "signer": "Bí thư Giảng Võ"}},
    )
    return data["acceptRestructuring"]


async def km_tdp01_handed_over_to_giang_vo_as_tdp09(
    service: ServiceUnderTest, residential_cells: int
) -> BaDinh:
    """Kim Mã and Giảng Võ, Kim Mã's cell TDP01 handed over to Giảng Võ with the code TDP09."""
    tree = await BaDinh(service).build(
        {"KM": "Kim Mã", "GV": "Giảng Võ"}, residential_cells=residential_cells
    )
    cell = tree.ids["KM-TDP01"]
    new_code = {"organisationId": cell, "code": tree.code("GV-TDP09")}
    request = {"kind": "HAND_OVER", "sourceIds": [cell], "receivingId": tree.ids["GV"]}
    opened = await service.execute_ok(OPEN, {"input": {**request, "newCodes": [new_code]}})
    await hand_over_to_the_end(service, opened["openRestructuring"]["id"], cell)
    return tree


async def test_a_cell_handed_over_to_another_ward_keeps_its_2019_parent_as_of_the_day_before(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "GV": "Giảng Võ"}, residential_cells=1)
    cell = tree.ids["KM-TDP01"]
    request = {"kind": "HAND_OVER", "sourceIds": [cell], "receivingId": tree.ids["GV"]}
    taken = await service.execute(OPEN, {"input": request})
    assert error_code(taken) == "CONFLICT"  # its default code under Giảng Võ is GV-TDP01's
    new_code = {"organisationId": cell, "code": tree.code("GV-TDP09")}
    opened = await service.execute_ok(OPEN, {"input": {**request, "newCodes": [new_code]}})
    case = opened["openRestructuring"]
    assert case["stage"] == "OPENED" and case["allowedSteps"] == ["ISSUE_DECISION"]

    done = await hand_over_to_the_end(service, case["id"], cell)

    assert done["stage"] == "COMPLETED" and done["treeApplied"]
    assert [e["toStage"] for e in done["auditTrail"]] == ["DECIDED", "HANDED_OVER", "COMPLETED"]
    assert done["handovers"][0]["memberCount"] == 31
    now = (await service.execute_ok(ORGANISATION, {"id": cell}))["organisation"]
    assert now["parent"]["code"] == tree.code("GV")
    assert now["code"] == tree.code("GV-TDP09")
    assert now["formerCodes"] == [{"code": tree.code("KM-TDP01"), "until": "2025-07-01"}]
    assert [p["since"] for p in now["parentHistory"]] == [None, "2025-07-01"]
    before = await service.execute_ok(ORGANISATION, {"id": cell, "asOf": "2025-06-30"})
    assert before["organisation"]["parent"]["code"] == tree.code("KM")
    assert before["organisation"]["code"] == tree.code("KM-TDP01")
    assert before["organisation"]["asOf"] == "2025-06-30"
    old = await service.execute_ok(CHILDREN, {"id": tree.ids["KM"], "asOf": "2019-10-01"})
    assert tree.code("KM-TDP01") in [
        e["node"]["code"] for e in old["organisation"]["children"]["edges"]
    ]
    new = await service.execute_ok(CHILDREN, {"id": tree.ids["KM"], "asOf": "2025-07-01"})
    assert tree.code("KM-TDP01") not in [
        e["node"]["code"] for e in new["organisation"]["children"]["edges"]
    ]
    subtree = """query ($id: ID!, $asOf: Date) { organisation(id: $id) {
        subtree(asOf: $asOf, kind: CELL, first: 200) {
          edges { node { code parent { code } } } } } }"""
    then = await service.execute_ok(subtree, {"id": tree.ids["HN"], "asOf": "2025-06-30"})
    cells = {
        e["node"]["code"]: e["node"]["parent"]["code"]
        for e in then["organisation"]["subtree"]["edges"]
    }
    assert cells[tree.code("KM-TDP01")] == tree.code("KM")
    after = await service.execute_ok(subtree, {"id": tree.ids["HN"], "asOf": "2025-07-01"})
    cells = {
        e["node"]["code"]: e["node"]["parent"]["code"]
        for e in after["organisation"]["subtree"]["edges"]
    }
    assert cells[tree.code("GV-TDP09")] == tree.code("GV") and tree.code("KM-TDP01") not in cells
    by_old_code = await service.execute_ok(BY_CODE, {"code": tree.code("KM-TDP01")})
    assert by_old_code["organisationByCode"]["id"] == cell

    for _ in range(50):
        completed = events.of_type("restructuring.completed.v1", case["id"])
        if completed:
            break
        await asyncio.sleep(0.1)
    data = completed[0]["data"]
    assert data["decision"]["number"] == "1234-QĐ/TU" and data["effectiveOn"] == "2025-07-01"
    assert data["moved"] == [
        {
            "organisationId": cell,
            "fromParentId": tree.ids["KM"],
            "toParentId": tree.ids["GV"],
            "code": tree.code("GV-TDP09"),
        }
    ]


async def test_organisations_stored_before_their_lookup_keys_resolve_old_codes_after_the_upgrade(
    service: ServiceUnderTest,
) -> None:
    tree = await km_tdp01_handed_over_to_giang_vo_as_tdp09(service, residential_cells=1)
    cell = tree.ids["KM-TDP01"]
    db = service.app.state.runtime.db
    await db["organisations"].update_many({}, {"$unset": {"codes_before": "", "parents_ever": ""}})
    await db["upgrades"].delete_one({"_id": LOOKUP_KEYS_WRITTEN})
    by_old_code = {"code": tree.code("KM-TDP01")}
    assert (await service.execute_ok(BY_CODE, by_old_code))["organisationByCode"] is None

    await service.app.state.dissolution.hierarchy.organisations.create_indexes()  # at start-up

    assert (await service.execute_ok(BY_CODE, by_old_code))["organisationByCode"]["id"] == cell
    old = await service.execute_ok(CHILDREN, {"id": tree.ids["KM"], "asOf": "2019-10-01"})
    children = [e["node"]["code"] for e in old["organisation"]["children"]["edges"]]
    assert tree.code("KM-TDP01") in children


async def test_wards_merged_into_a_new_ward_cease_and_name_their_successor(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "NK": "Ngọc Khánh"}, residential_cells=1)
    sources = [tree.ids["KM"], tree.ids["NK"]]
    unit = {"code": tree.code("KM"), "name": "Đảng ủy phường mới", "parentId": tree.ids["HN"]}
    taken = await service.execute(
        OPEN, {"input": {"kind": "MERGE_NEW", "sourceIds": sources, "newOrganisations": [unit]}}
    )
    assert (
        error_code(taken) == "CONFLICT"
    )  # a merged ward keeps its code: the new one needs its own
    opened = await service.execute_ok(
        OPEN,
        {
            "input": {
                "kind": "MERGE_NEW",
                "sourceIds": [tree.ids["KM"], tree.ids["NK"]],
                "newOrganisations": [
                    {
                        "code": tree.code("GV25"),
                        "name": "Đảng ủy phường Giảng Võ",
                        "parentId": tree.ids["HN"],
                    }
                ],
            }
        },
    )
    case = opened["openRestructuring"]
    await service.execute_ok(DECIDE, {"input": {"caseId": case["id"], **DECISION}})
    for ward in ("KM", "NK"):
        await service.execute_ok(
            HAND_OVER,
            {
                "input": {
                    "caseId": case["id"],
                    "organisationId": tree.ids[ward],
                    "signedOn": "2025-06-28",
                    "giverSigner": "Bí thư",
                    "receiverSigner": "Bí thư mới",
                    "memberCount": 300,
                }
            },
        )
    done = (
        await service.execute_ok(
            ACCEPT,
            {"input": {"caseId": case["id"], "acceptedOn": "2025-07-01", "signer": "Bí thư"}},
        )
    )["acceptRestructuring"]
    new_id = done["newOrganisations"][0]["id"]

    merged = (await service.execute_ok(ORGANISATION, {"id": tree.ids["KM"]}))["organisation"]
    assert merged["status"] == "MERGED"
    assert merged["successors"] == [
        {"on": "2025-07-01", "organisation": {"code": tree.code("GV25")}}
    ]
    formed = (await service.execute_ok(ORGANISATION, {"id": new_id}))["organisation"]
    assert formed["parent"]["code"] == tree.code("HN")
    assert sorted(p["organisation"]["code"] for p in formed["predecessors"]) == [
        tree.code("KM"),
        tree.code("NK"),
    ]
    cells = await service.execute_ok(CHILDREN, {"id": new_id, "asOf": None})
    assert sorted(e["node"]["code"] for e in cells["organisation"]["children"]["edges"]) == sorted(
        tree.code(c) for c in ("KM-CQ", "KM-TDP01", "NK-CQ", "NK-TDP01")
    )
    in_2019 = await service.execute_ok(ORGANISATION, {"id": tree.ids["KM"], "asOf": "2019-10-01"})
    assert in_2019["organisation"]["status"] == "ACTIVE"
    assert in_2019["organisation"]["parent"]["code"] == tree.code("BD")
    not_yet = await service.execute(ORGANISATION, {"id": new_id, "asOf": "2025-06-30"})
    assert error_code(not_yet) == "NOT_FOUND"


async def test_a_merge_into_a_merged_organisation_is_refused_and_changes_nothing(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "NK": "Ngọc Khánh", "GV": "Giảng Võ"}, 1)
    first = (
        await service.execute_ok(
            OPEN,
            {
                "input": {
                    "kind": "MERGE_INTO",
                    "sourceIds": [tree.ids["NK"]],
                    "receivingId": tree.ids["GV"],
                }
            },
        )
    )["openRestructuring"]
    await service.execute_ok(DECIDE, {"input": {"caseId": first["id"], **DECISION}})
    await service.execute_ok(
        HAND_OVER,
        {
            "input": {
                "caseId": first["id"],
                "organisationId": tree.ids["NK"],
                "signedOn": "2025-06-28",
                "giverSigner": "A",
                "receiverSigner": "B",
                "memberCount": 1,
            }
        },
    )
    await service.execute_ok(
        ACCEPT, {"input": {"caseId": first["id"], "acceptedOn": "2025-07-01", "signer": "B"}}
    )

    into_merged = await service.execute(
        OPEN,
        {
            "input": {
                "kind": "MERGE_INTO",
                "sourceIds": [tree.ids["KM"]],
                "receivingId": tree.ids["NK"],
            }
        },
    )
    assert error_code(into_merged) == "BAD_USER_INPUT"
    assert "MERGED" in into_merged["errors"][0]["message"]
    cycle = await service.execute(
        OPEN,
        {
            "input": {
                "kind": "HAND_OVER",
                "sourceIds": [tree.ids["BD"]],
                "receivingId": tree.ids["KM"],
            }
        },
    )
    assert error_code(cycle) == "BAD_USER_INPUT"
    other_city = await BaDinh(service).build({"HD": "Hải Dương"}, 1)
    across = await service.execute(
        OPEN,
        {
            "input": {
                "kind": "HAND_OVER",
                "sourceIds": [tree.ids["KM-TDP01"]],
                "receivingId": other_city.ids["HD"],
            }
        },
    )
    assert error_code(across) == "BAD_USER_INPUT"
    assert "another city" in across["errors"][0]["message"]
    cases = await service.execute_ok("query { restructuringCases { sources { id } } }")
    given = {s["id"] for c in cases["restructuringCases"] for s in c["sources"]}
    assert tree.ids["KM"] not in given and tree.ids["BD"] not in given
    assert tree.ids["KM-TDP01"] not in given
    km = (await service.execute_ok(ORGANISATION, {"id": tree.ids["KM"]}))["organisation"]
    assert km["status"] == "ACTIVE" and km["parent"]["code"] == tree.code("BD")


async def test_steps_out_of_order_are_invalid_transitions(service: ServiceUnderTest) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "GV": "Giảng Võ"}, residential_cells=1)
    case = (
        await service.execute_ok(
            OPEN,
            {
                "input": {
                    "kind": "HAND_OVER",
                    "sourceIds": [tree.ids["KM-CQ"]],
                    "receivingId": tree.ids["GV"],
                    "newCodes": [
                        {"organisationId": tree.ids["KM-CQ"], "code": tree.code("GV-CQ2")}
                    ],
                }
            },
        )
    )["openRestructuring"]
    early = await service.execute(
        ACCEPT, {"input": {"caseId": case["id"], "acceptedOn": "2025-07-01", "signer": "B"}}
    )
    assert error_code(early) == "INVALID_TRANSITION"
    record_first = await service.execute(
        HAND_OVER,
        {
            "input": {
                "caseId": case["id"],
                "organisationId": tree.ids["KM-CQ"],
                "signedOn": "2025-06-28",
                "giverSigner": "A",
                "receiverSigner": "B",
                "memberCount": 1,
            }
        },
    )
    assert error_code(record_first) == "INVALID_TRANSITION"
    again = await service.execute(
        OPEN,
        {
            "input": {
                "kind": "HAND_OVER",
                "sourceIds": [tree.ids["KM-CQ"]],
                "receivingId": tree.ids["GV"],
            }
        },
    )
    assert error_code(again) == "CONFLICT"


async def test_a_campaign_counts_its_cases_by_stage(service: ServiceUnderTest) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "GV": "Giảng Võ"}, residential_cells=2)
    campaign = (
        await service.execute_ok(
            """mutation ($input: LaunchRestructuringCampaignInput!) {
              launchRestructuringCampaign(input: $input) { id }
            }""",
            {"input": {"title": "Đề án sắp xếp 2025", "organisationId": tree.ids["HN"]}},
        )
    )["launchRestructuringCampaign"]
    case_ids = []
    for cell in ("KM-TDP01", "KM-TDP02"):
        opened = await service.execute_ok(
            OPEN,
            {
                "input": {
                    "kind": "HAND_OVER",
                    "sourceIds": [tree.ids[cell]],
                    "receivingId": tree.ids["GV"],
                    "campaignId": campaign["id"],
                    "newCodes": [
                        {"organisationId": tree.ids[cell], "code": tree.code(f"GV-{cell}")}
                    ],
                }
            },
        )
        case_ids.append(opened["openRestructuring"]["id"])
    await hand_over_to_the_end(service, case_ids[0], tree.ids["KM-TDP01"])

    progress = await service.execute_ok(
        """query ($id: ID!) { restructuringCampaign(id: $id) {
            progress { totalCases completedCases byStage { stage count } } cases { id } } }""",
        {"id": campaign["id"]},
    )
    found = progress["restructuringCampaign"]
    assert found["progress"]["totalCases"] == 2 and found["progress"]["completedCases"] == 1
    counts = {s["stage"]: s["count"] for s in found["progress"]["byStage"]}
    assert counts["OPENED"] == 1 and counts["COMPLETED"] == 1
    assert sorted(c["id"] for c in found["cases"]) == sorted(case_ids)


async def test_the_city_committee_runs_a_hand_over_and_a_ward_outside_it_may_not(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "GV": "Giảng Võ"}, residential_cells=1)
    city = Principal("city", "Thành ủy", (Grant(Role.CITY_COMMITTEE, tree.ids["HN"]),))
    ward = Principal("ward", "Phường Kim Mã", (Grant(Role.WARD_COMMITTEE, tree.ids["KM"]),))
    request = {
        "kind": "HAND_OVER",
        "sourceIds": [tree.ids["KM-TDP01"]],
        "receivingId": tree.ids["GV"],
        "newCodes": [{"organisationId": tree.ids["KM-TDP01"], "code": tree.code("GV-TDP07")}],
    }
    refused = await service.execute(OPEN, {"input": request}, principal=ward)
    assert error_code(refused) == "FORBIDDEN"
    case = (await service.execute_ok(OPEN, {"input": request}, principal=city))["openRestructuring"]
    await service.execute_ok(DECIDE, {"input": {"caseId": case["id"], **DECISION}}, principal=city)
    await service.execute_ok(
        HAND_OVER,
        {
            "input": {
                "caseId": case["id"],
                "organisationId": tree.ids["KM-TDP01"],
                "signedOn": "2025-06-28",
                "giverSigner": "A",
                "receiverSigner": "B",
                "memberCount": 1,
            }
        },
        principal=ward,
    )
    not_receiving = await service.execute(
        ACCEPT,
        {"input": {"caseId": case["id"], "acceptedOn": "2025-07-01", "signer": "B"}},
        principal=ward,
    )
    assert error_code(not_receiving) == "FORBIDDEN"
    receiving = Principal("gv", "Phường Giảng Võ", (Grant(Role.WARD_COMMITTEE, tree.ids["GV"]),))
    done = await service.execute_ok(
        ACCEPT,
        {"input": {"caseId": case["id"], "acceptedOn": "2025-07-01", "signer": "B"}},
        principal=receiving,
    )
    assert done["acceptRestructuring"]["stage"] == "COMPLETED"
    created = await service.execute(
        "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }",
        {
            "input": {
                "code": tree.code("GV-NEW"),
                "name": "Chi bộ mới",
                "kind": "CELL",
                "cellType": "OTHER",
                "parentId": tree.ids["GV"],
            }
        },
        principal=city,
    )
    assert not created.get("errors"), created


async def test_a_ward_split_in_two_shares_its_cells_and_names_both_successors(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã"}, residential_cells=1)
    units = [
        {"code": tree.code("KM-A"), "name": "Đảng ủy phường A", "parentId": tree.ids["BD"]},
        {"code": tree.code("KM-B"), "name": "Đảng ủy phường B", "parentId": tree.ids["BD"]},
    ]
    incomplete = await service.execute(
        OPEN,
        {
            "input": {
                "kind": "SPLIT",
                "sourceIds": [tree.ids["KM"]],
                "newOrganisations": [
                    {**units[0], "childIds": [tree.ids["KM-CQ"]]},
                    {**units[1], "childIds": []},
                ],
            }
        },
    )
    assert error_code(incomplete) == "BAD_USER_INPUT"  # TDP01 goes nowhere
    case = (
        await service.execute_ok(
            OPEN,
            {
                "input": {
                    "kind": "SPLIT",
                    "sourceIds": [tree.ids["KM"]],
                    "newOrganisations": [
                        {**units[0], "childIds": [tree.ids["KM-CQ"]]},
                        {**units[1], "childIds": [tree.ids["KM-TDP01"]]},
                    ],
                }
            },
        )
    )["openRestructuring"]
    await service.execute_ok(DECIDE, {"input": {"caseId": case["id"], **DECISION}})
    await service.execute_ok(
        HAND_OVER,
        {
            "input": {
                "caseId": case["id"],
                "organisationId": tree.ids["KM"],
                "signedOn": "2025-06-28",
                "giverSigner": "A",
                "receiverSigner": "B",
                "memberCount": 40,
            }
        },
    )
    await service.execute_ok(
        ACCEPT, {"input": {"caseId": case["id"], "acceptedOn": "2025-07-01", "signer": "B"}}
    )

    split = (await service.execute_ok(ORGANISATION, {"id": tree.ids["KM"]}))["organisation"]
    assert split["status"] == "SPLIT"
    assert sorted(s["organisation"]["code"] for s in split["successors"]) == [
        tree.code("KM-A"),
        tree.code("KM-B"),
    ]
    cq = (await service.execute_ok(ORGANISATION, {"id": tree.ids["KM-CQ"]}))["organisation"]
    assert cq["parent"]["code"] == tree.code("KM-A")
    tdp = (await service.execute_ok(ORGANISATION, {"id": tree.ids["KM-TDP01"]}))["organisation"]
    assert tdp["parent"]["code"] == tree.code("KM-B")


async def test_a_district_committee_ends_once_its_wards_are_merged_away(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"KM": "Kim Mã", "NK": "Ngọc Khánh"}, residential_cells=1)
    end = {"kind": "END", "sourceIds": [tree.ids["BD"]], "receivingId": tree.ids["HN"]}
    cell = await service.execute(
        OPEN, {"input": {**end, "sourceIds": [tree.ids["KM-CQ"]], "receivingId": tree.ids["KM"]}}
    )
    assert error_code(cell) == "BAD_USER_INPUT"  # a cell ends by dissolution
    below = await service.execute(OPEN, {"input": {**end, "receivingId": tree.ids["KM"]}})
    assert error_code(below) == "BAD_USER_INPUT"  # the records go up, not down
    ending = (await service.execute_ok(OPEN, {"input": end}))["openRestructuring"]
    await service.execute_ok(DECIDE, {"input": {"caseId": ending["id"], **DECISION}})
    await service.execute_ok(HAND_OVER, {"input": record_of(ending["id"], tree.ids["BD"])})
    accepted = await service.execute(ACCEPT, {"input": acceptance_of(ending["id"])})
    assert error_code(accepted) == "BAD_USER_INPUT"  # its two wards are still active
    assert "2 active" in accepted["errors"][0]["message"]
    merging = (
        await service.execute_ok(
            OPEN,
            {
                "input": {
                    "kind": "MERGE_NEW",
                    "sourceIds": [tree.ids["KM"], tree.ids["NK"]],
                    "newOrganisations": [
                        {"code": tree.code("GV25"), "name": "Giảng Võ", "parentId": tree.ids["HN"]}
                    ],
                }
            },
        )
    )["openRestructuring"]
    await service.execute_ok(DECIDE, {"input": {"caseId": merging["id"], **DECISION}})
    for ward in ("KM", "NK"):
        await service.execute_ok(HAND_OVER, {"input": record_of(merging["id"], tree.ids[ward])})
    await service.execute_ok(ACCEPT, {"input": acceptance_of(merging["id"])})

    ended = (await service.execute_ok(ACCEPT, {"input": acceptance_of(ending["id"])}))[
        "acceptRestructuring"
    ]
    assert ended["stage"] == "COMPLETED" and ended["treeApplied"]
    district = (await service.execute_ok(ORGANISATION, {"id": tree.ids["BD"]}))["organisation"]
    assert district["status"] == "ENDED" and district["successors"] == []
    in_2019 = await service.execute_ok(ORGANISATION, {"id": tree.ids["BD"], "asOf": "2019-10-01"})
    assert in_2019["organisation"]["status"] == "ACTIVE"
    again = await service.execute(ACCEPT, {"input": acceptance_of(ending["id"])})
    assert error_code(again) == "INVALID_TRANSITION"


def record_of(case_id: str, organisation_id: str) -> dict[str, Any]:
    return {
        "caseId": case_id,
        "organisationId": organisation_id,
        "signedOn": "2025-06-28",
        "giverSigner": "Bí thư",
        "receiverSigner": "Bí thư Thành ủy",
        "memberCount": 0,
    }


def acceptance_of(case_id: str) -> dict[str, Any]:
    return {"caseId": case_id, "acceptedOn": "2025-07-01", "signer": "Bí thư Thành ủy"}
