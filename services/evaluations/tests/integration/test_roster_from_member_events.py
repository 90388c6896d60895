from typing import Any

from kit.testing import ServiceUnderTest, eventually


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
