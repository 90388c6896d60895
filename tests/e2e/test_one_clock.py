"""One clock: `setToday` (development only) at the organisations service sets today for the
members and evaluations services too, by event — a transfer's overdue flag and a task's
default date follow it."""

from typing import Any

from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.test_members_dissolution import INTRODUCE, REQUEST, GiangVo

OVERDUE = "query ($id: ID!) { transfer(id: $id) { reportBy overdue } }"
ASSIGN = """
mutation ($member: ID!) {
  assignTask(input: {memberId: $member, period: "2019-11", task: "Trực tổ dân phố"}) {
    assignedOn
  }
}"""


async def test_set_today_moves_every_services_today(gateway: Gateway) -> None:
    ward = await GiangVo(gateway).build()
    member = await eventually(lambda: ward.register(1), timeout=30)

    async def requested() -> str:
        data = await gateway.execute_ok(
            REQUEST,
            {
                "input": {
                    "memberId": member,
                    "kind": "INTERNAL",
                    "reason": "RELOCATION",
                    "requestedOn": "2019-09-20",
                    "toOrganisationId": ward.ids["TDP02"],
                }
            },
        )
        return str(data["requestTransfer"]["id"])

    transfer = await eventually(requested, timeout=30)
    await gateway.execute_ok(INTRODUCE, {"id": transfer, "letter": "09-GGT/ĐU"})
    try:
        for day, overdue in (("2019-11-12", False), ("2019-11-13", True)):
            await gateway.execute_ok(
                "mutation ($day: Date) { setToday(today: $day) }", {"day": day}
            )

            async def members_agree(day: str = day, overdue: bool = overdue) -> None:
                data: dict[str, Any] = await gateway.execute_ok(OVERDUE, {"id": transfer})
                assert data["transfer"] == {"reportBy": "2019-11-12", "overdue": overdue}, day

            await eventually(members_agree, timeout=30)

        async def evaluations_agree() -> None:
            data: dict[str, Any] = await gateway.execute_ok(ASSIGN, {"member": member})
            assert data["assignTask"]["assignedOn"] == "2019-11-13"

        await eventually(evaluations_agree, timeout=30)
    finally:
        await gateway.execute_ok("mutation { setToday(today: null) }")
