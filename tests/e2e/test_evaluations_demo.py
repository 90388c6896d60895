"""The evaluations demo, loaded twice through the gateway after Giảng Võ's agency cell is
dissolved and its members received by residential cells."""

from typing import Any

import pytest

from infra.demo import dissolution, members, organisations
from infra.demo import evaluations as demo
from infra.demo.client import DemoGateway
from tests.e2e.conftest import Gateway

# the first e2e test to run loads the whole demo, every request authorised, on a shared FerretDB
pytestmark = pytest.mark.timeout(900)

WARD = 'query { organisationByCode(code: "HN-BD-GV") { id } }'
SUMMARY = """
query ($id: ID!, $period: String!) {
  organisation(id: $id) {
    evaluationSummary(period: $period) {
      evaluated drafts proposalsWaiting finalised
      ratings { rating count }
      missingWorkplaceAssessmentCount
    }
  }
}"""


async def given_giang_vo_members_received_by_residential_cells(demo_gateway: DemoGateway) -> None:
    """The demo's own story up to the relocation; every step is idempotent, so a step cut
    short (a subgraph timeout on a loaded machine) is simply taken again."""

    async def loaded_up_to_the_relocation() -> bool:
        for step in (organisations, members, dissolution):
            await step.load(demo_gateway)
        return True

    await demo_gateway.eventually(loaded_up_to_the_relocation, timeout=300)


async def summaries(gateway: Gateway, ward: str) -> dict[str, Any]:
    return {
        period: (await gateway.execute_ok(SUMMARY, {"id": ward, "period": period}))["organisation"][
            "evaluationSummary"
        ]
        for period in demo.PERIODS
    }


async def test_the_evaluations_demo_ranks_the_moved_members_and_loading_it_again_adds_nothing(
    gateway: Gateway, demo_gateway: DemoGateway
) -> None:
    await given_giang_vo_members_received_by_residential_cells(demo_gateway)
    ward = (await gateway.execute_ok(WARD))["organisationByCode"]["id"]

    await demo.load(demo_gateway)
    first = await summaries(gateway, ward)
    await demo.load(demo_gateway)
    again = await summaries(gateway, ward)

    assert again == first
    moved = len(await demo.moved_members(demo_gateway))
    assert moved >= 6
    october, november, december, year = (first[p] for p in demo.PERIODS)
    assert october["finalised"] == november["finalised"] == moved
    assert december["proposalsWaiting"] == moved
    assert (year["finalised"], year["proposalsWaiting"]) == (moved - 4, 4)
    assert all(first[p]["missingWorkplaceAssessmentCount"] == 0 for p in demo.PERIODS)
