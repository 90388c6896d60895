"""An INTERNAL transfer goes to any active cell of the same grassroots party organisation,
residential or not (RULES.md, "Transfers of party activity"): a member of the ward's agency
cell moves to another agency cell of the ward, through the gateway, and the evaluations
roster follows; the transfer names the charter regulation in force on its day."""

from typing import Any

from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.test_members_dissolution import INTRODUCE, RECEIVE, REQUEST, WHERE, GiangVo

EVALUATED_BY = """
query ($id: ID!, $period: String!) { member(id: $id) { evaluatedBy(period: $period) { id } } }
"""


async def test_a_member_moves_to_another_agency_cell_of_the_ward(gateway: Gateway) -> None:
    ward = await GiangVo(gateway).build()
    school = await ward.create(
        "MN",
        name="Chi bộ Trường Mầm non Giảng Võ",
        kind="CELL",
        cellType="AGENCY",
        parentId=ward.ids["GV"],
    )
    member = await eventually(lambda: ward.register(1), timeout=30)

    async def requested() -> str:  # once the members service has heard of the school's cell
        data = await gateway.execute_ok(
            REQUEST,
            {
                "input": {
                    "memberId": member,
                    "kind": "INTERNAL",
                    "reason": "RELOCATION",
                    "requestedOn": "2019-09-20",
                    "toOrganisationId": school,
                }
            },
        )
        return str(data["requestTransfer"]["id"])

    transfer = await eventually(requested, timeout=30)
    named = await gateway.execute_ok(
        "query ($id: ID!) { transfer(id: $id) { regulation } }", {"id": transfer}
    )
    assert named["transfer"]["regulation"] == "Quy định 29-QĐ/TW (2016)"  # in force in 2019
    await gateway.execute_ok(INTRODUCE, {"id": transfer, "letter": "07-GGT/ĐU"})
    await gateway.execute_ok(RECEIVE, {"id": transfer})

    placed = await gateway.execute_ok(WHERE, {"id": member})
    assert placed["member"]["organisation"]["id"] == school

    async def ranked_by_the_school() -> None:
        data: dict[str, Any] = await gateway.execute_ok(
            EVALUATED_BY, {"id": member, "period": "2019-12"}
        )
        assert data["member"]["evaluatedBy"] == {"id": school}

    await eventually(ranked_by_the_school, timeout=30)
