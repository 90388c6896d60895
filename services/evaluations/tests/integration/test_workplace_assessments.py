import uuid
from typing import Any

from kit.identity import Role
from kit.testing import ServiceUnderTest, eventually

from services.evaluations.tests.integration.support import acting_as

SUBMIT = """
mutation($input: SubmitWorkplaceAssessmentsInput!) {
  submitWorkplaceAssessments(input: $input) {
    recorded alreadyRecorded rejected
    items { index externalId outcome error { code field } assessment { id rating assessorRole } }
  }
}"""


def item(
    external_id: str, member: str, period: str = "2019-10", rating: str = "GOOD"
) -> dict[str, Any]:
    return {
        "externalId": external_id,
        "memberId": member,
        "period": period,
        "assessorRole": "PEOPLES_COMMITTEE_CHAIR",
        "assessorName": "Trần Văn Bình",
        "rating": rating,
        "comment": "Hoàn thành tốt nhiệm vụ chuyên môn",
    }


async def test_the_same_bulk_submission_sent_twice_stores_each_assessment_once_naming_the_cell(
    scenario: Any, service: ServiceUnderTest, published: Any
) -> None:
    district, ward, (_, residential, _) = await scenario.ward()
    members = [await scenario.member(residential) for _ in range(3)]
    await scenario.until_evaluated_by(members[-1], "2019-10", residential)
    await scenario.until_known(district, ward, residential)
    submitter = f"city-hr-{uuid.uuid4().hex[:6]}"
    bulk = {"submitter": submitter, "items": [item(f"hr-{n}", m) for n, m in enumerate(members)]}

    first = (await service.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]
    again = (await service.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]

    assert (first["recorded"], first["alreadyRecorded"]) == (3, 0)
    assert (again["recorded"], again["alreadyRecorded"]) == (0, 3)
    stored = service.app.state.runtime.db["workplace_assessments"]
    assert await stored.count_documents({"submitter": submitter}) == 3

    async def published_once_each() -> None:
        events = [
            e
            for e in published.of_type("partyorg.evaluations.workplace_assessment.recorded.v1")
            if e["data"]["submitter"] == submitter
        ]
        assert sorted(e["data"]["externalId"] for e in events) == ["hr-0", "hr-1", "hr-2"]
        # the member's cell and ward, for a city system to act on without calling back
        assert {(e["data"]["organisationId"], e["data"]["wardCommitteeId"]) for e in events} == {
            (residential, ward)
        }

    await eventually(published_once_each)


async def test_bad_items_get_their_own_errors_and_the_rest_is_accepted(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, residential, _) = await scenario.ward()
    member = await scenario.member(residential)
    await scenario.until_evaluated_by(member, "2019", residential)
    bulk = {
        "submitter": "ubnd-giang-vo",
        "items": [
            item("ok-" + member, member, period="2019"),
            item("who-" + member, "no-such-member"),
            item("when-" + member, member, period="2019-13"),
            item("what-" + member, member, rating="BRILLIANT"),
        ],
    }
    result = (await service.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]
    assert (result["recorded"], result["rejected"]) == (1, 3)
    assert [i["outcome"] for i in result["items"]] == ["RECORDED"] + ["REJECTED"] * 3
    assert [i["error"]["code"] for i in result["items"][1:]] == [
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "BAD_USER_INPUT",
    ]
    assert [i["error"]["field"] for i in result["items"][2:]] == ["period", "rating"]
    assert result["items"][0]["assessment"]["rating"] == "GOOD"


async def test_a_bulk_records_the_members_in_the_senders_subtree_and_refuses_the_others(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, (ward, _), _, (inside, outside) = await scenario.two_wards()
    city = acting_as(Role.INTEGRATION, ward)
    bulk = {
        "submitter": "HR system of Giảng Võ",
        "items": [
            item("in", inside),
            item("out", outside),
            item("nobody", "no-such-member"),
            item("bad", inside, period="2019-13"),
        ],
    }

    result = await service.execute_ok(SUBMIT, {"input": bulk}, principal=city)

    sent = result["submitWorkplaceAssessments"]
    assert (sent["recorded"], sent["rejected"]) == (1, 3)
    assert [i["outcome"] for i in sent["items"]] == ["RECORDED"] + ["REJECTED"] * 3
    assert [i["error"] and i["error"]["code"] for i in sent["items"]] == [
        None,
        "FORBIDDEN",
        "FORBIDDEN",
        "BAD_USER_INPUT",
    ]
    stored = service.app.state.runtime.db["workplace_assessments"]
    documents = await stored.find({"submitted_by": city.subject}).to_list()
    assert [(d["member_id"], d["submitter"]) for d in documents] == [
        (inside, "HR system of Giảng Võ")
    ]


async def test_another_sender_can_neither_overwrite_nor_shadow_a_senders_results(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ward, (agency, cell, _) = await scenario.ward()
    member = await scenario.member(cell)
    await scenario.until_evaluated_by(member, "2019-10", cell)
    await scenario.until_known(district, ward, agency, cell)
    honest, other = acting_as(Role.INTEGRATION, ward), acting_as(Role.INTEGRATION)
    same_name = "ubnd-giang-vo"
    good = {"submitter": same_name, "items": [item("hr-1", member)]}
    poor = {"submitter": same_name, "items": [item("hr-1", member, rating="NOT_COMPLETED")]}

    first = await service.execute_ok(SUBMIT, {"input": good}, principal=honest)
    second = await service.execute_ok(SUBMIT, {"input": poor}, principal=other)
    again = await service.execute_ok(SUBMIT, {"input": good}, principal=honest)

    outcomes = [r["submitWorkplaceAssessments"]["items"][0] for r in (first, second, again)]
    assert [o["outcome"] for o in outcomes] == ["RECORDED", "RECORDED", "ALREADY_RECORDED"]
    assert outcomes[0]["assessment"]["id"] != outcomes[1]["assessment"]["id"]
    data = await service.execute_ok(
        """query($m: _Any!) { _entities(representations: [$m]) { ... on PartyMember {
             workplaceAssessments(period: "2019-10") { submitter submittedBy rating } } } }""",
        {"m": {"__typename": "PartyMember", "id": member}},
    )
    assert sorted(
        (a["submittedBy"], a["rating"]) for a in data["_entities"][0]["workplaceAssessments"]
    ) == sorted([(honest.subject, "GOOD"), (other.subject, "NOT_COMPLETED")])
