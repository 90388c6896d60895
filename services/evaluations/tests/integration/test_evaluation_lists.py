from typing import Any

from kit.testing import ServiceUnderTest

PAGE = """
query ($ward: ID!, $after: String) {
  evaluationConnection(organisationId: $ward, period: "2019-10", first: 2, after: $after) {
    totalCount
    edges { cursor node { state member { id } organisation { id } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_a_wards_evaluations_come_a_page_at_a_time_drafts_included(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ward, (agency, first, second) = await scenario.ward()
    members = [await scenario.member(cell) for cell in (first, first, second)]
    await scenario.until_evaluated_by(members[-1], "2019-10", second)
    await scenario.until_known(district, ward, agency, first, second)

    one = (await service.execute_ok(PAGE, {"ward": ward}))["evaluationConnection"]
    after = one["pageInfo"]["endCursor"]
    two = (await service.execute_ok(PAGE, {"ward": ward, "after": after}))["evaluationConnection"]

    assert (one["totalCount"], len(one["edges"]), one["pageInfo"]["hasNextPage"]) == (3, 2, True)
    assert (len(two["edges"]), two["pageInfo"]["hasNextPage"]) == (1, False)
    listed = [edge["node"]["member"]["id"] for edge in one["edges"] + two["edges"]]
    assert sorted(listed) == sorted(members)
    assert {edge["node"]["state"] for edge in one["edges"] + two["edges"]} == {"DRAFT"}


async def test_a_foreign_cursor_is_refused(scenario: Any, service: ServiceUnderTest) -> None:
    _, ward, _ = await scenario.ward()
    refused = await service.execute(PAGE, {"ward": ward, "after": "bm90LWhlcmU="})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert refused["errors"][0]["extensions"]["field"] == "after"
