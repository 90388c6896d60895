"""Every read of a member's evaluation data leaves its entry, which auditors read in scope."""

import uuid
from typing import Any

from kit.identity import Role
from kit.testing import ServiceUnderTest

from services.evaluations.tests.integration.support import acting_as, refused

LOG = """query Log($person: ID, $subject: String, $first: Int = 100) {
  evaluationDataAccessLog(personId: $person, subject: $subject, first: $first) {
    subject name roles personType personId organisationId fields requestId operation service
  }
}"""
EVERYTHING = """query ReadEvaluation($id: ID!) { evaluation(id: $id) {
  id state selfRating proposedRating history { by }
  assignments { task } workplaceAssessments { rating } supervisionFeedback { comment }
} }"""


async def prepared(scenario: Any, service: ServiceUnderTest) -> tuple[str, str, str]:
    """A ward, a cadre in a residential cell with a task, a job result, a fellow member's
    feedback and a proposal; returns the ward, the cell and the cadre."""
    district, ward, (agency, cell, _) = await scenario.ward()
    cadre, fellow = await scenario.member(cell, "CADRE"), await scenario.member(cell, "OTHER")
    await scenario.until_evaluated_by(fellow, "2019-10", cell)
    await scenario.until_known(district, ward, agency, cell)
    period = {"memberId": cadre, "period": "2019-10"}
    await service.execute_ok(
        "mutation($i: AssignTaskInput!) { assignTask(input: $i) { id } }",
        {"i": {**period, "task": "Trực tổ dân phố số 5"}},
    )
    await service.execute_ok(
        "mutation($i: AddSupervisionFeedbackInput!) { addSupervisionFeedback(input: $i) { id } }",
        {"i": {**period, "byMemberId": fellow, "comment": "Gương mẫu"}},
    )
    await service.execute_ok(
        "mutation($i: SubmitWorkplaceAssessmentsInput!) {"
        " submitWorkplaceAssessments(input: $i) { recorded } }",
        {
            "i": {
                "items": [
                    {
                        **period,
                        "externalId": f"hr-{cadre}",
                        "assessorRole": "PEOPLES_COMMITTEE_CHAIR",
                        "assessorName": "Chủ tịch UBND phường",
                        "rating": "GOOD",
                    }
                ]
            }
        },
    )
    await service.execute_ok(
        "mutation($i: ProposeRatingInput!) { proposeRating(input: $i) { id } }",
        {"i": {**period, "rating": "GOOD"}},
    )
    return ward, cell, cadre


async def entries(service: ServiceUnderTest, **variables: Any) -> list[dict[str, Any]]:
    auditor = acting_as(Role.AUDITOR)
    data = await service.execute_ok(LOG, variables, principal=auditor)
    found: list[dict[str, Any]] = data["evaluationDataAccessLog"]
    return found


async def test_each_personal_read_leaves_an_entry_per_person_type_naming_the_fields(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, cell, cadre = await prepared(scenario, service)
    secretary = acting_as(Role.CELL_SECRETARY, cell)
    request = f"rid-{uuid.uuid4().hex[:8]}"
    service.headers["x-request-id"] = request
    try:
        await service.execute_ok(EVERYTHING, {"id": f"{cadre}:2019-10"}, principal=secretary)
    finally:
        del service.headers["x-request-id"]

    logged = await entries(service, subject=secretary.subject)

    assert {e["personType"]: e["fields"] for e in logged} == {
        "Evaluation": [
            "assignments",
            "history",
            "proposedRating",
            "selfRating",
            "supervisionFeedback",
            "workplaceAssessments",
        ],
        "Assignment": ["task"],
        "WorkplaceAssessment": ["rating"],
        "SupervisionFeedback": ["comment"],
    }
    for entry in logged:
        assert (entry["personId"], entry["organisationId"]) == (cadre, cell)
        assert (entry["requestId"], entry["operation"]) == (request, "ReadEvaluation")
        assert entry["roles"] == [f"CELL_SECRETARY@{cell}"]
        assert (entry["name"], entry["service"]) == (secretary.name, "evaluations")


async def test_reads_of_the_member_entity_and_of_lists_are_logged_too(
    scenario: Any, service: ServiceUnderTest
) -> None:
    ward, _, cadre = await prepared(scenario, service)
    committee = acting_as(Role.WARD_COMMITTEE, ward)
    await service.execute_ok(
        """query($m: _Any!) { _entities(representations: [$m]) { ... on PartyMember {
             assignments { result note } workplaceAssessments(period: "2019-10") { assessorName }
             evaluations { finalRating } } } }""",
        {"m": {"__typename": "PartyMember", "id": cadre}},
        principal=committee,
    )
    await service.execute_ok(
        """query($w: ID!) { evaluations(organisationId: $w, period: "2019-10") {
             proposedScore } }""",
        {"w": ward},
        principal=committee,
    )

    logged = await entries(service, subject=committee.subject, person=cadre)

    assert sorted((e["personType"], tuple(e["fields"])) for e in logged) == [
        ("Assignment", ("note", "result")),
        ("Evaluation", ("finalRating",)),
        ("Evaluation", ("proposedScore",)),
        ("WorkplaceAssessment", ("assessorName",)),
    ]


async def test_reads_of_no_personal_field_and_refused_reads_leave_no_entry(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, cell, cadre = await prepared(scenario, service)
    secretary = acting_as(Role.CELL_SECRETARY, cell)
    outsider = acting_as(Role.CELL_SECRETARY, f"{cell}-elsewhere")
    await service.execute_ok(
        "query($id: ID!) { evaluation(id: $id) { id state period } }",
        {"id": f"{cadre}:2019-10"},
        principal=secretary,
    )
    refused(
        await service.execute(EVERYTHING, {"id": f"{cadre}:2019-10"}, principal=outsider),
        "evaluation",
    )

    assert await entries(service, subject=secretary.subject) == []
    assert await entries(service, subject=outsider.subject) == []


async def test_auditors_read_the_log_within_their_subtrees_and_nobody_else_reads_it(
    scenario: Any, service: ServiceUnderTest
) -> None:
    ward, cell, cadre = await prepared(scenario, service)
    district, other_ward, (_, other_cell, _) = await scenario.ward()
    await scenario.until_known(district, other_ward, other_cell)
    secretary = acting_as(Role.CELL_SECRETARY, cell)
    await service.execute_ok(EVERYTHING, {"id": f"{cadre}:2019-10"}, principal=secretary)
    mine = {"person": cadre, "subject": secretary.subject}

    for auditor, sees in (
        (acting_as(Role.AUDITOR, ward), 4),
        (acting_as(Role.AUDITOR, cell), 4),
        (acting_as(Role.AUDITOR, other_ward), 0),
        (acting_as(Role.AUDITOR), 4),
    ):
        data = await service.execute_ok(LOG, mine, principal=auditor)
        assert len(data["evaluationDataAccessLog"]) == sees, auditor
    only_two = await service.execute_ok(LOG, {**mine, "first": 2}, principal=auditor)
    assert len(only_two["evaluationDataAccessLog"]) == 2
    for role in (Role.CELL_SECRETARY, Role.WARD_COMMITTEE, Role.DISTRICT_STANDING, Role.MEMBER):
        body = await service.execute(LOG, mine, principal=acting_as(role, None, cadre))
        refused(body, "evaluationDataAccessLog")
