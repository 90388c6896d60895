"""A member registered in the agency cell after its dissolution was decided gets a transfer of
the case too; the case does not close while they are in the cell, and once everyone has been
received nobody joins it: organisations → members → organisations, through the gateway."""

from typing import Any

from kit.clock import Clock
from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.test_members_dissolution import (
    ANNOUNCE,
    CASE,
    DECIDE,
    PLACES,
    REGISTER,
    GiangVo,
    code_of,
    step,
)

INTRODUCE = """
mutation ($id: ID!, $on: Date!) { issueIntroduction(id: $id, letterNo: "20-GGT/ĐU", issuedOn: $on)
  { state } }
"""
RECEIVE = "mutation ($id: ID!, $on: Date!) { receiveTransfer(id: $id, receivedOn: $on) { state } }"
# the cell is dissolved from a day still to come: until then a registration is possible
LATER_DECISION = (DECIDE[0], DECIDE[1], {**DECIDE[2], "effectiveOn": "2099-01-01"})


async def test_a_member_registered_after_the_decision_is_transferred_before_the_case_closes(
    gateway: Gateway,
) -> None:
    ward = await GiangVo(gateway).build()
    await eventually(lambda: ward.register(1), timeout=30)
    await ward.register(2)
    case_id = await ward.decide(LATER_DECISION)

    async def with_total(total: int) -> dict[str, Any]:
        case: dict[str, Any] = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        assert case["transferProgress"]["total"] == total
        return case

    await eventually(lambda: with_total(2), timeout=30)
    latecomer = await ward.register(3)  # lives in TDP 3
    case = await eventually(lambda: with_total(3), timeout=30)
    [late] = [t for t in case["transfers"] if t["member"]["id"] == latecomer]
    assert late["to"]["id"] == ward.ids["TDP03"]

    await step(gateway, case_id, ANNOUNCE)
    today = Clock().today().isoformat()  # the latecomer's transfer was requested today
    for transfer in case["transfers"]:
        await gateway.execute_ok(INTRODUCE, {"id": transfer["id"], "on": today})
    for transfer in case["transfers"]:
        if transfer["id"] != late["id"]:
            await gateway.execute_ok(RECEIVE, {"id": transfer["id"], "on": today})
    still = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
    assert still["stage"] == "ANNOUNCED"
    agency = await gateway.execute_ok(PLACES, {"cell": ward.ids["CQ"]})
    assert agency["organisation"]["memberCount"] == 1

    await gateway.execute_ok(RECEIVE, {"id": late["id"], "on": today})

    async def closed() -> None:
        data = await gateway.execute_ok(CASE, {"id": case_id})
        assert data["dissolutionCase"]["stage"] == "CLOSED"

    await eventually(closed, timeout=60)
    refused = await gateway.execute(REGISTER, {"input": ward.member_input(4)})
    assert code_of(refused) == "CONFLICT"
