from datetime import date

from kit.testing import ServiceUnderTest, eventually
from organisations.domain import Campaign, Stage
from organisations.service import DissolutionReads, DissolutionService

from services.organisations.tests.integration.support import (
    DECISION,
    DISSEMINATION,
    BaDinh,
    EventTap,
    take_step_ok,
)

ENTITIES = """
query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Organisation { code }
    ... on Directive { number }
    ... on DissolutionCase { stage cell { code } }
  }
}
"""
STAGE = "query ($id: ID!) { dissolutionCase(id: $id) { stage auditTrail { step actor } } }"
RELOCATED = "partyorg.members.dissolution.members_relocated.v1"


async def test_the_gateway_can_resolve_organisations_directives_and_cases_by_id(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
    campaign = await tree.launch(["GV"])
    directive = await service.execute_ok(
        "query ($n: String!) { directive(number: $n) { id } }", {"n": tree.directive_number}
    )
    found = await service.execute_ok(
        ENTITIES,
        {
            "representations": [
                {"__typename": "Organisation", "id": tree.ids["GV"]},
                {"__typename": "Directive", "id": directive["directive"]["id"]},
                {"__typename": "DissolutionCase", "id": campaign["cases"][0]["id"]},
            ]
        },
    )
    assert found["_entities"] == [
        {"code": tree.code("GV")},
        {"number": tree.directive_number},
        {"stage": "OPENED", "cell": {"code": tree.code("GV-CQ")}},
    ]


async def test_members_received_before_the_announcement_close_the_case_when_it_is_recorded(
    service: ServiceUnderTest, events: EventTap
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"})
    case_id = (await tree.launch(["GV"]))["cases"][0]["id"]
    await take_step_ok(service, "recordDissemination", case_id, **DISSEMINATION)
    await take_step_ok(service, "submitPlan", case_id, planNumber="01-PA", planDate="2019-09-12")
    await take_step_ok(service, "approvePlan", case_id, approvedOn="2019-09-20")
    await take_step_ok(service, "issueDissolutionDecision", case_id, **DECISION)
    relocated = {
        "caseId": case_id,
        "cellId": tree.ids["GV-CQ"],
        "wardCommitteeId": tree.ids["GV"],
        "members": 2,
        "candidates": 0,
        "completedOn": "2019-10-08",
    }
    await service.deliver(RELOCATED, relocated)

    async def relocation_noted() -> None:
        case = await service.execute_ok(
            "query ($id: ID!) { dissolutionCase(id: $id) { stage relocation { members } } }",
            {"id": case_id},
        )
        assert case["dissolutionCase"] == {"stage": "DECISION_ISSUED", "relocation": {"members": 2}}

    await eventually(relocation_noted)
    announced = await take_step_ok(service, "recordAnnouncement", case_id, heldOn="2019-09-30")
    assert announced["stage"] == "CLOSED"
    trail = (await service.execute_ok(STAGE, {"id": case_id}))["dissolutionCase"]["auditTrail"]
    assert [e["step"] for e in trail][-2:] == ["RECORD_ANNOUNCEMENT", "CLOSE"]

    async def announced_then_closed() -> None:
        mine = [e["type"].split(".")[-2] for e in events.received if e.get("subject") == case_id]
        assert mine[-2:] == ["announced", "closed"]

    await eventually(announced_then_closed)


async def test_a_campaign_interrupted_before_its_cases_were_opened_gets_them_at_the_next_check(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ"}, residential_cells=1)
    number = await tree.directive_383()
    dissolution: DissolutionService = service.app.state.dissolution
    reads: DissolutionReads = service.app.state.dissolution_reads
    directive = await dissolution.directives.directive(number)
    district = await dissolution.hierarchy.organisation(tree.ids["BD"])
    ward = await dissolution.hierarchy.organisation(tree.ids["GV"])
    cell = await dissolution.hierarchy.organisation(tree.ids["GV-CQ"])
    campaign = Campaign.launch(
        directive=directive,
        district=district,
        wards=[ward],
        cells_of_wards=[cell],
        plan_deadline=date(2019, 9, 15),
        launched_by="test",
        at=dissolution.clock.now(),
    )
    await dissolution.campaigns.add(campaign, [])  # as if the process died right after
    assert await reads.find_cases(campaign_id=campaign.id) == []
    await dissolution.complete_pending_work()
    [case] = await reads.find_cases(campaign_id=campaign.id)
    assert (case.cell_id, case.stage) == (tree.ids["GV-CQ"], Stage.OPENED)
    assert (await reads.campaign(campaign.id)).cases_opened
