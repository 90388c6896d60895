"""The evaluations demo, loaded twice through the gateway after Giảng Võ's agency cell is
dissolved and its members received by residential cells."""

import uuid
from typing import Any

from infra.demo import dissolution, organisations
from infra.demo import evaluations as demo
from infra.demo.client import DemoGateway
from tests.e2e.conftest import Gateway

REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
CELL = 'query { organisationByCode(code: "HN-BD-GV-CQ") { id members { id } } }'
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
INTRODUCE = """
mutation ($id: ID!, $n: String!) {
  issueIntroduction(id: $id, letterNo: $n, issuedOn: "2019-10-01") { state }
}"""
RECEIVE = 'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-04") { state } }'
TRANSFERS = "query ($id: ID!) { dissolutionCase(id: $id) { stage transfers { id state } } }"


async def given_giang_vo_members_received_by_residential_cells(
    gateway: Gateway, demo_gateway: DemoGateway
) -> None:
    async def organisations_loaded() -> bool:
        # idempotent, so a load cut short by a subgraph timeout is simply taken again
        await organisations.load(demo_gateway)
        return True

    await demo_gateway.eventually(organisations_loaded, timeout=180)
    agency = (await gateway.execute_ok(CELL))["organisationByCode"]
    tag = uuid.uuid4().hex[:6]
    if not agency["members"]:
        for n in range(6):
            member = {
                "cardNumber": f"GV{tag}{n}",
                "fullName": f"Cán bộ phường {n}",
                "dateOfBirth": "1982-02-02",
                "gender": "FEMALE",
                "standing": "OFFICIAL",
                "admittedOn": "2008-05-19",
                "officialOn": "2009-05-19",
                "organisationId": agency["id"],
                "residence": {
                    "address": f"Ngõ {n}, Giảng Võ",
                    "residentialGroup": f"TDP {n % 3 + 1}",
                },
                "workplace": {"name": "UBND phường Giảng Võ", "role": "CADRE"},
            }
            await demo_gateway.eventually(
                lambda m=member: demo_gateway.execute(REGISTER, {"input": m})
            )
    cases = (await gateway.execute_ok(dissolution.CASES))["dissolutionCases"]
    case = next(c for c in cases if c["cell"]["code"] == "HN-BD-GV-CQ")
    await dissolution.walk_case(demo_gateway, case, "GV")

    async def transfers() -> list[dict[str, Any]]:
        found = (await gateway.execute_ok(TRANSFERS, {"id": case["id"]}))["dissolutionCase"]
        return list(found["transfers"]) if len(found["transfers"]) >= 6 else []

    for number, transfer in enumerate(await demo_gateway.eventually(transfers), start=1):
        if transfer["state"] == "AWAITING_INTRODUCTION":
            await gateway.execute_ok(INTRODUCE, {"id": transfer["id"], "n": f"{number}-GGT"})
            transfer["state"] = "INTRODUCED"
        if transfer["state"] == "INTRODUCED":
            await gateway.execute_ok(RECEIVE, {"id": transfer["id"]})


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
    await given_giang_vo_members_received_by_residential_cells(gateway, demo_gateway)
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
