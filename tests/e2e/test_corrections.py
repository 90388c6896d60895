"""Corrections, audited, through the gateway (issue 13, rule 10): the receiving cell corrects a
reception date and the evaluations roster follows it, the old date kept on the transfer; the
ward committee reopens a finalised rating with its reason and finalises it again."""

from tests.e2e.conftest import Gateway
from tests.e2e.test_evaluations_ranking import (
    FINALISE,
    INTRODUCE,
    PROPOSE,
    RECEIVE,
    REQUEST,
    GiangVo,
)

CORRECT_RECEPTION = """
mutation ($id: ID!, $on: Date!, $reason: String!) {
  correctReception(id: $id, receivedOn: $on, reason: $reason) { receivedOn }
}"""
TRANSFER = """
query ($id: ID!) {
  transfer(id: $id) {
    state receivedOn
    receptionCorrections { oldReceivedOn newReceivedOn reason by }
  }
}"""
EVALUATION = "query ($id: ID!) { evaluation(id: $id) { organisation { id } } }"
REOPEN = """
mutation ($input: ReopenRatingInput!) {
  reopenRating(input: $input) { state finalRating reopenings { rating reason } }
}"""
RATING = """
query ($id: ID!) {
  evaluation(id: $id) {
    state finalRating
    reopenings { rating reason }
    history { state note }
  }
}"""


async def test_a_corrected_reception_date_keeps_the_old_one_and_the_roster_follows(
    gateway: Gateway,
) -> None:
    ward = await GiangVo(gateway).build()
    member = await ward.member("CQ", "OTHER")
    request = {
        "memberId": member,
        "kind": "INTERNAL",
        "reason": "OTHER",
        "requestedOn": "2019-09-02",
        "toOrganisationId": ward.ids["TDP01"],
    }

    async def requested() -> str:
        data = await gateway.execute_ok(REQUEST, {"input": request})
        return str(data["requestTransfer"]["id"])

    transfer = await gateway.eventually(requested)
    await gateway.execute_ok(
        INTRODUCE, {"id": transfer, "letterNo": "7-GGT/ĐU", "on": "2019-09-03"}
    )
    await gateway.execute_ok(RECEIVE, {"id": transfer, "on": "2019-10-01"})
    await ward.until_evaluated_by(member, "2019-10", "TDP01")
    proposal = {"memberId": member, "period": "2019-09", "rating": "GOOD", "by": "Bí thư chi bộ"}
    september = (await gateway.execute_ok(PROPOSE, {"input": proposal}))["proposeRating"]["id"]
    assert await ward.evaluated_by(member, "2019-09") == ward.ids["CQ"]

    reason = "Sổ tiếp nhận ghi nhầm: đồng chí sinh hoạt ở tổ 1 từ 16/9"
    corrected = await gateway.execute_ok(
        CORRECT_RECEPTION, {"id": transfer, "on": "2019-09-16", "reason": reason}
    )
    assert corrected["correctReception"] == {"receivedOn": "2019-09-16"}
    history = (await gateway.execute_ok(TRANSFER, {"id": transfer}))["transfer"]
    assert history["state"] == "RECEIVED"
    [correction] = history["receptionCorrections"]
    assert (correction["oldReceivedOn"], correction["newReceivedOn"], correction["reason"]) == (
        "2019-10-01",
        "2019-09-16",
        reason,
    )
    assert correction["by"]

    await ward.until_evaluated_by(member, "2019-09", "TDP01")

    async def september_followed() -> bool:
        data = await gateway.execute_ok(EVALUATION, {"id": september})
        return bool(data["evaluation"]["organisation"]["id"] == ward.ids["TDP01"])

    await gateway.eventually(september_followed)


async def test_a_reopened_rating_is_finalised_again_and_keeps_the_old_one(
    gateway: Gateway,
) -> None:
    ward = await GiangVo(gateway).build()
    member = await ward.member("TDP01", "OTHER")
    await ward.until_evaluated_by(member, "2019-10", "TDP01")
    ranked = await ward.rank(member, "2019-10", "GOOD")
    evaluation = ranked["data"]["finaliseRating"]["id"]
    assert ranked["data"]["finaliseRating"]["state"] == "FINALISED"

    reason = "Đồng chí vi phạm quy định sinh hoạt nơi cư trú, phát hiện sau khi xếp loại"
    missing = await gateway.execute(REOPEN, {"input": {"evaluationId": evaluation, "reason": ""}})
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    reopened = await gateway.execute_ok(
        REOPEN, {"input": {"evaluationId": evaluation, "reason": reason}}
    )
    assert reopened["reopenRating"] == {
        "state": "PROPOSED",
        "finalRating": None,
        "reopenings": [{"rating": "GOOD", "reason": reason}],
    }
    decision = {"evaluationId": evaluation, "rating": "COMPLETED", "by": "Ban Thường vụ"}
    again = await gateway.execute_ok(FINALISE, {"input": decision})
    assert again["finaliseRating"]["finalRating"] == "COMPLETED"

    after = (await gateway.execute_ok(RATING, {"id": evaluation}))["evaluation"]
    assert (after["state"], after["finalRating"]) == ("FINALISED", "COMPLETED")
    assert after["reopenings"] == [{"rating": "GOOD", "reason": reason}]
    assert [step["state"] for step in after["history"]][-3:] == [
        "FINALISED",
        "PROPOSED",
        "FINALISED",
    ]
    assert after["history"][-2]["note"] == f"reopened (was GOOD): {reason}"
