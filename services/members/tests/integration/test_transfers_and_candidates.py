"""Ordinary transfers, lateness, and the admission of a candidate."""

from typing import Any

from conftest import Published
from kit.testing import ServiceUnderTest, eventually
from members_support import Ward, add_candidate, errors_of, register
from pymongo.asynchronous.database import AsyncDatabase

REQUEST = """
mutation ($input: RequestTransferInput!) {
  requestTransfer(input: $input) { id state kind destinationName temporaryUntil }
}
"""
INTRODUCE = """
mutation ($id: ID!, $on: Date!) {
  issueIntroduction(id: $id, letterNo: "9-GGT/ĐU", issuedOn: $on) { reportBy overdue }
}
"""
TRANSFER = "query ($id: ID!) { transfer(id: $id) { state overdue overdueReason } }"


async def test_an_official_transfer_out_of_the_district_takes_the_member_off_the_lists(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency)
    data = await service.execute_ok(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "OFFICIAL",
                "reason": "WORKPLACE_CHANGE",
                "requestedOn": "2019-09-02",
                "destinationName": "Đảng bộ Bộ Tài chính",
            }
        },
    )
    transfer = data["requestTransfer"]
    assert (transfer["state"], transfer["destinationName"]) == (
        "AWAITING_INTRODUCTION",
        "Đảng bộ Bộ Tài chính",
    )
    await service.execute_ok(INTRODUCE, {"id": transfer["id"], "on": "2019-09-03"})
    await service.execute_ok(
        """mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-09-20") { id } }""",
        {"id": transfer["id"]},
    )
    moved = await service.execute_ok(
        "query ($id: ID!) { member(id: $id) { organisation { id } transferredOutTo } }",
        {"id": member},
    )
    assert moved["member"] == {"organisation": None, "transferredOutTo": "Đảng bộ Bộ Tài chính"}

    async def announced() -> None:
        event = published.one("partyorg.members.transfer.received.v1", memberId=member)
        assert event["data"]["kind"] == "OFFICIAL" and event["data"]["toOrganisationId"] is None

    await eventually(announced, timeout=30)


async def test_a_temporary_transfer_needs_an_end_date_from_3_months_to_under_a_year(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency)
    too_short = await service.execute(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "TEMPORARY",
                "reason": "OTHER",
                "requestedOn": "2019-09-02",
                "destinationName": "Đảng bộ Học viện Chính trị",
                "until": "2019-11-02",
            }
        },
    )
    assert errors_of(too_short) == ["BAD_USER_INPUT"]
    data = await service.execute_ok(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "TEMPORARY",
                "reason": "OTHER",
                "requestedOn": "2019-09-02",
                "destinationName": "Đảng bộ Học viện Chính trị",
                "until": "2020-06-30",
            }
        },
    )
    assert data["requestTransfer"]["temporaryUntil"] == "2020-06-30"


async def test_a_member_has_one_transfer_under_way_at_a_time(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency)
    request = {
        "memberId": member,
        "kind": "OFFICIAL",
        "reason": "RELOCATION",
        "requestedOn": "2019-09-02",
        "destinationName": "Đảng bộ tỉnh Nam Định",
    }
    await service.execute_ok(REQUEST, {"input": request})
    assert errors_of(await service.execute(REQUEST, {"input": request})) == ["CONFLICT"]


async def test_a_transfer_not_received_by_report_by_is_overdue_and_takes_a_reason(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency)
    data = await service.execute_ok(
        REQUEST,
        {
            "input": {
                "memberId": member,
                "kind": "INTERNAL",
                "reason": "RELOCATION",
                "requestedOn": "2019-07-01",
                "toOrganisationId": ward.residential["Tổ dân phố 1"],
            }
        },
    )
    transfer = data["requestTransfer"]["id"]
    introduced = await service.execute_ok(INTRODUCE, {"id": transfer, "on": "2019-07-15"})
    assert introduced["issueIntroduction"] == {"reportBy": "2019-08-26", "overdue": True}
    overdue = await service.execute_ok(
        "query ($org: ID!) { transfers(overdue: true, organisationId: $org) { id } }",
        {"org": ward.agency},
    )
    assert overdue["transfers"] == [{"id": transfer}]
    await service.execute_ok(
        """mutation ($id: ID!) { recordOverdueReason(id: $id, reason: "Đồng chí ốm dài ngày") {
          id } }""",
        {"id": transfer},
    )
    after = await service.execute_ok(TRANSFER, {"id": transfer})
    assert after["transfer"] == {
        "state": "INTRODUCED",
        "overdue": True,
        "overdueReason": "Đồng chí ốm dài ngày",
    }


async def test_an_admitted_candidate_becomes_a_probationary_member_and_official_a_year_on(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    mentor = await register(service, ward.agency, name="Hoàng Văn Thái")
    candidate = await add_candidate(service, ward.agency, born="1996-02-10")
    await service.execute_ok(
        """mutation ($c: ID!, $m: ID!) { assignMentor(candidateId: $c, memberId: $m) { id } }""",
        {"c": candidate, "m": mentor},
    )
    for stage, on in (("AWARENESS_TRAINED", "2019-07-01"), ("SPONSORED", "2019-08-01")):
        await service.execute_ok(
            """mutation ($id: ID!, $stage: CandidateStage!, $on: Date!) {
              advanceCandidate(id: $id, stage: $stage, on: $on) { stage } }""",
            {"id": candidate, "stage": stage, "on": on},
        )
    admission = await service.execute_ok(
        """mutation ($id: ID!) {
          admitCandidate(id: $id, cardNumber: "01.ADM-19", admittedOn: "2019-09-02") {
            candidate { stage mentors { fullName } }
            member { id standing probationEndsOn organisation { id } }
          }
        }""",
        {"id": candidate},
    )
    admitted = admission["admitCandidate"]
    assert admitted["candidate"] == {
        "stage": "ADMITTED",
        "mentors": [{"fullName": "Hoàng Văn Thái"}],
    }
    member = admitted["member"]
    assert (member["standing"], member["probationEndsOn"]) == ("PROBATIONARY", "2020-09-02")
    early = await service.execute(
        """mutation ($id: ID!) { recognizeOfficial(memberId: $id, officialOn: "2020-09-01") {
          standing } }""",
        {"id": member["id"]},
    )
    assert errors_of(early) == ["BAD_USER_INPUT"]
    official = await service.execute_ok(
        """mutation ($id: ID!) { recognizeOfficial(memberId: $id, officialOn: "2020-09-02") {
          standing officialOn } }""",
        {"id": member["id"]},
    )
    assert official["recognizeOfficial"] == {"standing": "OFFICIAL", "officialOn": "2020-09-02"}

    async def announced() -> None:
        published.one("partyorg.members.candidate.admitted.v1", candidateId=candidate)
        published.one("partyorg.members.mentor.assigned.v1", candidateId=candidate)
        assert (
            published.one("partyorg.members.member.updated.v1", memberId=member["id"])["data"][
                "standing"
            ]
            == "OFFICIAL"
        )

    await eventually(announced, timeout=30)
