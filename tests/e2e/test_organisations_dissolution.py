"""One dissolution case through the gateway, from OPENED to ANNOUNCED, with a returned plan;
overdue by the service's clock; malformed input refused without a trace."""

import uuid
from typing import Any

import pytest_asyncio
from kit.identity import Principal
from kit.testing import STAFF, eventually

from tests.e2e.conftest import ClientFor, Gateway
from tests.e2e.giang_vo import CREATE, GiangVoTree

# The audit trail names who took each step: the caller whose token the gateway verified.
ACTOR = "Nguyễn Văn An"

ISSUE = "mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { number } }"
LAUNCH = """
mutation ($input: LaunchCampaignInput!) {
  launchCampaign(input: $input) { id cases { id stage cell { code } } }
}
"""
CASE = """
query ($id: ID!) {
  dissolutionCase(id: $id) {
    stage allowedSteps cellDissolved
    cell { code status dissolvedOn }
    plan { number placements { personKind destinationCell { code } } }
    returnedPlans { reasons plan { number } }
    decision { number signedOn signer effectiveOn }
    auditTrail { step fromStage toStage actor at note }
  }
}
"""
STEPS: dict[str, tuple[str, dict[str, Any]]] = {
    "RECORD_DISSEMINATION": (
        "recordDissemination",
        {
            "heldOn": "2019-09-09",
            "attendeeCount": 20,
            "documents": ["38-KL/TW", "109-KH/TU", "14-HD/BTCTU"],
            "note": "Hội nghị quán triệt",
        },
    ),
    "SUBMIT_PLAN": ("submitPlan", {"planNumber": "05-PA/ĐU", "planDate": "2019-09-12"}),
    "APPROVE_PLAN": ("approvePlan", {"approvedOn": "2019-09-20", "opinion": "Đồng ý"}),
    "RETURN_PLAN": ("returnPlan", {"returnedOn": "2019-09-13", "reasons": "Bổ sung danh sách"}),
    "ISSUE_DECISION": (
        "issueDissolutionDecision",
        {
            "decisionNumber": "120-QĐ/ĐU",
            "signedOn": "2019-09-25",
            "signer": "Bí thư Đảng ủy phường",
            "effectiveOn": "2019-10-01",
        },
    ),
    "RECORD_ANNOUNCEMENT": ("recordAnnouncement", {"heldOn": "2019-09-30", "note": "Công bố"}),
}
INPUTS = {
    "recordDissemination": "RecordDisseminationInput",
    "submitPlan": "SubmitPlanInput",
    "approvePlan": "ApprovePlanInput",
    "returnPlan": "ReturnPlanInput",
    "issueDissolutionDecision": "IssueDissolutionDecisionInput",
    "recordAnnouncement": "RecordAnnouncementInput",
}


@pytest_asyncio.fixture(loop_scope="session")
async def ward_secretary(client_for: ClientFor) -> Gateway:
    return client_for(Principal("nguyen-van-an", ACTOR, STAFF.grants))


async def take(gateway: Gateway, step: str, case_id: str, **extra: Any) -> dict[str, Any]:
    mutation, fields = STEPS[step]
    return await gateway.execute(
        f"mutation ($input: {INPUTS[mutation]}!) {{ {mutation}(input: $input) {{ stage }} }}",
        {"input": {"caseId": case_id, **fields, **extra}},
    )


class Ward(GiangVoTree):
    """A district with one ward, its agency cell and two residential cells; unique codes."""

    async def launch(self, deadline: str = "2019-09-15") -> str:
        number = f"{int(self.tag, 16)}-CV/QU"
        await self.gateway.execute_ok(
            ISSUE,
            {
                "input": {
                    "number": number,
                    "issuer": "Ban Thường vụ Quận ủy Ba Đình",
                    "issuedOn": "2019-09-05",
                    "title": "Triển khai Hướng dẫn 14-HD/BTCTU",
                }
            },
        )
        data = await self.gateway.execute_ok(
            LAUNCH,
            {
                "input": {
                    "directiveNumber": number,
                    "districtCommitteeId": self.ids["BD"],
                    "wardCommitteeIds": [self.ids["GV"]],
                    "planDeadline": deadline,
                }
            },
        )
        return str(data["launchCampaign"]["cases"][0]["id"])


