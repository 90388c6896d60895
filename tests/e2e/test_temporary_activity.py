"""TEMPORARY activity [sinh hoạt tạm thời] through the gateway (RULES.md, "Evaluation and
ranking"): a member of Giảng Võ's agency cell spends October 2019 to March 2020 in a residential
cell of the ward. They stay on the agency cell's list and are ranked by it; the host cell gives
its feedback for a month it hosted them, and the agency cell reads it when it proposes; the
agency cell sees them away while the stay lasts and back, with no step, once it has ended."""

from typing import Any

from kit.identity import Grant, Role
from kit.testing import eventually

from tests.e2e.conftest import ClientFor, Gateway
from tests.e2e.test_members_dissolution import INTRODUCE, RECEIVE, REQUEST, GiangVo

EVALUATED_BY = """
query ($id: ID!, $period: String!) {
  member(id: $id) { evaluatedBy(period: $period) { id } hostedBy(period: $period) { id } }
}"""
HOST_FEEDBACK = """
mutation ($member: ID!, $host: ID!) {
  addHostCellFeedback(input: {memberId: $member, period: "2019-11", organisationId: $host,
    comment: "Sinh hoạt đầy đủ, nhiệt tình với công việc của tổ dân phố"}) { id }
}"""
PROPOSE = """
mutation ($member: ID!) {
  proposeRating(input: {memberId: $member, period: "2019-11", rating: GOOD}) {
    state organisation { id } hostCellFeedback { comment organisation { id } }
  }
}"""
AWAY = """
query ($home: ID!, $host: ID!, $away: Boolean) {
  members(organisationId: $home, away: $away) { nodes { id } }
  home: organisation(id: $home) { memberCount }
  host: organisation(id: $host) { members { id } }
}"""


def secretary_of(client_for: ClientFor, cell: str) -> Gateway:
    client: Gateway = client_for(grants=[Grant(Role.CELL_SECRETARY, cell)])
    return client


async def test_a_member_on_a_temporary_stay_is_ranked_at_home_with_the_hosts_feedback(
    gateway: Gateway, client_for: ClientFor
) -> None:
    ward = await GiangVo(gateway).build()
    home, host = ward.ids["CQ"], ward.ids["TDP02"]
    member = await eventually(lambda: ward.register(1), timeout=30)

    async def requested() -> str:
        request = {
            "memberId": member,
            "kind": "TEMPORARY",
            "reason": "RELOCATION",
            "requestedOn": "2019-10-01",
            "toOrganisationId": host,
            "until": "2020-03-31",
        }
        data = await gateway.execute_ok(REQUEST, {"input": request})
        return str(data["requestTransfer"]["id"])

    transfer = await eventually(requested, timeout=30)
    await gateway.execute_ok(INTRODUCE, {"id": transfer, "letter": "11-GGT/ĐU"})
    await gateway.execute_ok(RECEIVE, {"id": transfer})  # on 08/10/2019

    host_secretary = secretary_of(client_for, host)

    async def host_gives_feedback() -> None:  # once the evaluations roster notes the stay
        await host_secretary.execute_ok(HOST_FEEDBACK, {"member": member, "host": host})

    await eventually(host_gives_feedback, timeout=30)
    for period in ("2019-10", "2019-11", "2019"):
        ranked = await gateway.execute_ok(EVALUATED_BY, {"id": member, "period": period})
        assert ranked["member"] == {"evaluatedBy": {"id": home}, "hostedBy": [{"id": host}]}

    neighbour = await secretary_of(client_for, ward.ids["TDP01"]).execute(
        HOST_FEEDBACK, {"member": member, "host": ward.ids["TDP01"]}
    )
    assert [e["extensions"]["code"] for e in neighbour["errors"]] == ["FORBIDDEN"]

    proposed = await secretary_of(client_for, home).execute_ok(PROPOSE, {"member": member})
    evaluation = proposed["proposeRating"]
    assert (evaluation["state"], evaluation["organisation"]) == ("PROPOSED", {"id": home})
    assert evaluation["hostCellFeedback"] == [
        {
            "comment": "Sinh hoạt đầy đủ, nhiệt tình với công việc của tổ dân phố",
            "organisation": {"id": host},
        }
    ]

    try:
        for today, away in (("2019-11-15", [member]), ("2020-04-01", [])):
            await gateway.execute_ok(
                "mutation ($day: Date) { setToday(today: $day) }", {"day": today}
            )

            async def listed(today: str = today, away: list[str] = away) -> None:
                data: dict[str, Any] = await gateway.execute_ok(
                    AWAY, {"home": home, "host": host, "away": True}
                )
                assert [m["id"] for m in data["members"]["nodes"]] == away, today
                assert data["home"]["memberCount"] == 1  # on the home cell's list throughout
                assert data["host"]["members"] == []  # and not counted by the host

            await eventually(listed, timeout=30)
    finally:
        await gateway.execute_ok("mutation { setToday(today: null) }")
