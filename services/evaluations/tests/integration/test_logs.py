"""No card number and no birth date ever reach the application logs."""

import logging
import uuid
from typing import Any

import pytest
from kit.identity import Role
from kit.logging import JsonFormatter
from kit.testing import ServiceUnderTest

from services.evaluations.tests.integration.support import acting_as

CARD_NUMBER, BIRTH_DATE = "93.012345", "1962-03-15"


async def test_a_member_event_carrying_a_card_number_and_a_birth_date_leaves_neither_in_the_logs(
    scenario: Any, service: ServiceUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    _, _, (_, cell, _) = await scenario.ward()
    member = f"member-{uuid.uuid4().hex[:8]}"
    await service.deliver(  # as if the members service's contract leaked them
        "partyorg.members.member.registered.v1",
        {
            "memberId": member,
            "fullName": "Trần Thị Lan",
            "standing": "OFFICIAL",
            "organisationId": cell,
            "workplaceRole": None,
            "admittedOn": "2005-03-02",
            "version": 1,
            "cardNumber": CARD_NUMBER,
            "dateOfBirth": BIRTH_DATE,
        },
        off_contract=True,
    )
    await scenario.until_evaluated_by(member, "2019-10", cell)
    await service.execute(
        "mutation($i: AddSupervisionFeedbackInput!) { addSupervisionFeedback(input: $i) { id } }",
        {"i": {"memberId": member, "byMemberId": member, "period": "2019-10", "comment": "x"}},
    )
    await service.execute(
        "mutation($m: ID!) { proposeRating(input: {memberId: $m, period: $m, rating: GOOD}) "
        "{ id } }",
        {"m": member},
    )
    await service.execute(
        "query($id: ID!) { evaluation(id: $id) { selfRating } }",
        {"id": f"{member}:2019-10"},
        principal=acting_as(Role.CELL_SECRETARY, f"{cell}-elsewhere"),
    )

    lines = [JsonFormatter("evaluations").format(record) for record in caplog.records]
    assert any(member in line or "event applied" in line for line in lines)
    assert not [line for line in lines if CARD_NUMBER in line or BIRTH_DATE in line]
