import asyncio

from kit.clock import Clock
from kit.testing import FINDS, STAFF, ServiceUnderTest, eventually

from services.organisations.tests.integration.support import (
    DECISION,
    DISSEMINATION,
    BaDinh,
    EventTap,
    take_step,
    take_step_ok,
)

CELL = "query ($id: ID!) { organisation(id: $id) { status dissolvedOn version } }"
CAMPAIGN = """
query ($id: ID!) {
  campaign(id: $id) {
    progress { totalCases overdueCases byStage { stage count } }
    cases(overdue: true) { id }
  }
}
"""
CASES_OF = "query ($id: ID!) { dissolutionCases(campaignId: $id) { id stage } }"
LAUNCH = "mutation ($input: LaunchCampaignInput!) { launchCampaign(input: $input) { id } }"
RELOCATED = "partyorg.members.dissolution.members_relocated.v1"


async def walk_to_approval(service: ServiceUnderTest, case_id: str, tree: BaDinh) -> None:
    await take_step_ok(service, "recordDissemination", case_id, **DISSEMINATION)
    await take_step_ok(
        service,
        "submitPlan",
        case_id,
        planNumber="05-PA/ĐU",
        planDate="2019-09-12",
        placements=[
            {
                "personId": "member-1",
                "personKind": "MEMBER",
                "destinationCellId": tree.ids["GV-TDP02"],
            }
        ],
    )
    await take_step_ok(service, "approvePlan", case_id, approvedOn="2019-09-20")


