"""An overdue transfer needs its reason: the late ones without one are a list of their own
until the reason is recorded, and each names where its deadline comes from."""

from typing import Any

from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.test_members_dissolution import INTRODUCE, REQUEST, GiangVo

LATE_WITHOUT_REASON = """
query ($cell: ID!) {
  transfers(organisationId: $cell, overdue: true, overdueReasonRecorded: false) {
    id reportBy reportBySource
  }
}"""
REASON = """
mutation ($id: ID!) { recordOverdueReason(id: $id, reason: "Đảng viên nằm viện") { id } }
"""


async def test_a_late_transfer_is_listed_as_needing_its_reason_until_one_is_recorded(
    gateway: Gateway,
) -> None:
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
    await gateway.execute_ok(INTRODUCE, {"id": transfer, "letter": "11-GGT/ĐU"})

    late: dict[str, Any] = await gateway.execute_ok(LATE_WITHOUT_REASON, {"cell": ward.ids["CQ"]})
    assert late["transfers"] == [
        {
            "id": transfer,
            "reportBy": "2019-11-12",
            "reportBySource": "Quy định 29-QĐ/TW (2016): the letter is presented to the "
            "receiving cell within 30 working days of the introduction",
        }
    ]
    await gateway.execute_ok(REASON, {"id": transfer})
    after = await gateway.execute_ok(LATE_WITHOUT_REASON, {"cell": ward.ids["CQ"]})
    assert after["transfers"] == []
