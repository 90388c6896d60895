"""Every list query with every combination of its optional filters, so the session's index
check (conftest.py) sees each query shape the API can send, not only those a test happened to
use."""

from kit.testing import ServiceUnderTest, ask_every_combination

from services.organisations.tests.integration.support import BaDinh

LAUNCH_RESTRUCTURING = """
mutation ($input: LaunchRestructuringCampaignInput!) {
  launchRestructuringCampaign(input: $input) { id }
}
"""


async def test_every_list_query_answers_every_combination_of_its_filters(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
    campaign = await tree.launch(["GV"])
    restructuring = await service.execute_ok(
        LAUNCH_RESTRUCTURING,
        {"input": {"title": "Sáp nhập", "organisationId": tree.ids["BD"]}},
    )
    calls = 0
    calls += await ask_every_combination(
        service,
        "dissolutionCases",
        {
            "campaignId": ("ID", campaign["id"]),
            "stage": ("Stage", "OPENED"),
            "overdue": ("Boolean", False),
            "wardCommitteeId": ("ID", tree.ids["GV"]),
        },
        "{ id }",
    )
    calls += await ask_every_combination(
        service,
        "cases",
        {"stage": ("Stage", "OPENED"), "overdue": ("Boolean", True)},
        "{ id }",
        around=("campaign(id: $campaign) {", "}"),
        given={"campaign": ("ID!", campaign["id"])},
    )
    calls += await ask_every_combination(
        service,
        "campaigns",
        {
            "districtCommitteeId": ("ID", tree.ids["BD"]),
            "directiveNumber": ("String", tree.directive_number),
        },
        "{ id }",
    )
    calls += await ask_every_combination(
        service,
        "restructuringCases",
        {
            "campaignId": ("ID", restructuring["launchRestructuringCampaign"]["id"]),
            "stage": ("RestructuringStage", "OPENED"),
            "kind": ("RestructuringKind", "MERGE_INTO"),
        },
        "{ id }",
    )
    calls += await ask_every_combination(
        service,
        "cases",
        {"stage": ("RestructuringStage", "DECIDED")},
        "{ id }",
        around=("restructuringCampaign(id: $campaign) {", "}"),
        given={"campaign": ("ID!", restructuring["launchRestructuringCampaign"]["id"])},
    )
    calls += await ask_every_combination(
        service,
        "organisations",
        {
            "kind": ("OrganisationKind", "CELL"),
            "parentId": ("ID", tree.ids["GV"]),
            "status": ("OrganisationStatus", "ACTIVE"),
            "search": ("String", "giang vo"),
            "cellType": ("CellType", "AGENCY"),
            "withinId": ("ID", tree.ids["BD"]),
        },
        "{ totalCount edges { node { id } } pageInfo { endCursor } }",
    )
    calls += await ask_every_combination(
        service,
        "children",
        {
            "kind": ("OrganisationKind", "CELL"),
            "cellType": ("CellType", "RESIDENTIAL"),
            "status": ("OrganisationStatus", "ACTIVE"),
            "asOf": ("Date", "2019-09-01"),
        },
        "{ edges { node { id } } }",
        around=("organisation(id: $ward) {", "}"),
        given={"ward": ("ID!", tree.ids["GV"])},
    )
    calls += await ask_every_combination(
        service,
        "placementDataAccessLog",
        {
            "personId": ("ID", "member-1"),
            "subject": ("String", "tester"),
            "since": ("DateTime", "2019-01-01T00:00:00Z"),
            "until": ("DateTime", "2030-01-01T00:00:00Z"),
        },
        "{ at }",
    )
    assert calls == 16 + 4 + 4 + 8 + 2 + 64 + 16 + 16


PAGE = """
query ($within: ID!, $status: OrganisationStatus!, $after: String) {
  organisations(withinId: $within, kind: CELL, cellType: RESIDENTIAL, status: $status,
                first: 1, after: $after) {
    totalCount edges { node { code } } pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_filters_no_one_index_serves_still_page_in_code_order(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"}, residential_cells=2)
    asked = {"within": tree.ids["GV"], "status": "ACTIVE"}
    one = (await service.execute_ok(PAGE, asked))["organisations"]
    after = one["pageInfo"]["endCursor"]
    two = (await service.execute_ok(PAGE, {**asked, "after": after}))["organisations"]
    none = await service.execute_ok(PAGE, {**asked, "status": "DISSOLVED"})

    assert (one["totalCount"], one["pageInfo"]["hasNextPage"]) == (2, True)
    assert (two["totalCount"], two["pageInfo"]["hasNextPage"]) == (2, False)
    codes = [edge["node"]["code"] for edge in one["edges"] + two["edges"]]
    assert codes == [tree.code("GV-TDP01"), tree.code("GV-TDP02")]
    assert none["organisations"]["totalCount"] == 0 and none["organisations"]["edges"] == []