async def test_a_campaign_opens_one_case_per_ward_agency_cell_once(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    campaign = await tree.launch(["GV", "KM"])
    assert sorted(c["cell"]["code"] for c in campaign["cases"]) == [
        tree.code("GV-CQ"),
        tree.code("KM-CQ"),
    ]
    assert {c["stage"] for c in campaign["cases"]} == {"OPENED"}
    again = await service.execute(
        LAUNCH,
        {
            "input": {
                "directiveNumber": tree.directive_number,
                "districtCommitteeId": tree.ids["BD"],
                "wardCommitteeIds": [tree.ids["GV"]],
                "planDeadline": "2019-09-15",
            }
        },
    )
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"

    async def launched_and_opened_once() -> None:
        launched = events.of_type("campaign.launched.v1", campaign["id"])
        assert len(launched) == 1
        assert launched[0]["data"]["wardCommitteeIds"] == [tree.ids["GV"], tree.ids["KM"]]
        assert launched[0]["data"]["planDeadline"] == "2019-09-15"
        opened = [
            e
            for e in events.of_type("dissolution.opened.v1")
            if e["data"]["campaignId"] == campaign["id"]
        ]
        assert sorted(e["data"]["cellId"] for e in opened) == sorted(
            [tree.ids["GV-CQ"], tree.ids["KM-CQ"]]
        )

    await eventually(launched_and_opened_once)


async def test_the_cases_of_a_list_of_campaigns_are_each_campaigns_own_found_in_one_query(
    service: ServiceUnderTest,
) -> None:
    launched = []
    for _ in range(3):
        tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
        launched.append((await tree.launch(["GV"]))["id"])
    FINDS.watch(service.settings.database_name)
    try:
        data = await service.execute_ok("{ campaigns { id cases { id stage } } }")
    finally:
        by_campaign = FINDS.finds_by("dissolution_cases", "campaign_id")
        FINDS.stop()

    listed = {c["id"]: c["cases"] for c in data["campaigns"]}
    for campaign_id in launched:
        own = await service.execute_ok(CASES_OF, {"id": campaign_id})
        assert listed[campaign_id] == own["dissolutionCases"] and len(own["dissolutionCases"]) == 1
    assert by_campaign == 1  # the periodic dissolution check may read cases meanwhile, by stage


async def test_a_case_walks_to_closed_with_its_audit_trail_and_one_event_per_step(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"})
    case_id = (await tree.launch(["GV"]))["cases"][0]["id"]
    await take_step_ok(service, "recordDissemination", case_id, **DISSEMINATION)
    await take_step_ok(service, "submitPlan", case_id, planNumber="04-PA/ĐU", planDate="2019-09-11")
    returned = await take_step_ok(
        service, "returnPlan", case_id, returnedOn="2019-09-12", reasons="Thiếu danh sách"
    )
    assert returned["stage"] == "DISSEMINATED"
    assert returned["returnedPlans"] == [
        {"reasons": "Thiếu danh sách", "plan": {"number": "04-PA/ĐU"}}
    ]
    await walk_to_approval_after_dissemination(service, case_id, tree)
    decided = await take_step_ok(service, "issueDissolutionDecision", case_id, **DECISION)
    assert decided["stage"] == "DECISION_ISSUED"
    assert decided["cellDissolved"] is True
    cell = (await service.execute_ok(CELL, {"id": tree.ids["GV-CQ"]}))["organisation"]
    assert cell == {"status": "DISSOLVED", "dissolvedOn": "2019-10-01", "version": 2}
    announced = await take_step_ok(service, "recordAnnouncement", case_id, heldOn="2019-09-30")
    assert announced["allowedSteps"] == ["CLOSE"]

    report = {
        "caseId": case_id,
        "cellId": tree.ids["GV-CQ"],
        "wardCommitteeId": tree.ids["GV"],
        "members": 20,
        "candidates": 3,
        "completedOn": "2019-10-20",
    }
    event_id = await service.deliver(RELOCATED, report)
    await service.deliver(RELOCATED, report, id=event_id)
    await service.deliver(RELOCATED, report)

    async def closed() -> None:
        case = (
            await service.execute_ok(
                "query ($id: ID!) { dissolutionCase(id: $id) { stage relocation { members } "
                "auditTrail { step actor subject note } } }",
                {"id": case_id},
            )
        )["dissolutionCase"]
        assert case["stage"] == "CLOSED"
        assert case["relocation"] == {"members": 20}
        assert [e["step"] for e in case["auditTrail"]] == [
            "RECORD_DISSEMINATION",
            "SUBMIT_PLAN",
            "RETURN_PLAN",
            "SUBMIT_PLAN",
            "APPROVE_PLAN",
            "ISSUE_DECISION",
            "RECORD_ANNOUNCEMENT",
            "CLOSE",
        ]
        assert {(e["actor"], e["subject"]) for e in case["auditTrail"][:-1]} == {
            (STAFF.name, STAFF.subject)
        }
        assert (case["auditTrail"][-1]["actor"], case["auditTrail"][-1]["subject"]) == (
            "members service",
            "system",
        )
        assert case["auditTrail"][2]["note"] == "Thiếu danh sách"

    await eventually(closed)

    async def one_event_per_step() -> None:
        mine = [e for e in events.received if e.get("subject") == case_id]
        assert [e["type"].split(".")[-2] for e in mine] == [
            "opened",
            "disseminated",
            "plan_submitted",
            "plan_returned",
            "plan_submitted",
            "plan_approved",
            "decided",
            "announced",
            "closed",
        ]
        decision = mine[6]["data"]
        assert decision["decisionNumber"] == "120-QĐ/ĐU"
        assert decision["effectiveOn"] == "2019-10-01"
        assert decision["wardCommitteeId"] == tree.ids["GV"]
        assert decision["placements"] == [
            {
                "personId": "member-1",
                "personKind": "MEMBER",
                "destinationCellId": tree.ids["GV-TDP02"],
            }
        ]
        dissolved = events.of_type("organisation.updated.v1", tree.ids["GV-CQ"])
        assert [e["data"]["status"] for e in dissolved] == ["DISSOLVED"]

    await eventually(one_event_per_step)


async def walk_to_approval_after_dissemination(
    service: ServiceUnderTest, case_id: str, tree: BaDinh
) -> None:
    await take_step_ok(
        service,
        "submitPlan",
        case_id,
        planNumber="05-PA/ĐU",
        planDate="2019-09-13",
        placements=[
            {
                "personId": "member-1",
                "personKind": "MEMBER",
                "destinationCellId": tree.ids["GV-TDP02"],
            }
        ],
    )
    await take_step_ok(service, "approvePlan", case_id, approvedOn="2019-09-20")


async def test_an_out_of_order_step_is_refused_naming_the_stage_and_the_next_steps(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"})
    case_id = (await tree.launch(["GV"]))["cases"][0]["id"]
    body = await take_step(service, "approvePlan", case_id, approvedOn="2019-09-20")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_TRANSITION"
    assert error["extensions"]["stage"] == "OPENED"
    assert error["extensions"]["allowedSteps"] == ["RECORD_DISSEMINATION"]
    assert "OPENED" in error["message"]


async def test_a_placement_outside_the_ward_is_refused(service: ServiceUnderTest) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    case_id = next(
        c["id"]
        for c in (await tree.launch(["GV", "KM"]))["cases"]
        if c["cell"]["code"] == tree.code("GV-CQ")
    )
    await take_step_ok(service, "recordDissemination", case_id, **DISSEMINATION)
    body = await take_step(
        service,
        "submitPlan",
        case_id,
        planNumber="05-PA/ĐU",
        planDate="2019-09-12",
        placements=[
            {"personId": "m1", "personKind": "MEMBER", "destinationCellId": tree.ids["KM-TDP01"]}
        ],
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["destinationCellId"] == tree.ids["KM-TDP01"]


async def test_a_decision_taking_effect_later_dissolves_the_cell_on_that_day(
    service: ServiceUnderTest, clock: Clock
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"})
    case_id = (await tree.launch(["GV"]))["cases"][0]["id"]
    clock.set_today(__import__("datetime").date(2019, 9, 26))
    await walk_to_approval(service, case_id, tree)
    decided = await take_step_ok(service, "issueDissolutionDecision", case_id, **DECISION)
    assert decided["cellDissolved"] is False
    assert (await service.execute_ok(CELL, {"id": tree.ids["GV-CQ"]}))["organisation"][
        "status"
    ] == "ACTIVE"
    today = await service.execute_ok('mutation { setToday(today: "2019-10-01") }')
    assert today == {"setToday": "2019-10-01"}
    cell = (await service.execute_ok(CELL, {"id": tree.ids["GV-CQ"]}))["organisation"]
    assert cell["status"] == "DISSOLVED" and cell["dissolvedOn"] == "2019-10-01"
    # no day given: back to the real date
    real = await service.execute_ok("mutation { setToday }")
    assert real["setToday"] > "2019-10-01"


async def test_a_case_without_a_plan_is_overdue_the_day_after_the_deadline(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    campaign = await tree.launch(["GV", "KM"])
    on_time = next(c["id"] for c in campaign["cases"] if c["cell"]["code"] == tree.code("KM-CQ"))
    late = next(c["id"] for c in campaign["cases"] if c["cell"]["code"] == tree.code("GV-CQ"))
    await service.execute_ok('mutation { setToday(today: "2019-09-14") }')
    await take_step_ok(service, "recordDissemination", on_time, **DISSEMINATION)
    await take_step_ok(service, "submitPlan", on_time, planNumber="01-PA/ĐU", planDate="2019-09-14")
    await service.execute_ok('mutation { setToday(today: "2019-09-15") }')
    before = (await service.execute_ok(CAMPAIGN, {"id": campaign["id"]}))["campaign"]
    assert before["progress"]["overdueCases"] == 0
    await service.execute_ok('mutation { setToday(today: "2019-09-16") }')
    after = (await service.execute_ok(CAMPAIGN, {"id": campaign["id"]}))["campaign"]
    assert after["progress"]["overdueCases"] == 1
    assert after["cases"] == [{"id": late}]
    stages = {s["stage"]: s["count"] for s in after["progress"]["byStage"]}
    assert (stages["OPENED"], stages["PLAN_SUBMITTED"], after["progress"]["totalCases"]) == (
        1,
        1,
        2,
    )


async def test_concurrent_steps_on_one_case_are_taken_once(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"})
    case_id = (await tree.launch(["GV"]))["cases"][0]["id"]
    bodies = await asyncio.gather(
        *(take_step(service, "recordDissemination", case_id, **DISSEMINATION) for _ in range(10))
    )
    taken = [b for b in bodies if not b.get("errors")]
    refused = {b["errors"][0]["extensions"]["code"] for b in bodies if b.get("errors")}
    assert len(taken) == 1
    assert refused <= {"CONFLICT", "INVALID_TRANSITION"}

    async def one_event() -> None:
        published = events.of_type("dissolution.disseminated.v1", case_id)
        assert len(published) == 1
        case = (
            await service.execute_ok(
                "query ($id: ID!) { dissolutionCase(id: $id) { auditTrail { step } } }",
                {"id": case_id},
            )
        )["dissolutionCase"]
        assert case["auditTrail"] == [{"step": "RECORD_DISSEMINATION"}]

    await eventually(one_event)
