"""A newly admitted member is evaluated from the admission's period on, by its date (not the
day the event travelled): members service → evaluations roster, through the gateway."""

from typing import Any

from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.test_members_dissolution import GiangVo

ADVANCE = """
mutation ($id: ID!, $stage: CandidateStage!) {
  advanceCandidate(id: $id, stage: $stage, on: "2019-05-02") { stage }
}"""
ADMIT = """
mutation ($id: ID!, $card: String!) {
  admitCandidate(id: $id, cardNumber: $card, admittedOn: "2019-10-15") { member { id } }
}"""
EVALUATED_BY = """
query ($id: ID!) {
  september: member(id: $id) { evaluatedBy(period: "2019-09") { id } }
  october: member(id: $id) { evaluatedBy(period: "2019-10") { id } }
}"""


async def test_a_member_admitted_on_15_october_is_evaluated_for_october_not_september(
    gateway: Gateway,
) -> None:
    ward = await GiangVo(gateway).build()
    await eventually(ward.staff_candidate, timeout=30)  # once the members service knows the cell
    [candidate] = ward.people
    for stage in ("AWARENESS_TRAINED", "SPONSORED"):
        await gateway.execute_ok(ADVANCE, {"id": candidate, "stage": stage})
    admitted = await gateway.execute_ok(ADMIT, {"id": candidate, "card": f"{ward.tag}.99"})
    member = admitted["admitCandidate"]["member"]["id"]

    async def on_the_roster_from_october() -> None:
        data: dict[str, Any] = await gateway.execute_ok(EVALUATED_BY, {"id": member})
        assert data["october"]["evaluatedBy"] == {"id": ward.ids["CQ"]}
        assert data["september"]["evaluatedBy"] is None

    await eventually(on_the_roster_from_october, timeout=30)
