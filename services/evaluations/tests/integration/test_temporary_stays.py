"""A TEMPORARY stay [sinh hoạt tạm thời] through the real service: the home cell keeps ranking
the member; the host cell gives its feedback for the periods it hosts them."""

from typing import Any

from kit.identity import Role
from kit.testing import ServiceUnderTest, eventually

from services.evaluations.tests.integration.support import acting_as, refused

HOST_FEEDBACK = """mutation($m: ID!, $host: ID!, $p: String!) {
  addHostCellFeedback(input: {memberId: $m, period: $p, organisationId: $host,
    comment: "Tham gia sinh hoạt đầy đủ"}) { id period by organisation { id } } }"""
HOSTED_BY = """query($m: ID!, $p: String!) {
  _entities(representations: [{__typename: "PartyMember", id: $m}]) {
    ... on PartyMember { hostedBy(period: $p) { id } } } }"""
EVALUATIONS = """query($o: ID!) { evaluations(organisationId: $o, period: "2019-11") {
  member { id } organisation { id } hostCellFeedback { comment by organisation { id } } } }"""


async def stay(
    service: ServiceUnderTest, member: str, home: str, host: str, event_id: str | None = None
) -> str:
    return await service.deliver(
        "partyorg.members.transfer.received.v1",
        {
            "transferId": f"stay-{member}",
            "memberId": member,
            "kind": "TEMPORARY",
            "reason": "RELOCATION",
            "fromOrganisationId": home,
            "toOrganisationId": host,
            "destinationName": None,
            "receivedOn": "2019-10-04",
            "temporaryUntil": "2020-03-31",
            "caseId": None,
        },
        id=event_id,
    )


async def test_the_home_cell_ranks_a_member_hosted_elsewhere_and_reads_the_hosts_feedback(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, home, host) = await scenario.ward()
    member = await scenario.member(home)
    await scenario.until_evaluated_by(member, "2019-10", home)
    event_id = await stay(service, member, home, host)
    await stay(service, member, home, host, event_id=event_id)  # delivered twice
    await stay(service, member, home, host)  # reissued
    roster = service.app.state.runtime.db["roster"]

    async def noted_once() -> None:
        document = await roster.find_one({"_id": member})
        assert [s["cell_id"] for s in document.get("stays", [])] == [host]

    await eventually(noted_once)
    for period in ("2019-10", "2019-11", "2019", "2020-04"):
        assert await scenario.evaluated_by(member, period) == home
    for period, hosts in (("2019-09", []), ("2019-11", [{"id": host}]), ("2020-04", [])):
        data = await service.execute_ok(HOSTED_BY, {"m": member, "p": period})
        assert data["_entities"][0]["hostedBy"] == hosts, period

    variables = {"m": member, "host": host, "p": "2019-11"}
    home_secretary = acting_as(Role.CELL_SECRETARY, home)
    not_the_host = await service.execute(
        HOST_FEEDBACK, {**variables, "host": home}, principal=home_secretary
    )
    assert not_the_host["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused(  # nor for the host, outside their grant
        await service.execute(HOST_FEEDBACK, variables, principal=home_secretary),
        "addHostCellFeedback",
    )
    too_late = await service.execute(
        HOST_FEEDBACK,
        {**variables, "p": "2020-04"},
        principal=acting_as(Role.CELL_SECRETARY, host),
    )
    assert too_late["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    given = await service.execute_ok(
        HOST_FEEDBACK, variables, principal=acting_as(Role.CELL_SECRETARY, host)
    )
    assert given["addHostCellFeedback"]["organisation"] == {"id": host}

    ranked = await service.execute_ok(EVALUATIONS, {"o": home}, principal=home_secretary)
    [evaluation] = [e for e in ranked["evaluations"] if e["member"]["id"] == member]
    assert evaluation["organisation"] == {"id": home}
    assert [(f["comment"], f["organisation"]["id"]) for f in evaluation["hostCellFeedback"]] == [
        ("Tham gia sinh hoạt đầy đủ", host)
    ]
    hosting = await service.execute_ok(EVALUATIONS, {"o": host})
    assert member not in [e["member"]["id"] for e in hosting["evaluations"]]
