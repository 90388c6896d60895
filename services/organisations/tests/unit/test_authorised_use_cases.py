"""The table is asked before anything is touched, by the schema's `Access`: who may change the
tree where, which cases a caller sees, and refusals that tell nothing of what exists."""

from datetime import date

import pytest
from kit.identity import Grant, Principal, Role, Unauthenticated, current_principal
from organisations.domain import (
    Announcement,
    Approval,
    Decision,
    Dissemination,
    OrganisationStatus,
    Plan,
    Relocation,
    Stage,
)

from services.organisations.tests.unit.fakes import Services, answer
from services.organisations.tests.unit.two_districts import WHOLE_TREE, acting, two_districts


@pytest.fixture
async def ids(services: Services) -> dict[str, str]:
    services.clock.set_today(date(2019, 9, 20))
    return await two_districts(services)


CREATE = """mutation ($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id ancestorIds: ancestors { id } }
}"""
UPDATE = """mutation ($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) { id parent { id } }
}"""


def cell(code: str, parent_id: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "Chi bộ tổ dân phố số 2",
        "kind": "CELL",
        "parentId": parent_id,
        "cellType": "RESIDENTIAL",
    }


async def test_a_root_is_created_only_with_a_whole_tree_grant(services: Services) -> None:
    city_staff = acting(Role.DISTRICT_STANDING, "some-city")
    root = {"code": "HCM", "name": "Thành ủy", "kind": "CITY_COMMITTEE"}
    assert (await answer(services, city_staff, CREATE, input=root))[1] == ["FORBIDDEN"]
    assert await services.hierarchy.organisation_by_code("HCM") is None
    data, codes = await answer(services, WHOLE_TREE, CREATE, input=root)
    assert codes == [] and data["createOrganisation"]["ancestorIds"] == []


async def test_a_district_builds_under_itself_and_not_under_another(
    services: Services, ids: dict[str, str]
) -> None:
    ba_dinh = acting(Role.DISTRICT_STANDING, ids["BD"])
    data, codes = await answer(services, ba_dinh, CREATE, input=cell("X-GV-TDP02", ids["GV"]))
    assert codes == []
    created = await services.hierarchy.organisation(data["createOrganisation"]["id"])
    assert created.ancestor_ids == [ids["HN"], ids["BD"], ids["GV"]]
    refused = await answer(services, ba_dinh, CREATE, input=cell("X-TL-TDP02", ids["TL"]))
    assert refused[1] == ["FORBIDDEN"]
    assert await services.hierarchy.organisation_by_code("X-TL-TDP02") is None

    def renamed(key: str) -> dict[str, str]:
        return {"id": ids[key], "name": f"Đảng ủy phường {key}"}

    assert (await answer(services, ba_dinh, UPDATE, input=renamed("GV")))[1] == []
    assert (await answer(services, ba_dinh, UPDATE, input=renamed("TL")))[1] == ["FORBIDDEN"]
    giang_vo = acting(Role.WARD_COMMITTEE, ids["GV"])
    refused = await answer(services, giang_vo, UPDATE, input=renamed("GV-TDP01"))
    assert refused[1] == ["FORBIDDEN"]
    assert (await services.hierarchy.organisation(ids["TL"])).name == "TL"
    assert (await services.hierarchy.organisation(ids["GV-TDP01"])).name == "GV-TDP01"


async def test_a_move_needs_both_the_old_parent_and_the_new(
    services: Services, ids: dict[str, str]
) -> None:
    move = {"id": ids["GV"], "parentId": ids["TH"]}
    for only_one in (ids["BD"], ids["TH"]):
        refused = await answer(
            services, acting(Role.DISTRICT_STANDING, only_one), UPDATE, input=move
        )
        assert refused[1] == ["FORBIDDEN"]
    itself_and_new_parent = Principal(
        "u-1",
        "Phường và quận mới",
        (Grant(Role.DISTRICT_STANDING, ids["GV"]), Grant(Role.DISTRICT_STANDING, ids["TH"])),
    )
    assert (await answer(services, itself_and_new_parent, UPDATE, input=move))[1] == ["FORBIDDEN"]
    assert (await services.hierarchy.organisation(ids["GV"])).parent_id == ids["BD"]
    both = Principal(
        "u-2",
        "Hai quận",
        (Grant(Role.DISTRICT_STANDING, ids["BD"]), Grant(Role.DISTRICT_STANDING, ids["TH"])),
    )
    data, codes = await answer(services, both, UPDATE, input=move)
    assert codes == [] and data["updateOrganisation"]["parent"] == {"id": ids["TH"]}
    moved = await services.hierarchy.organisation(ids["GV"])
    assert moved.ancestor_ids == [ids["HN"], ids["TH"]]


