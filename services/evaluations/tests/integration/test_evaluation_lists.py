from typing import Any

from evaluations.domain import EvaluationState
from kit.testing import ServiceUnderTest

from services.evaluations.tests.integration.test_nested_fields_batched import (
    a_varied_ward,
    use_cases_of,
)

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


STATE_PAGE = """
query ($ward: ID!, $state: EvaluationState, $after: String) {
  evaluationConnection(organisationId: $ward, period: "2019", state: $state, first: 4,
                       after: $after) {
    totalCount
    edges { cursor node { id state } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def test_a_wards_finalised_evaluations_come_from_the_store_a_page_at_a_time(
    scenario: Any, service: ServiceUnderTest
) -> None:
    use_cases = use_cases_of(service)
    ward = await a_varied_ward(scenario, use_cases)
    finalised = await use_cases.evaluations.evaluations_in(ward, "2019", EvaluationState.FINALISED)

    pages, after = [], None
    while True:
        variables = {"ward": ward, "state": "FINALISED", "after": after}
        page = (await service.execute_ok(STATE_PAGE, variables))["evaluationConnection"]
        pages.append(page)
        info, edges = page["pageInfo"], page["edges"]
        assert info["hasPreviousPage"] is (after is not None)
        assert (info["startCursor"], info["endCursor"]) == (edges[0]["cursor"], edges[-1]["cursor"])
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]

    listed = [edge["node"]["id"] for page in pages for edge in page["edges"]]
    in_member_order = sorted(finalised, key=lambda e: e.member_id)
    assert listed == [evaluation.id for evaluation in in_member_order]
    assert [len(page["edges"]) for page in pages] == [4, 4, 4]  # the last one full: no more
    assert {page["totalCount"] for page in pages} == {len(finalised)} == {12}
    assert {edge["node"]["state"] for page in pages for edge in page["edges"]} == {"FINALISED"}
