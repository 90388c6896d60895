from typing import Any

from evaluations.events import TRANSFER_RECEPTION_CORRECTED
from kit.testing import ServiceUnderTest, eventually

from services.evaluations.tests.integration.test_ranking import propose


async def evaluating_cell(service: ServiceUnderTest, evaluation_id: str) -> str:
    data = await service.execute_ok(
        "query($id: ID!) { evaluation(id: $id) { organisation { id } } }", {"id": evaluation_id}
    )
    cell: str = data["evaluation"]["organisation"]["id"]
    return cell


async def test_a_registered_member_is_evaluated_by_their_cell(scenario: Any) -> None:
    _, _, (agency, *_) = await scenario.ward()
    member = await scenario.member(agency)
    await scenario.until_evaluated_by(member, "2019-09", agency)


async def test_a_transfer_received_mid_month_moves_that_month_and_leaves_the_months_before(
    scenario: Any,
) -> None:
    _, _, (agency, residential, _) = await scenario.ward()
    member = await scenario.member(agency)
    await scenario.until_evaluated_by(member, "2019-10", agency)
    await scenario.transfer(member, agency, residential, "2019-10-15")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    assert await scenario.evaluated_by(member, "2019-09") == agency
    assert await scenario.evaluated_by(member, "2019-11") == residential
    assert await scenario.evaluated_by(member, "2019") == residential
    assert await scenario.evaluated_by(member, "2018") == agency


async def test_a_transfer_delivered_twice_or_reissued_is_applied_once(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, residential, _) = await scenario.ward()
    member = await scenario.member(agency)
    await scenario.until_evaluated_by(member, "2019-10", agency)
    event_id = await scenario.transfer(member, agency, residential, "2019-10-01")
    await scenario.transfer(member, agency, residential, "2019-10-01", event_id=event_id)
    await scenario.transfer(member, agency, residential, "2019-10-01")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    roster = service.app.state.runtime.db["roster"]

    async def applied_once() -> None:
        inbox = service.app.state.runtime.db["inbox"]
        assert await inbox.count_documents({"type": {"$regex": "transfer"}, "_id": event_id}) == 1
        document = await roster.find_one({"_id": member})
        assert len(document["placements"]) == 2

    await eventually(applied_once)


async def test_a_transfer_arriving_before_the_registration_still_applies_by_date(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, residential, _) = await scenario.ward()
    member = "member-early-" + agency[-8:]
    await scenario.transfer(member, agency, residential, "2019-10-01")
    await service.deliver(
        "partyorg.members.member.registered.v1",
        {
            "memberId": member,
            "fullName": "Lê Thị Hoa",
            "standing": "OFFICIAL",
            "organisationId": agency,
            "workplaceRole": "CIVIL_SERVANT",
            "admittedOn": "2005-03-02",
            "version": 1,
        },
    )
    await scenario.until_evaluated_by(member, "2019-09", agency)
    await scenario.until_evaluated_by(member, "2019-10", residential)


async def test_a_corrected_reception_date_moves_the_periods_between_with_their_evaluations(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, residential, _) = await scenario.ward()
    member = await scenario.member(agency, "OTHER")
    await scenario.transfer(member, agency, residential, "2019-10-04")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    september = await propose(service, member, "2019-09", "GOOD")
    assert await evaluating_cell(service, september) == agency

    def corrected(on: str, previous: str, event_id: str) -> Any:
        data = {
            "transferId": f"transfer-{member}-{residential}",
            "memberId": member,
            "personKind": "MEMBER",
            "kind": "INTERNAL",
            "fromOrganisationId": agency,
            "toOrganisationId": residential,
            "previousReceivedOn": previous,
            "receivedOn": on,
            "reason": "Ghi nhầm ngày",
            "correctedBy": "Bí thư chi bộ",
            "caseId": None,
        }
        return service.deliver(TRANSFER_RECEPTION_CORRECTED, data, id=event_id)

    await corrected("2019-09-16", "2019-10-04", f"{member}:corrected:1")
    await scenario.until_evaluated_by(member, "2019-09", residential)

    async def followed(cell: str) -> None:
        assert await evaluating_cell(service, september) == cell

    await eventually(lambda: followed(residential))
    await corrected("2019-10-04", "2019-09-16", f"{member}:corrected:2")
    await corrected("2019-09-16", "2019-10-04", f"{member}:corrected:1")  # redelivered
    await scenario.until_evaluated_by(member, "2019-09", agency)
    await eventually(lambda: followed(agency))
    assert await scenario.evaluated_by(member, "2019-10") == residential