CASE = "query ($id: ID!) { dissolutionCase(id: $id) { id auditTrail { actor subject } } }"
CASES = "query ($ward: ID) { dissolutionCases(wardCommitteeId: $ward) { id } }"
ENTITIES = """query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on DissolutionCase { id } }
}"""
APPROVE = "mutation ($input: ApprovePlanInput!) { approvePlan(input: $input) { id } }"
DISSEMINATE = """mutation ($input: RecordDisseminationInput!) {
  recordDissemination(input: $input) { id }
}"""
SUBMIT = "mutation ($input: SubmitPlanInput!) { submitPlan(input: $input) { id } }"
ISSUE = "mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { id } }"
LAUNCH = "mutation ($input: LaunchCampaignInput!) { launchCampaign(input: $input) { id } }"


async def test_an_unknown_id_is_forbidden_to_a_scoped_caller_and_not_found_to_the_whole_tree(
    services: Services, ids: dict[str, str]
) -> None:
    scoped = acting(Role.DISTRICT_STANDING, ids["BD"])
    renamed = {"id": "no-such-id", "name": "x"}
    assert (await answer(services, scoped, UPDATE, input=renamed))[1] == ["FORBIDDEN"]
    assert (await answer(services, WHOLE_TREE, UPDATE, input=renamed))[1] == ["NOT_FOUND"]
    in_no_parent = {"code": "X-NEW", "name": "x", "kind": "CELL", "parentId": "no-such-id"}
    assert (await answer(services, scoped, CREATE, input=in_no_parent))[1] == ["FORBIDDEN"]
    assert (await answer(services, WHOLE_TREE, CREATE, input=in_no_parent))[1] == ["NOT_FOUND"]
    assert (await answer(services, scoped, CASE, id="no-such-case"))[1] == ["FORBIDDEN"]
    assert (await answer(services, WHOLE_TREE, CASE, id="no-such-case"))[1] == ["NOT_FOUND"]
    approval = {"caseId": "no-such-case", "approvedOn": "2019-09-20"}
    assert (await answer(services, scoped, APPROVE, input=approval))[1] == ["FORBIDDEN"]


async def test_a_ward_runs_its_own_case_and_cannot_touch_another_wards(
    services: Services, ids: dict[str, str]
) -> None:
    giang_vo = acting(Role.WARD_COMMITTEE, ids["GV"])
    tu_lien_case = ids["TL-case"]
    placement = {"personId": "m-1", "personKind": "MEMBER", "destinationCellId": "not-a-cell"}
    plan = {
        "caseId": tu_lien_case,
        "planNumber": "01-PA",
        "planDate": "2019-09-12",
        "placements": [placement],
    }
    # refused before the destinations are looked at: an outsider learns nothing of them
    assert (await answer(services, giang_vo, SUBMIT, input=plan))[1] == ["FORBIDDEN"]
    assert (await services.dissolution_reads.case(tu_lien_case)).audit_trail == []


async def test_the_audit_trail_tells_apart_two_people_of_one_name(
    services: Services, ids: dict[str, str]
) -> None:
    case_id = ids["GV-case"]
    first = acting(Role.WARD_COMMITTEE, ids["GV"], subject="u-an-1")
    second = acting(Role.WARD_COMMITTEE, ids["GV"], subject="u-an-2")
    held = {"caseId": case_id, "heldOn": "2019-09-09", "attendeeCount": 20, "documents": []}
    assert (await answer(services, first, DISSEMINATE, input=held))[1] == []
    plan = {"caseId": case_id, "planNumber": "01-PA", "planDate": "2019-09-12"}
    assert (await answer(services, second, SUBMIT, input=plan))[1] == []
    data, _ = await answer(services, WHOLE_TREE, CASE, id=case_id)
    assert data["dissolutionCase"]["auditTrail"] == [
        {"actor": "Nguyễn Văn An", "subject": "u-an-1"},
        {"actor": "Nguyễn Văn An", "subject": "u-an-2"},
    ]


async def test_lists_of_cases_hold_only_what_the_caller_may_read(
    services: Services, ids: dict[str, str]
) -> None:
    async def case_ids(principal: Principal, ward: str | None = None) -> set[str] | list[str]:
        data, codes = await answer(services, principal, CASES, ward=ward)
        return codes or {c["id"] for c in data["dissolutionCases"]}

    both = {ids["GV-case"], ids["TL-case"]}
    assert await case_ids(WHOLE_TREE) == both
    assert await case_ids(acting(Role.AUDITOR, ids["HN"])) == both
    assert await case_ids(acting(Role.WARD_COMMITTEE, ids["GV"])) == {ids["GV-case"]}
    assert await case_ids(acting(Role.CELL_SECRETARY, ids["TL-CQ"])) == {ids["TL-case"]}
    assert await case_ids(acting(Role.CELL_SECRETARY, ids["GV-TDP01"])) == set()
    assert await case_ids(acting(Role.MEMBER, ids["GV-CQ"])) == set()
    assert await case_ids(acting(Role.WORKPLACE_ASSESSOR, ids["BD"])) == set()
    giang_vo = acting(Role.WARD_COMMITTEE, ids["GV"])
    assert await case_ids(giang_vo, ward=ids["GV"]) == {ids["GV-case"]}
    assert await case_ids(giang_vo, ward=ids["TL"]) == ["FORBIDDEN"]


