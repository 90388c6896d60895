"""A newly admitted member is evaluated from the admission's period on, by its date (not the
day the event travelled): members service → evaluations roster, through the gateway. The
admission decision dates it, not the ceremony held weeks later (the probation counts from that)."""

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
  admitCandidate(id: $id, cardNumber: $card, admittedOn: "2019-10-15",
                 awarenessCertificate: {number: "88/GCN", issuedOn: "2019-05-02"}) {
    member { id } }
}"""
CEREMONY = """
mutation ($id: ID!) {
  recordAdmissionCeremony(memberId: $id, heldOn: "2019-11-05") {
    admittedOn admissionCeremonyOn ceremonyLate probationEndsOn recognitionDueBy
  }
}"""
EVALUATED_BY = """
query ($id: ID!) {
  september: member(id: $id) { evaluatedBy(period: "2019-09") { id } }
  october: member(id: $id) { evaluatedBy(period: "2019-10") { id } }
  november: member(id: $id) { evaluatedBy(period: "2019-11") { id } }
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
    held = await gateway.execute_ok(CEREMONY, {"id": member})
    assert held["recordAdmissionCeremony"] == {
        "admittedOn": "2019-10-15",
        "admissionCeremonyOn": "2019-11-05",
        "ceremonyLate": False,
        "probationEndsOn": "2020-11-05",
        "recognitionDueBy": "2020-12-17",
    }

    async def on_the_roster_from_october() -> None:
        data: dict[str, Any] = await gateway.execute_ok(EVALUATED_BY, {"id": member})
        assert data["october"]["evaluatedBy"] == {"id": ward.ids["CQ"]}
        assert data["november"]["evaluatedBy"] == {"id": ward.ids["CQ"]}
        assert data["september"]["evaluatedBy"] is None

    await eventually(on_the_roster_from_october, timeout=30)
