"""Who may read and change evaluations, through the real service: roles scoped to subtrees."""

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kit.identity import IDENTITY_HEADER, Principal, Role, sign_internal
from kit.testing import STAFF, ServiceUnderTest

from services.evaluations.tests.integration.support import acting_as, refused

EVALUATION = "query($id: ID!) { evaluation(id: $id) { id state proposedRating } }"
EVALUATIONS = """query($o: ID!) { evaluations(organisationId: $o, period: "2019-10") {
  id member { id } } }"""
CONNECTION = """query($o: ID!) { evaluationConnection(organisationId: $o, period: "2019-10") {
  totalCount } }"""
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Evaluation { id state selfRating }
  ... on PartyMember {
    evaluations(period: "2019-10") { id } assignments { id }
    workplaceAssessments(period: "2019-10") { id } evaluatedBy(period: "2019-10") { id }
  }
  ... on Organisation { evaluationSummary(period: "2019-10") { evaluated } }
} }"""
PROPOSE = """mutation($m: ID!, $r: Rating! = GOOD) {
  proposeRating(input: {memberId: $m, period: "2019-10", rating: $r}) { id state } }"""
FINALISE = """mutation($id: ID!) {
  finaliseRating(input: {evaluationId: $id, rating: GOOD}) { id state } }"""
SELF_ASSESS = """mutation($m: ID!) {
  selfAssess(input: {memberId: $m, period: "2019-10", rating: GOOD, comment: "Tốt"}) {
    id selfRating history { by subject } } }"""
ASSIGN = """mutation($m: ID!) {
  assignTask(input: {memberId: $m, period: "2019-10", task: "Trực tổ dân phố"}) { id } }"""
RECORD_RESULT = """mutation($a: ID!) {
  recordAssignmentResult(input: {assignmentId: $a, result: DONE}) { id } }"""
FEEDBACK = """mutation($m: ID!, $by: ID!) { addSupervisionFeedback(input: {
  memberId: $m, byMemberId: $by, period: "2019-10", comment: "Gương mẫu"}) { id } }"""
SUBMIT = """mutation($m: ID!) { submitWorkplaceAssessments(input: {items: [{externalId: "x",
  memberId: $m, period: "2019-10", assessorRole: "CITY_SYSTEM", assessorName: "HR",
  rating: "GOOD"}]}) { recorded } }"""


def member(member_id: str) -> dict[str, str]:
    return {"__typename": "PartyMember", "id": member_id}


def evaluation(member_id: str) -> dict[str, str]:
    return {"__typename": "Evaluation", "id": f"{member_id}:2019-10"}


def organisation(organisation_id: str) -> dict[str, str]:
    return {"__typename": "Organisation", "id": organisation_id}


async def two_cells(scenario: Any) -> tuple[str, list[str], list[str]]:
    """A ward with cells A and B, a cadre in each; the read model knows the tree."""
    district, ward, (agency, a, b) = await scenario.ward()
    in_a, in_b = await scenario.member(a), await scenario.member(b)
    await scenario.until_evaluated_by(in_b, "2019-10", b)
    await scenario.until_known(district, ward, agency, a, b)
    return ward, [a, b], [in_a, in_b]


async def test_a_request_without_the_gateways_identity_gets_401(service: ServiceUnderTest) -> None:
    query = {"query": '{ ruleSet(period: "2019") { name } }'}
    missing = await service.client.post("/graphql", json=query)
    forged = await service.client.post(
        "/graphql",
        json=query,
        headers={IDENTITY_HEADER: sign_internal(STAFF, Ed25519PrivateKey.generate())},
    )
    for response in (missing, forged):
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await service.execute_ok(query["query"]))["ruleSet"]["name"]


async def test_a_cell_secretary_reads_and_proposes_in_their_cell_only(
    scenario: Any, service: ServiceUnderTest
) -> None:
    ward, (a, b), (in_a, in_b) = await two_cells(scenario)
    secretary = acting_as(Role.CELL_SECRETARY, a)

    async def as_secretary(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await service.execute(query, variables, principal=secretary)

    own = await as_secretary(EVALUATION, {"id": f"{in_a}:2019-10"})
    assert own["data"]["evaluation"]["state"] == "DRAFT"
    for unseen in (f"{in_b}:2019-10", "nobody:2019-10", "not-an-id"):
        body = await as_secretary(EVALUATION, {"id": unseen})
        assert body["data"] == {"evaluation": None}
        refused(body, "evaluation")
    missing = await service.execute(EVALUATION, {"id": "nobody:2019-10"})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # whole tree: may know

    listed = (await as_secretary(EVALUATIONS, {"o": a}))["data"]["evaluations"]
    assert [e["member"]["id"] for e in listed] == [in_a]
    for other in (b, ward, "no-such-organisation"):
        refused(await as_secretary(EVALUATIONS, {"o": other}), "evaluations")
        refused(await as_secretary(CONNECTION, {"o": other}), "evaluationConnection")

    entities = await as_secretary(
        ENTITIES,
        {
            "r": [
                evaluation(in_a),
                evaluation(in_b),
                member(in_b),
                organisation(a),
                organisation(b),
            ]
        },
    )
    found = entities["data"]["_entities"]
    assert found[0]["state"] == "DRAFT"
    assert found[1] is None
    refused(entities, "_entities", 1)
    assert found[2] == {
        "evaluations": [],
        "assignments": [],
        "workplaceAssessments": [],
        "evaluatedBy": None,
    }
    refused(entities, "_entities", 2, "evaluatedBy")
    assert found[3] == {"evaluationSummary": {"evaluated": 1}}
    assert found[4] == {"evaluationSummary": None}
    refused(entities, "_entities", 4, "evaluationSummary")

    proposed = await as_secretary(PROPOSE, {"m": in_a})
    assert proposed["data"]["proposeRating"]["state"] == "PROPOSED"
    for outsider in (in_b, "nobody"):
        body = await as_secretary(PROPOSE, {"m": outsider, "r": "EXCELLENT"})
        assert body["data"] is None
        refused(body, "proposeRating")
        refused(await as_secretary(ASSIGN, {"m": outsider}), "assignTask")
    for giver in (in_b, "nobody"):  # whether a giver exists elsewhere is not told either
        body = await as_secretary(FEEDBACK, {"m": in_a, "by": giver})
        refused(body, "addSupervisionFeedback")
    untouched = await service.execute_ok(EVALUATION, {"id": f"{in_b}:2019-10"})
    assert untouched["evaluation"]["state"] == "DRAFT"


async def test_a_ward_committee_finalises_in_its_ward_only(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, (ward, _), _, (ours, theirs) = await scenario.two_wards()
    for someone in (ours, theirs):
        await service.execute_ok(PROPOSE, {"m": someone})
    committee = acting_as(Role.WARD_COMMITTEE, ward)

    done = await service.execute(FINALISE, {"id": f"{ours}:2019-10"}, principal=committee)
    assert done["data"]["finaliseRating"]["state"] == "FINALISED"
    for elsewhere in (f"{theirs}:2019-10", "nobody:2019-10"):
        refused(
            await service.execute(FINALISE, {"id": elsewhere}, principal=committee),
            "finaliseRating",
        )
    after = await service.execute_ok(EVALUATION, {"id": f"{theirs}:2019-10"})
    assert after["evaluation"]["state"] == "PROPOSED"
    refused(await service.execute(PROPOSE, {"m": ours}, principal=committee), "proposeRating")
    district_standing = acting_as(Role.DISTRICT_STANDING, district)
    refused(
        await service.execute(FINALISE, {"id": f"{theirs}:2019-10"}, principal=district_standing),
        "finaliseRating",
    )


async def test_a_member_self_assesses_and_reads_their_own_evaluations_only(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, (a, _), (an, _) = await two_cells(scenario)
    binh = await scenario.member(a)
    await scenario.until_evaluated_by(binh, "2019-10", a)
    me = Principal("u-an", "Nguyễn Văn An", acting_as(Role.MEMBER).grants, member_id=an)

    own = await service.execute_ok(SELF_ASSESS, {"m": an}, principal=me)
    assert own["selfAssess"]["selfRating"] == "GOOD"
    assert own["selfAssess"]["history"] == [{"by": an, "subject": "u-an"}]
    refused(await service.execute(SELF_ASSESS, {"m": binh}, principal=me), "selfAssess")
    refused(await service.execute(SELF_ASSESS, {"m": an}), "selfAssess")  # staff are not An
    untouched = await service.execute_ok(EVALUATION, {"id": f"{binh}:2019-10"})
    assert untouched["evaluation"]["state"] == "DRAFT"

    read = await service.execute_ok(EVALUATION, {"id": f"{an}:2019-10"}, principal=me)
    assert read["evaluation"]["id"] == f"{an}:2019-10"
    refused(
        await service.execute(EVALUATION, {"id": f"{binh}:2019-10"}, principal=me), "evaluation"
    )
    listed = await service.execute_ok(EVALUATIONS, {"o": a}, principal=me)
    assert [e["member"]["id"] for e in listed["evaluations"]] == [an]
    entities = await service.execute(
        ENTITIES, {"r": [member(an), member(binh), organisation(a)]}, principal=me
    )
    mine, theirs, cell = entities["data"]["_entities"]
    assert [e["id"] for e in mine["evaluations"]] == [f"{an}:2019-10"]
    assert mine["evaluatedBy"] == {"id": a}
    assert (theirs["evaluations"], theirs["evaluatedBy"]) == ([], None)
    assert cell == {"evaluationSummary": None}
    refused(entities, "_entities", 1, "evaluatedBy")
    refused(entities, "_entities", 2, "evaluationSummary")
    refused(await service.execute(PROPOSE, {"m": an}, principal=me), "proposeRating")


async def test_an_auditor_reads_everything_in_scope_and_changes_nothing(
    scenario: Any, service: ServiceUnderTest
) -> None:
    ward, _, (in_a, in_b) = await two_cells(scenario)
    await service.execute_ok(PROPOSE, {"m": in_a})
    assignment = await service.execute_ok(ASSIGN, {"m": in_a})
    auditor = acting_as(Role.AUDITOR, ward)

    read = await service.execute_ok(EVALUATION, {"id": f"{in_a}:2019-10"}, principal=auditor)
    assert read["evaluation"]["proposedRating"] == "GOOD"
    listed = await service.execute_ok(EVALUATIONS, {"o": ward}, principal=auditor)
    assert {e["member"]["id"] for e in listed["evaluations"]} == {in_a, in_b}
    summary = await service.execute_ok(ENTITIES, {"r": [organisation(ward)]}, principal=auditor)
    assert summary["_entities"] == [{"evaluationSummary": {"evaluated": 2}}]

    for anyone in (auditor, acting_as(Role.AUDITOR)):
        changes: list[tuple[str, dict[str, Any], str]] = [
            (ASSIGN, {"m": in_a}, "assignTask"),
            (RECORD_RESULT, {"a": assignment["assignTask"]["id"]}, "recordAssignmentResult"),
            (PROPOSE, {"m": in_b}, "proposeRating"),
            (FINALISE, {"id": f"{in_a}:2019-10"}, "finaliseRating"),
            (SELF_ASSESS, {"m": in_a}, "selfAssess"),
            (FEEDBACK, {"m": in_a, "by": in_b}, "addSupervisionFeedback"),
            (SUBMIT, {"m": in_a}, "submitWorkplaceAssessments"),
        ]
        for query, variables, name in changes:
            refused(await service.execute(query, variables, principal=anyone), name)
    after = await service.execute_ok(EVALUATION, {"id": f"{in_b}:2019-10"})
    assert after["evaluation"]["state"] == "DRAFT"


async def test_workplace_assessors_and_systems_only_submit(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, (a, _), (in_a, _) = await two_cells(scenario)
    for role in (Role.WORKPLACE_ASSESSOR, Role.INTEGRATION):
        sender = acting_as(role, a)
        refused(
            await service.execute(EVALUATION, {"id": f"{in_a}:2019-10"}, principal=sender),
            "evaluation",
        )
        refused(await service.execute(PROPOSE, {"m": in_a}, principal=sender), "proposeRating")
        sent = await service.execute_ok(SUBMIT, {"m": in_a}, principal=sender)
        assert sent["submitWorkplaceAssessments"]["recorded"] == 1
    refused(
        await service.execute(SUBMIT, {"m": in_a}, principal=acting_as(Role.CELL_SECRETARY, a)),
        "submitWorkplaceAssessments",
    )