async def test_cases_by_id_answer_each_id_on_its_own(
    services: Services, ids: dict[str, str]
) -> None:
    def asked(*case_ids: str) -> list[dict[str, str]]:
        return [{"__typename": "DissolutionCase", "id": i} for i in case_ids]

    giang_vo = acting(Role.AUDITOR, ids["GV"])
    representations = asked(ids["GV-case"], ids["TL-case"], "no-such-case")
    data, codes = await answer(services, giang_vo, ENTITIES, representations=representations)
    assert data["_entities"] == [{"id": ids["GV-case"]}, None, None]
    assert codes == ["FORBIDDEN", "FORBIDDEN"]
    data, codes = await answer(services, WHOLE_TREE, ENTITIES, representations=asked("no-case"))
    assert (data["_entities"], codes) == ([None], ["NOT_FOUND"])


async def test_a_campaign_is_launched_by_its_own_district_only(
    services: Services, ids: dict[str, str]
) -> None:
    ba_dinh = acting(Role.DISTRICT_STANDING, ids["BD"])
    # an unknown directive: refused before it is looked up in another district, NOT_FOUND in its own
    for district, ward, refusal in (("TH", "TL", "FORBIDDEN"), ("BD", "GV", "NOT_FOUND")):
        launched = {
            "directiveNumber": "999-CV/QU",
            "districtCommitteeId": ids[district],
            "wardCommitteeIds": [ids[ward]],
            "planDeadline": "2019-09-15",
        }
        assert (await answer(services, ba_dinh, LAUNCH, input=launched))[1] == [refusal]


async def test_a_directive_is_recorded_by_a_district_standing_committee_only(
    services: Services, ids: dict[str, str]
) -> None:
    def issued(number: str) -> dict[str, str]:
        return {"number": number, "issuer": "x", "issuedOn": "2019-09-06", "title": "x"}

    for role in (Role.WARD_COMMITTEE, Role.AUDITOR, Role.INTEGRATION):
        refused = await answer(services, acting(role, ids["BD"]), ISSUE, input=issued("384-CV/QU"))
        assert refused[1] == ["FORBIDDEN"]
    tay_ho = acting(Role.DISTRICT_STANDING, ids["TH"])
    assert (await answer(services, tay_ho, ISSUE, input=issued("not a number")))[1] == [
        "BAD_USER_INPUT"
    ]
    assert (await answer(services, tay_ho, ISSUE, input=issued("384-CV/QU")))[1] == []


async def test_the_members_report_and_the_daily_check_act_as_the_system_not_as_a_caller(
    services: Services, ids: dict[str, str]
) -> None:
    with pytest.raises(Unauthenticated):
        current_principal()  # no request here: nothing below can lean on a caller's identity
    services.clock.set_today(date(2019, 10, 20))
    ward = acting(Role.WARD_COMMITTEE, ids["GV"])
    district = acting(Role.DISTRICT_STANDING, ids["BD"])
    d, cases, case_id = services.dissolution, services.dissolution_reads, ids["GV-case"]
    dissemination = Dissemination(date(2019, 9, 9), 20, [])
    await d.record_dissemination(await cases.case(case_id), dissemination, ward, None)
    await d.submit_plan(await cases.case(case_id), Plan("01-PA", date(2019, 9, 12), []), ward, None)
    await d.approve_plan(await cases.case(case_id), Approval(date(2019, 9, 20), None), district)
    decision = Decision("125-QĐ/ĐU", date(2019, 9, 27), "Bí thư", date(2019, 10, 25))
    await d.issue_decision(await cases.case(case_id), decision, ward, None)
    await d.members_relocated("event-1", case_id, Relocation(20, 3, date(2019, 10, 8)))
    announcement = Announcement(date(2019, 10, 1))
    await d.record_announcement(await cases.case(case_id), announcement, ward, None)
    services.clock.set_today(date(2019, 10, 25))
    await d.complete_pending_work()
    case = await cases.case(case_id)
    assert case.stage is Stage.CLOSED
    assert (case.audit_trail[-1].actor, case.audit_trail[-1].subject) == (
        "members service",
        "system",
    )
    cell = await services.hierarchy.organisation(ids["GV-CQ"])
    assert (cell.status, cell.dissolved_on) == (OrganisationStatus.DISSOLVED, date(2019, 10, 25))
