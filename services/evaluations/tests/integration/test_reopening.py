"""reopenRating through the subgraph, against real FerretDB and RabbitMQ: the ward committee
takes back a finalised rating with its reason, the old one stays, and the quota still holds."""

from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest, eventually

from services.evaluations.tests.integration.test_ranking import finalise, propose

REOPEN = """
mutation($input: ReopenRatingInput!) {
  reopenRating(input: $input) {
    state finalRating proposedRating
    reopenings { rating reason by subject }
    history { state note by }
  }
}"""
REASON = "Đảng viên bị kỷ luật trong năm, phát hiện sau khi xếp loại"


async def test_a_reopened_excellent_frees_its_place_and_finalised_again_meets_the_quota(
    scenario: Any, service: ServiceUnderTest, published: Any
) -> None:
    _, ward, (_, first, second) = await scenario.ward()
    cells = [(first, second)[n % 2] for n in range(13)]
    members = [await scenario.member(cell, "OTHER") for cell in cells]
    for member, cell in zip(members, cells, strict=True):
        await scenario.until_evaluated_by(member, "2019", cell)
    for member in members[:10]:
        await finalise(service, await propose(service, member, "2019", "GOOD"), "GOOD")
    excellent = [await propose(service, member, "2019", "EXCELLENT") for member in members[10:]]
    for evaluation_id in excellent[:2]:
        assert "errors" not in await finalise(service, evaluation_id, "EXCELLENT")
    reopened_id = excellent[0]
    committee = Principal("u-gv", "Đảng ủy phường", (Grant(Role.WARD_COMMITTEE, ward),))
    secretary = Principal("u-hoa", "Lê Thị Hoa", (Grant(Role.CELL_SECRETARY, first),))

    def reopening(evaluation_id: str, reason: str = REASON) -> dict[str, Any]:
        return {"input": {"evaluationId": evaluation_id, "reason": reason}}

    refused = await service.execute(REOPEN, reopening(reopened_id), principal=secretary)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    no_reason = await service.execute(REOPEN, reopening(reopened_id, " "), principal=committee)
    assert no_reason["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    not_final = await service.execute(REOPEN, reopening(excellent[2]), principal=committee)
    assert not_final["errors"][0]["extensions"]["code"] == "INVALID_TRANSITION"

    reopened = (await service.execute_ok(REOPEN, reopening(reopened_id), principal=committee))[
        "reopenRating"
    ]
    assert (reopened["state"], reopened["finalRating"], reopened["proposedRating"]) == (
        "PROPOSED",
        None,
        "EXCELLENT",
    )
    assert reopened["reopenings"] == [
        {"rating": "EXCELLENT", "reason": REASON, "by": "Đảng ủy phường", "subject": "u-gv"}
    ]
    assert reopened["history"][-1]["note"] == f"reopened (was EXCELLENT): {REASON}"

    # its place in the quota is free: the third EXCELLENT is finalised, and then it is refused
    assert "errors" not in await finalise(service, excellent[2], "EXCELLENT")
    over = await finalise(service, reopened_id, "EXCELLENT")
    assert over["errors"][0]["extensions"]["code"] == "POLICY_VIOLATION"
    again = await finalise(service, reopened_id, "GOOD")
    assert again["data"]["finaliseRating"]["state"] == "FINALISED"

    async def told_in_order() -> None:
        reopened_events = [
            e
            for e in published.of_type("partyorg.evaluations.evaluation.reopened.v1")
            if e["data"]["evaluationId"] == reopened_id
        ]
        finalised = [
            e["data"]["rating"]
            for e in published.of_type("partyorg.evaluations.evaluation.finalised.v1")
            if e["data"]["evaluationId"] == reopened_id
        ]
        assert [e["data"]["previousRating"] for e in reopened_events] == ["EXCELLENT"]
        assert finalised == ["EXCELLENT", "GOOD"]

    await eventually(told_in_order)
