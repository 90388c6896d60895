"""A dissolved cell of 100 members through the gateway with the bulk steps: one call for the
introduction letters, one for the receptions; the evaluations roster follows and the
organisations service closes the case."""

import asyncio
import time

from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.test_members_dissolution import ANNOUNCE, GiangVo, step

MEMBERS = 100
CASE = """
query ($id: ID!) {
  dissolutionCase(id: $id) {
    stage
    transferProgress { total members awaitingIntroduction introduced received }
  }
}
"""
INTRODUCE = """
mutation ($case: ID!) {
  issueIntroductions(input: {transfers: {caseId: $case}, letterSeries: "GGT/ĐU",
    issuedOn: "2019-10-01", checklist: {memberRecordSheet: true, sealedMemberFile: true,
      partyCardOrAdmissionFile: true, lastSelfReview: true, duesPaidThrough: "2019-09"}}) {
    done unchanged refused items { transferId outcome transfer { letterNo reportBy } }
  }
}
"""
RECEIVE = """
mutation ($case: ID!) {
  receiveTransfers(input: {transfers: {caseId: $case}, receivedOn: "2019-10-08"}) {
    done unchanged refused
  }
}
"""
EVALUATED = """
query ($ward: ID!, $agency: ID!) {
  ward: evaluations(organisationId: $ward, period: "2019-10") { organisation { id } }
  agency: evaluations(organisationId: $agency, period: "2019-10") { id }
}
"""
PLACES = "query ($cell: ID!) { organisation(id: $cell) { memberCount } }"


async def staffed(gateway: Gateway) -> GiangVo:
    ward = await GiangVo(gateway).build()
    await eventually(lambda: ward.register(1), timeout=30)  # the members service knows the cells
    for first in range(2, MEMBERS + 1, 20):
        numbers = range(first, min(first + 20, MEMBERS + 1))
        await asyncio.gather(*(ward.register(n) for n in numbers))
    return ward


async def test_a_cell_of_100_is_introduced_and_received_in_two_calls_and_its_case_closed(
    gateway: Gateway,
) -> None:
    ward = await staffed(gateway)
    case_id = await ward.decide()

    async def all_created() -> None:
        case = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        assert case["transferProgress"]["awaitingIntroduction"] == MEMBERS

    await eventually(all_created, timeout=60)
    await step(gateway, case_id, ANNOUNCE)

    started = time.perf_counter()
    letters = (await gateway.execute_ok(INTRODUCE, {"case": case_id}))["issueIntroductions"]
    received = (await gateway.execute_ok(RECEIVE, {"case": case_id}))["receiveTransfers"]
    print(f"\n{MEMBERS} introduced and received in {time.perf_counter() - started:.2f}s")

    assert (letters["done"], letters["refused"]) == (MEMBERS, 0)
    numbers = sorted(int(item["transfer"]["letterNo"].split("-")[0]) for item in letters["items"])
    assert numbers == list(range(1, MEMBERS + 1))
    assert {item["transfer"]["reportBy"] for item in letters["items"]} == {"2019-11-12"}
    assert (received["done"], received["refused"]) == (MEMBERS, 0)
    again = (await gateway.execute_ok(RECEIVE, {"case": case_id}))["receiveTransfers"]
    assert (again["done"], again["unchanged"]) == (0, MEMBERS)
    agency = await gateway.execute_ok(PLACES, {"cell": ward.ids["CQ"]})
    assert agency["organisation"]["memberCount"] == 0

    residential = {ward.ids[f"TDP{n:02d}"] for n in range(1, 15)}

    async def roster_moved() -> None:
        evaluated = await gateway.execute_ok(
            EVALUATED, {"ward": ward.ids["GV"], "agency": ward.ids["CQ"]}
        )
        assert evaluated["agency"] == []
        cells = [e["organisation"]["id"] for e in evaluated["ward"]]
        assert len(cells) == MEMBERS and set(cells) == residential

    async def closed() -> None:
        case = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        assert (case["stage"], case["transferProgress"]["received"]) == ("CLOSED", MEMBERS)

    await eventually(roster_moved, timeout=60)
    await eventually(closed, timeout=60)
