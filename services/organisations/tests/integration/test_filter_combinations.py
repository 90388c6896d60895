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
        "placementDataAccessLog",
        {
            "personId": ("ID", "member-1"),
            "subject": ("String", "tester"),
            "since": ("DateTime", "2019-01-01T00:00:00Z"),
            "until": ("DateTime", "2030-01-01T00:00:00Z"),
        },
        "{ at }",
    )
    assert calls == 16 + 4 + 4 + 8 + 2 + 16
