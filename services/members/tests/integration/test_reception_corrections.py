"""correctReception through the subgraph, against real FerretDB and RabbitMQ: the receiving
side corrects the day it received a member, the old date stays, others hear of it once."""

from typing import Any

from conftest import Published
from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest, eventually
from members_support import Ward, register
from pymongo.asynchronous.database import AsyncDatabase

from services.members.tests.integration.test_transfers_and_candidates import INTRODUCE, REQUEST

CORRECT = """
mutation ($id: ID!, $on: Date!, $reason: String!) {
  correctReception(id: $id, receivedOn: $on, reason: $reason) {
    state receivedOn
    receptionCorrections { oldReceivedOn newReceivedOn reason by subject on }
  }
}
"""
RECEIVE = """mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-09-20") { id } }"""
REASON = "Sổ tiếp nhận ghi nhầm ngày"


def code_of(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def test_the_receiving_cell_corrects_the_reception_date_and_the_old_one_stays(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    receiving = ward.residential["Tổ dân phố 1"]
    member = await register(service, ward.agency)
    requested = await service.execute_ok(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "INTERNAL",
                "reason": "RELOCATION",
                "requestedOn": "2019-09-02",
                "toOrganisationId": receiving,
            }
        },
    )
    transfer = requested["requestTransfer"]["id"]
    await service.execute_ok(INTRODUCE, {"id": transfer, "on": "2019-09-03"})
    secretary = Principal("u-hoa", "Lê Thị Hoa", (Grant(Role.CELL_SECRETARY, receiving),))
    leaving = Principal("u-lan", "Trần Lan", (Grant(Role.CELL_SECRETARY, ward.agency),))
    correcting = {"id": transfer, "on": "2019-09-10", "reason": REASON}

    early = await service.execute(CORRECT, correcting, principal=secretary)
    assert code_of(early) == "INVALID_TRANSITION"
    await service.execute_ok(RECEIVE, {"id": transfer})
    assert code_of(await service.execute(CORRECT, correcting, principal=leaving)) == "FORBIDDEN"
    no_reason = {**correcting, "reason": "  "}
    assert code_of(await service.execute(CORRECT, no_reason, principal=secretary)) == (
        "BAD_USER_INPUT"
    )
    before_letter = {**correcting, "on": "2019-09-01"}
    assert code_of(await service.execute(CORRECT, before_letter, principal=secretary)) == (
        "BAD_USER_INPUT"
    )

    corrected = (await service.execute_ok(CORRECT, correcting, principal=secretary))[
        "correctReception"
    ]
    assert (corrected["state"], corrected["receivedOn"]) == ("RECEIVED", "2019-09-10")
    [correction] = corrected["receptionCorrections"]
    assert {k: v for k, v in correction.items() if k != "on"} == {
        "oldReceivedOn": "2019-09-20",
        "newReceivedOn": "2019-09-10",
        "reason": REASON,
        "by": "Lê Thị Hoa",
        "subject": "u-hoa",
    }

    async def told_once() -> None:
        event = published.one("partyorg.members.transfer.reception_corrected.v1", memberId=member)
        assert (event["data"]["previousReceivedOn"], event["data"]["receivedOn"]) == (
            "2019-09-20",
            "2019-09-10",
        )
        assert event["data"]["toOrganisationId"] == receiving

    await eventually(told_once, timeout=30)
