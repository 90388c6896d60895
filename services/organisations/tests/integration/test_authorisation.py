"""Through the subgraph's HTTP endpoint, against real FerretDB and RabbitMQ: no gateway token, no
answer; each role acts and reads within its grants only; refusals tell nothing of what exists."""

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kit.identity import (
    IDENTITY_HEADER,
    Forbidden,
    Grant,
    Principal,
    Role,
    sign_internal,
)
from kit.testing import STAFF, ServiceUnderTest

from services.organisations.tests.integration.support import (
    DISSEMINATION,
    BaDinh,
    step_mutation,
)

CASE = "query ($id: ID!) { dissolutionCase(id: $id) { id stage } }"
CASES = "query ($c: ID!) { dissolutionCases(campaignId: $c) { id } }"
ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on DissolutionCase { id stage } }
}
"""
OPEN_TO_ALL = """
query ($c: ID!, $id: ID!, $n: String!) {
  today
  organisation(id: $id) { code children { totalCount } }
  directive(number: $n) { number }
  campaign(id: $c) { progress { totalCases } cases { id } }
}
"""
PLAN = {"planNumber": "01-PA/ĐU", "planDate": "2019-09-12"}
PLACEMENTS = "query ($id: ID!) { dissolutionCase(id: $id) { plan { placements { personId } } } }"
ACCESS_LOG = """
query ($person: ID!) {
  placementDataAccessLog(personId: $person) { subject personType personId fields organisationId }
}
"""
REFUSAL = str(Forbidden())


def acting(role: Role, organisation_id: str | None, subject: str = "u-1") -> Principal:
    return Principal(subject, f"{role.value} {organisation_id}", (Grant(role, organisation_id),))


def refused(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    assert error["message"] == REFUSAL
    code: str = error["extensions"]["code"]
    return code


async def step(
    service: ServiceUnderTest, by: Principal, name: str, case_id: str, **fields: Any
) -> dict[str, Any]:
    variables = {"input": {"caseId": case_id, **fields}}
    return await service.execute(step_mutation(name), variables, principal=by)


async def two_wards(service: ServiceUnderTest) -> tuple[BaDinh, dict[str, str], str]:
    """Giảng Võ and Kim Mã of Ba Đình, each with its open case; Tây Hồ, another district."""
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"}, residential_cells=1)
    await tree.create(
        "TH",
        code=tree.code("TH"),
        name="Quận ủy Tây Hồ",
        kind="DISTRICT_COMMITTEE",
        parentId=tree.ids["HN"],
    )
    campaign = await tree.launch(["GV", "KM"])
    cases = {
        ward: next(
            c["id"] for c in campaign["cases"] if c["cell"]["code"] == tree.code(f"{ward}-CQ")
        )
        for ward in ("GV", "KM")
    }
    return tree, cases, campaign["id"]


async def test_a_request_without_the_gateways_token_or_with_a_forged_one_gets_401(
    service: ServiceUnderTest,
) -> None:
    query = {"query": "{ today }"}
    bare = await service.client.post("/graphql", json=query)
    forged = await service.client.post(
        "/graphql",
        json=query,
        headers={IDENTITY_HEADER: sign_internal(STAFF, Ed25519PrivateKey.generate())},
    )
    for response in (bare, forged):
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "data" not in response.json()
    assert (await service.execute_ok("{ today }"))["today"]


async def test_a_ward_committee_runs_its_own_case_and_cannot_step_another_wards(
    service: ServiceUnderTest,
) -> None:
    tree, cases, _ = await two_wards(service)
    giang_vo = acting(Role.WARD_COMMITTEE, tree.ids["GV"], subject="u-gv")
    body = await step(service, giang_vo, "recordDissemination", cases["KM"], **DISSEMINATION)
    assert refused(body) == "FORBIDDEN"
    assert body["data"] is None
    kim_ma = (await service.execute_ok(CASE, {"id": cases["KM"]}))["dissolutionCase"]
    assert kim_ma["stage"] == "OPENED"
    body = await step(service, giang_vo, "recordDissemination", cases["GV"], **DISSEMINATION)
    assert not body.get("errors"), body
    [entry] = body["data"]["recordDissemination"]["auditTrail"]
    assert (entry["actor"], entry["subject"]) == (giang_vo.name, "u-gv")
    # the ward's committee neither approves its own plan nor refuses with anything but FORBIDDEN
    await step(service, giang_vo, "submitPlan", cases["GV"], **PLAN)
    body = await step(service, giang_vo, "approvePlan", cases["GV"], approvedOn="2019-09-20")
    assert refused(body) == "FORBIDDEN"


async def test_an_auditor_reads_cases_and_cannot_step_them(service: ServiceUnderTest) -> None:
    tree, cases, campaign_id = await two_wards(service)
    auditor = acting(Role.AUDITOR, tree.ids["BD"])
    read = await service.execute_ok(CASE, {"id": cases["GV"]}, principal=auditor)
    assert read["dissolutionCase"] == {"id": cases["GV"], "stage": "OPENED"}
    listed = await service.execute_ok(CASES, {"c": campaign_id}, principal=auditor)
    assert {c["id"] for c in listed["dissolutionCases"]} == set(cases.values())
    for name, fields in (
        ("recordDissemination", DISSEMINATION),
        ("approvePlan", {"approvedOn": "2019-09-20"}),
    ):
        assert refused(await step(service, auditor, name, cases["GV"], **fields)) == "FORBIDDEN"
    assert (await service.execute_ok(CASE, {"id": cases["GV"]}))["dissolutionCase"][
        "stage"
    ] == "OPENED"


async def test_the_standing_committee_of_another_district_cannot_approve(
    service: ServiceUnderTest,
) -> None:
    tree, cases, _ = await two_wards(service)
    await step(service, STAFF, "recordDissemination", cases["GV"], **DISSEMINATION)
    await step(service, STAFF, "submitPlan", cases["GV"], **PLAN)
    tay_ho = acting(Role.DISTRICT_STANDING, tree.ids["TH"])
    body = await step(service, tay_ho, "approvePlan", cases["GV"], approvedOn="2019-09-20")
    assert refused(body) == "FORBIDDEN"
    ba_dinh = acting(Role.DISTRICT_STANDING, tree.ids["BD"])
    body = await step(service, ba_dinh, "approvePlan", cases["GV"], approvedOn="2019-09-20")
    assert body["data"]["approvePlan"]["stage"] == "PLAN_APPROVED"


async def test_reads_of_cases_keep_to_the_callers_scope_and_never_tell_what_exists(
    service: ServiceUnderTest,
) -> None:
    tree, cases, campaign_id = await two_wards(service)
    giang_vo = acting(Role.WARD_COMMITTEE, tree.ids["GV"])
    listed = await service.execute_ok(CASES, {"c": campaign_id}, principal=giang_vo)
    assert listed["dissolutionCases"] == [{"id": cases["GV"]}]
    other = await service.execute(CASE, {"id": cases["KM"]}, principal=giang_vo)
    unknown = await service.execute(CASE, {"id": "no-such-case"}, principal=giang_vo)
    assert refused(other) == refused(unknown) == "FORBIDDEN"
    whole_tree = await service.execute(CASE, {"id": "no-such-case"})
    assert whole_tree["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    representations = [
        {"__typename": "DissolutionCase", "id": cases["GV"]},
        {"__typename": "DissolutionCase", "id": cases["KM"]},
    ]
    found = await service.execute(
        ENTITIES, {"representations": representations}, principal=giang_vo
    )
    assert found["data"]["_entities"] == [{"id": cases["GV"], "stage": "OPENED"}, None]
    [error] = found["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["_entities", 1], "FORBIDDEN")


async def test_the_tree_directives_campaigns_and_today_are_open_to_any_caller(
    service: ServiceUnderTest,
) -> None:
    tree, _, campaign_id = await two_wards(service)
    for nobody in (Principal("u-0", "Khách"), acting(Role.MEMBER, tree.ids["GV-CQ"])):
        data = await service.execute_ok(
            OPEN_TO_ALL,
            {"c": campaign_id, "id": tree.ids["GV"], "n": tree.directive_number},
            principal=nobody,
        )
        assert data["organisation"] == {"code": tree.code("GV"), "children": {"totalCount": 2}}
        assert data["directive"] == {"number": tree.directive_number}
        assert data["campaign"] == {"progress": {"totalCases": 2}, "cases": []}
        assert data["today"]


async def test_every_read_of_a_placement_is_logged_and_shown_to_auditors_of_its_subtree(
    service: ServiceUnderTest,
) -> None:
    tree, cases, _ = await two_wards(service)
    person = f"member-{tree.tag}"
    placement = {
        "personId": person,
        "personKind": "MEMBER",
        "destinationCellId": tree.ids["GV-TDP01"],
    }
    await step(service, STAFF, "recordDissemination", cases["GV"], **DISSEMINATION)
    await step(service, STAFF, "submitPlan", cases["GV"], **PLAN, placements=[placement])
    reader = acting(Role.WARD_COMMITTEE, tree.ids["GV"], subject=f"u-gv-{tree.tag}")
    read = await service.execute_ok(PLACEMENTS, {"id": cases["GV"]}, principal=reader)
    assert read["dissolutionCase"]["plan"]["placements"] == [{"personId": person}]

    auditor = acting(Role.AUDITOR, tree.ids["BD"])
    log = await service.execute_ok(ACCESS_LOG, {"person": person}, principal=auditor)
    reads = [e for e in log["placementDataAccessLog"] if e["subject"] == reader.subject]
    assert reads == [
        {
            "subject": reader.subject,
            "personType": "Placement",
            "personId": person,
            "fields": ["personId"],
            "organisationId": tree.ids["GV-CQ"],
        }
    ]
    elsewhere = acting(Role.AUDITOR, tree.ids["TH"])
    log = await service.execute_ok(ACCESS_LOG, {"person": person}, principal=elsewhere)
    assert log["placementDataAccessLog"] == []
    body = await service.execute(ACCESS_LOG, {"person": person}, principal=reader)
    assert refused(body) == "FORBIDDEN"