async def refuse_every_step_but(
    gateway: Gateway, case_id: str, stage: str, allowed: set[str]
) -> None:
    for step in STEPS:
        if step in allowed:
            continue
        body = await take(gateway, step, case_id)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "INVALID_TRANSITION", (stage, step, body)
        assert error["extensions"]["stage"] == stage
        assert set(error["extensions"]["allowedSteps"]) >= allowed - {"CLOSE"}
        assert stage in error["message"]


async def test_one_case_walks_from_opened_to_announced_with_a_returned_plan_and_its_audit_trail(
    ward_secretary: Gateway,
) -> None:
    gateway = ward_secretary
    ward = await Ward(gateway).build()
    case_id = await ward.launch()
    walk = [
        ("OPENED", "RECORD_DISSEMINATION", {}),
        ("DISSEMINATED", "SUBMIT_PLAN", {"planNumber": "04-PA/ĐU", "planDate": "2019-09-11"}),
        ("PLAN_SUBMITTED", "RETURN_PLAN", {}),
        (
            "DISSEMINATED",
            "SUBMIT_PLAN",
            {
                "placements": [
                    {
                        "personId": "m-01",
                        "personKind": "MEMBER",
                        "destinationCellId": ward.ids["TDP02"],
                    }
                ]
            },
        ),
        ("PLAN_SUBMITTED", "APPROVE_PLAN", {}),
        ("PLAN_APPROVED", "ISSUE_DECISION", {}),
        ("DECISION_ISSUED", "RECORD_ANNOUNCEMENT", {}),
    ]
    allowed_at = {
        "OPENED": {"RECORD_DISSEMINATION"},
        "DISSEMINATED": {"SUBMIT_PLAN"},
        "PLAN_SUBMITTED": {"APPROVE_PLAN", "RETURN_PLAN"},
        "PLAN_APPROVED": {"ISSUE_DECISION"},
        "DECISION_ISSUED": {"RECORD_ANNOUNCEMENT"},
        "ANNOUNCED": {"CLOSE"},
    }
    for stage, step, extra in walk:
        await refuse_every_step_but(gateway, case_id, stage, allowed_at[stage])
        body = await take(gateway, step, case_id, **extra)
        assert not body.get("errors"), (stage, step, body)

    async def closed() -> dict[str, Any]:
        # the members service has nobody in the cell: everyone is accounted for at the decision,
        # and the announced case closes (RULES.md: a cell with no members closes then)
        found: dict[str, Any] = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        assert found["stage"] == "CLOSED"
        return found

    case = await eventually(closed, timeout=30)
    await refuse_every_step_but(gateway, case_id, "CLOSED", set())
    assert case["allowedSteps"] == []
    assert case["returnedPlans"] == [
        {"reasons": "Bổ sung danh sách", "plan": {"number": "04-PA/ĐU"}}
    ]
    assert case["plan"] == {
        "number": "05-PA/ĐU",
        "placements": [{"personKind": "MEMBER", "destinationCell": {"code": f"{ward.tag}-TDP02"}}],
    }
    assert case["decision"] == {
        "number": "120-QĐ/ĐU",
        "signedOn": "2019-09-25",
        "signer": "Bí thư Đảng ủy phường",
        "effectiveOn": "2019-10-01",
    }
    assert case["cellDissolved"] is True
    assert case["cell"] == {
        "code": f"{ward.tag}-CQ",
        "status": "DISSOLVED",
        "dissolvedOn": "2019-10-01",
    }
    trail = case["auditTrail"]
    assert [(e["fromStage"], e["step"], e["toStage"]) for e in trail] == [
        ("OPENED", "RECORD_DISSEMINATION", "DISSEMINATED"),
        ("DISSEMINATED", "SUBMIT_PLAN", "PLAN_SUBMITTED"),
        ("PLAN_SUBMITTED", "RETURN_PLAN", "DISSEMINATED"),
        ("DISSEMINATED", "SUBMIT_PLAN", "PLAN_SUBMITTED"),
        ("PLAN_SUBMITTED", "APPROVE_PLAN", "PLAN_APPROVED"),
        ("PLAN_APPROVED", "ISSUE_DECISION", "DECISION_ISSUED"),
        ("DECISION_ISSUED", "RECORD_ANNOUNCEMENT", "ANNOUNCED"),
        ("ANNOUNCED", "CLOSE", "CLOSED"),
    ]
    assert {e["actor"] for e in trail[:-1]} == {ACTOR}
    assert [e["note"] for e in trail[:-1]] == [
        "Hội nghị quán triệt",
        None,
        "Bổ sung danh sách",
        None,
        "Đồng ý",
        None,
        "Công bố",
    ]
    assert [e["at"] for e in trail] == sorted(e["at"] for e in trail)


