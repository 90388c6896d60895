from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import STAFF, ServiceUnderTest, eventually

PROPOSE = """
mutation($input: ProposeRatingInput!) { proposeRating(input: $input) { id state } }"""
FINALISE = """
mutation($input: FinaliseRatingInput!) {
  finaliseRating(input: $input) { id state finalRating overrides { rule reason } }
}"""
EVALUATION = """
query($id: ID!) {
  evaluation(id: $id) {
    state proposedRating finalRating organisation { id }
    policyFindings { rule source blocking basis overriddenBecause }
  }
}"""


async def assess(service: ServiceUnderTest, member: str, period: str, rating: str) -> None:
    await service.execute_ok(
        """mutation($input: SubmitWorkplaceAssessmentsInput!) {
             submitWorkplaceAssessments(input: $input) { recorded }
           }""",
        {
            "input": {
                "submitter": "ubnd",
                "items": [
                    {
                        "externalId": f"{member}-{period}",
                        "memberId": member,
                        "period": period,
                        "assessorRole": "PEOPLES_COMMITTEE_CHAIR",
                        "assessorName": "Chủ tịch UBND phường",
                        "rating": rating,
                    }
                ],
            }
        },
    )


async def propose(service: ServiceUnderTest, member: str, period: str, rating: str) -> str:
    data = await service.execute_ok(
        PROPOSE,
        {"input": {"memberId": member, "period": period, "rating": rating, "by": "Bí thư chi bộ"}},
    )
    evaluation_id: str = data["proposeRating"]["id"]
    return evaluation_id


async def finalise(
    service: ServiceUnderTest, evaluation_id: str, rating: str, overrides: list[Any] | None = None
) -> dict[str, Any]:
    return await service.execute(
        FINALISE,
        {
            "input": {
                "evaluationId": evaluation_id,
                "rating": rating,
                "by": "Đảng ủy phường",
                "overrides": overrides or [],
            }
        },
    )


async def test_finalising_excellent_for_a_cadre_whose_workplace_rank_is_good_is_refused(
    scenario: Any, service: ServiceUnderTest, published: Any
) -> None:
    _, _, (_, residential, _) = await scenario.ward()
    member = await scenario.member(residential, "CADRE")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    await assess(service, member, "2019-10", "GOOD")
    evaluation_id = await propose(service, member, "2019-10", "EXCELLENT")

    refused = await finalise(service, evaluation_id, "EXCELLENT")

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "POLICY_VIOLATION"
    assert "21-HD/BTCTW" in {f["source"] for f in error["extensions"]["findings"]}
    after = (await service.execute_ok(EVALUATION, {"id": evaluation_id}))["evaluation"]
    assert (after["state"], after["finalRating"]) == ("PROPOSED", None)
    assert "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT" in {
        f["rule"] for f in after["policyFindings"] if f["blocking"]
    }


async def test_an_override_with_a_reason_is_recorded_and_the_finalisation_published_once(
    scenario: Any, service: ServiceUnderTest, published: Any
) -> None:
    _, _, (_, residential, _) = await scenario.ward()
    member = await scenario.member(residential, "CADRE")
    await scenario.until_evaluated_by(member, "2019-11", residential)
    await assess(service, member, "2019-11", "GOOD")
    evaluation_id = await propose(service, member, "2019-11", "EXCELLENT")
    overrides = [
        {
            "rule": "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT",
            "reason": "Kết quả công tác đang xem lại",
        },
        {"rule": "NOT_ABOVE_WORKPLACE_RANK", "reason": "Như trên"},
    ]
    done = await finalise(service, evaluation_id, "EXCELLENT", overrides)
    assert done["data"]["finaliseRating"]["state"] == "FINALISED"
    again = await finalise(service, evaluation_id, "EXCELLENT", overrides)
    assert again["errors"][0]["extensions"]["code"] == "INVALID_TRANSITION"
    after = (await service.execute_ok(EVALUATION, {"id": evaluation_id}))["evaluation"]
    assert {f["overriddenBecause"] for f in after["policyFindings"] if f["blocking"]} == {
        "Kết quả công tác đang xem lại",
        "Như trên",
    }

    async def published_once() -> None:
        events = [
            e
            for e in published.of_type("partyorg.evaluations.evaluation.finalised.v1")
            if e["data"]["evaluationId"] == evaluation_id
        ]
        assert len(events) == 1
        assert events[0]["data"]["rating"] == "EXCELLENT"
        assert len(events[0]["data"]["overrides"]) == 2

    await eventually(published_once)


async def test_in_a_ward_with_10_good_a_third_excellent_for_2019_is_refused(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, first, second) = await scenario.ward()
    cells = [(first, second)[n % 2] for n in range(13)]
    members = [await scenario.member(cell, "OTHER") for cell in cells]
    good, excellent = members[:10], members[10:]
    for member, cell in zip(members, cells, strict=True):
        await scenario.until_evaluated_by(member, "2019", cell)
    for member in good:
        ok = await finalise(service, await propose(service, member, "2019", "GOOD"), "GOOD")
        assert "errors" not in ok
    for member in excellent[:2]:
        ok = await finalise(
            service, await propose(service, member, "2019", "EXCELLENT"), "EXCELLENT"
        )
        assert "errors" not in ok

    refused = await finalise(
        service, await propose(service, excellent[2], "2019", "EXCELLENT"), "EXCELLENT"
    )

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "POLICY_VIOLATION"
    [finding] = error["extensions"]["findings"]
    assert (finding["rule"], finding["source"]) == ("EXCELLENT_QUOTA", "21-HD/BTCTW")