async def test_a_case_without_a_plan_is_overdue_when_the_clock_says_16_september_2019(
    gateway: Gateway,
) -> None:
    ward = await Ward(gateway).build()
    case_id = await ward.launch(deadline="2019-09-15")
    overdue = "query ($id: ID!) { dissolutionCase(id: $id) { overdue } }"
    try:
        assert await gateway.execute_ok('mutation { setToday(today: "2019-09-15") }') == {
            "setToday": "2019-09-15"
        }
        assert (await gateway.execute_ok(overdue, {"id": case_id}))["dissolutionCase"] == {
            "overdue": False
        }
        await gateway.execute_ok('mutation { setToday(today: "2019-09-16") }')
        assert (await gateway.execute_ok(overdue, {"id": case_id}))["dissolutionCase"] == {
            "overdue": True
        }
        listed = await gateway.execute_ok("{ dissolutionCases(overdue: true) { id } }")
        assert {"id": case_id} in listed["dissolutionCases"]
    finally:
        await gateway.execute_ok("mutation { setToday(today: null) }")


async def test_malformed_or_unknown_input_gets_a_clear_error_and_changes_nothing(
    gateway: Gateway,
) -> None:
    ward = await Ward(gateway).build()
    count = "query ($search: String!) { organisations(search: $search) { totalCount } }"
    before = await gateway.execute_ok(count, {"search": ward.tag})
    directives_before = await gateway.execute_ok("{ directives { number } }")
    cases = [
        (
            ISSUE,
            {"number": "383/QU", "issuer": "Quận ủy", "issuedOn": "2019-09-05", "title": "x"},
            "BAD_USER_INPUT",
            "383-CV/QU",
        ),
        (
            CREATE,
            {
                "code": f"{ward.tag}-X1",
                "name": "Chi bộ X",
                "kind": "CELL",
                "cellType": "OTHER",
                "parentId": ward.ids["TDP01"],
            },
            "BAD_USER_INPUT",
            "higher kind",
        ),
        (
            CREATE,
            {
                "code": f"{ward.tag}-X2",
                "name": "Chi bộ X",
                "kind": "CELL",
                "cellType": "OTHER",
                "parentId": str(uuid.uuid4()),
            },
            "NOT_FOUND",
            "parent",
        ),
        (
            CREATE,
            {
                "code": f"{ward.tag}-CQ",
                "name": "Chi bộ X",
                "kind": "CELL",
                "cellType": "OTHER",
                "parentId": ward.ids["GV"],
            },
            "CONFLICT",
            "already exists",
        ),
    ]
    for mutation, fields, code, words in cases:
        body = await gateway.execute(mutation, {"input": fields})
        error = body["errors"][0]
        assert error["extensions"]["code"] == code, body
        assert words in error["message"]
    assert await gateway.execute_ok(count, {"search": ward.tag}) == before
    assert await gateway.execute_ok("{ directives { number } }") == directives_before