async def test_the_summary_of_a_cell_a_ward_and_the_district(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ward, (agency, first, second) = await scenario.ward()
    an = await scenario.member(first, "CADRE")
    binh = await scenario.member(first, "CADRE")
    chi = await scenario.member(second, "OTHER")
    await scenario.until_evaluated_by(chi, "2019-12", second)
    await scenario.until_known(district, ward, agency, first, second)
    await assess(service, an, "2019-12", "GOOD")
    await finalise(service, await propose(service, an, "2019-12", "GOOD"), "GOOD")
    await propose(service, binh, "2019-12", "GOOD")
    summary = """
    query($o: _Any!) {
      _entities(representations: [$o]) {
        ... on Organisation {
          evaluationSummary(period: "2019-12") {
            evaluated drafts proposalsWaiting finalised
            ratings { rating count share }
            missingWorkplaceAssessmentCount missingWorkplaceAssessment { id }
            findings { evaluation { id } finding { rule source blocking } }
            ruleSet { name }
          }
        }
      }
    }"""

    async def of(organisation: str) -> dict[str, Any]:
        data = await service.execute_ok(
            summary, {"o": {"__typename": "Organisation", "id": organisation}}
        )
        result: dict[str, Any] = data["_entities"][0]["evaluationSummary"]
        return result

    for scope in (ward, district):
        report = await of(scope)
        assert (report["evaluated"], report["drafts"]) == (3, 1)
        assert (report["proposalsWaiting"], report["finalised"]) == (1, 1)
        assert {"rating": "GOOD", "count": 1, "share": 1.0} in report["ratings"]
        assert [m["id"] for m in report["missingWorkplaceAssessment"]] == [binh]
        assert report["findings"][0]["finding"]["rule"] == "WORKPLACE_RESULTS_EXPECTED"
        assert "21-HD/BTCTW" in report["ruleSet"]["name"]
    cell = await of(second)
    assert (cell["evaluated"], cell["drafts"], cell["missingWorkplaceAssessmentCount"]) == (1, 1, 0)


async def test_the_cell_assigns_a_task_and_records_its_result(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, residential, _) = await scenario.ward()
    member = await scenario.member(residential, "CADRE")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    assigned = await service.execute_ok(
        "mutation($input: AssignTaskInput!) {"
        " assignTask(input: $input) { id organisation { id } } }",
        {
            "input": {
                "memberId": member,
                "period": "2019-10",
                "task": "Trực tổ dân phố số 5",
                "assignedOn": "2019-10-02",
            }
        },
    )
    assignment = assigned["assignTask"]
    assert assignment["organisation"]["id"] == residential
    await service.execute_ok(
        "mutation($input: RecordAssignmentResultInput!) {"
        " recordAssignmentResult(input: $input) { result } }",
        {"input": {"assignmentId": assignment["id"], "result": "DONE", "note": "Đầy đủ"}},
    )
    data = await service.execute_ok(
        """query($m: _Any!) { _entities(representations: [$m]) {
             ... on PartyMember { assignments(period: "2019-10") { task result note } } } }""",
        {"m": {"__typename": "PartyMember", "id": member}},
    )
    assert data["_entities"][0]["assignments"] == [
        {"task": "Trực tổ dân phố số 5", "result": "DONE", "note": "Đầy đủ"}
    ]
    missing = await service.execute(
        'mutation { assignTask(input: {memberId: "nobody", period: "2019-10", task: "x"}) { id } }'
    )
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_without_a_by_the_caller_named_by_the_gateway_is_recorded(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, residential, _) = await scenario.ward()
    member = await scenario.member(residential, "OTHER")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    hoa = Principal("u-hoa", "Lê Thị Hoa", (Grant(Role.CELL_SECRETARY, residential),))
    data = await service.execute_ok(
        "mutation ($input: ProposeRatingInput!) {"
        " proposeRating(input: $input) { history { state by subject } } }",
        {"input": {"memberId": member, "period": "2019-10", "rating": "GOOD"}},
        principal=hoa,
    )
    assert data["proposeRating"]["history"] == [
        {"state": "PROPOSED", "by": "Lê Thị Hoa", "subject": "u-hoa"}
    ]


async def test_a_by_written_by_hand_is_kept_and_the_caller_recorded_beside_it(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, residential, _) = await scenario.ward()
    member = await scenario.member(residential, "OTHER")
    await scenario.until_evaluated_by(member, "2019-10", residential)
    evaluation_id = await propose(service, member, "2019-10", "GOOD")
    done = await finalise(service, evaluation_id, "GOOD")
    history = done["data"]["finaliseRating"]
    data = await service.execute_ok(
        "query($id: ID!) { evaluation(id: $id) { history { state by subject } } }",
        {"id": history["id"]},
    )
    assert data["evaluation"]["history"] == [
        {"state": "PROPOSED", "by": "Bí thư chi bộ", "subject": STAFF.subject},
        {"state": "FINALISED", "by": "Đảng ủy phường", "subject": STAFF.subject},
    ]
