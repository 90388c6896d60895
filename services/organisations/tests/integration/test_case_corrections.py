"""correctCaseStep through the subgraph, against real FerretDB and RabbitMQ: the role that
records a step corrects it with a reason, the old value stays in the case, others hear of it."""

from datetime import date
from typing import Any

from kit.clock import Clock
from kit.identity import Role
from kit.testing import ServiceUnderTest, eventually

from services.organisations.tests.integration.support import (
    DECISION,
    BaDinh,
    EventTap,
    take_step_ok,
)
from services.organisations.tests.integration.test_authorisation import acting
from services.organisations.tests.integration.test_dissolution import CELL, walk_to_approval

CORRECT = """
mutation ($input: CorrectCaseStepInput!) {
  correctCaseStep(input: $input) {
    decision { number signedOn effectiveOn }
    approval { approvedOn }
    cellDissolved
    corrections { step field oldValue newValue reason actor subject at }
  }
}
"""
KEPT = "query ($id: ID!) { dissolutionCase(id: $id) { decision { signer } corrections { field } } }"
REASON = "Ghi nhầm số quyết định"


async def decided_case(service: ServiceUnderTest, clock: Clock) -> tuple[BaDinh, str]:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    cases = (await tree.launch(["GV", "KM"]))["cases"]
    case_id = next(c["id"] for c in cases if c["cell"]["code"] == tree.code("GV-CQ"))
    clock.set_today(date(2019, 9, 26))
    await walk_to_approval(service, case_id, tree)
    await take_step_ok(service, "issueDissolutionDecision", case_id, **DECISION)
    return tree, case_id


def code_of(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


async def test_the_ward_committee_corrects_its_decision_and_the_old_number_stays_in_the_case(
    service: ServiceUnderTest, clock: Clock, events: EventTap
) -> None:
    tree, case_id = await decided_case(service, clock)
    giang_vo = acting(Role.WARD_COMMITTEE, tree.ids["GV"], subject="u-gv")
    body = await service.execute(
        CORRECT,
        {
            "input": {
                "caseId": case_id,
                "step": "ISSUE_DECISION",
                "decisionNumber": "121-QĐ/ĐU",
                "reason": REASON,
            }
        },
        principal=giang_vo,
    )
    assert not body.get("errors"), body["errors"]
    case = body["data"]["correctCaseStep"]
    assert case["decision"]["number"] == "121-QĐ/ĐU"
    [correction] = case["corrections"]
    assert {k: v for k, v in correction.items() if k != "at"} == {
        "step": "ISSUE_DECISION",
        "field": "decisionNumber",
        "oldValue": "120-QĐ/ĐU",
        "newValue": "121-QĐ/ĐU",
        "reason": REASON,
        "actor": giang_vo.display_name,
        "subject": "u-gv",
    }

    async def published_once() -> None:
        published = events.of_type("dissolution.step_corrected.v1", case_id)
        assert len(published) == 1
        event = published[0]
        assert event["data"]["corrections"] == [
            {"field": "decisionNumber", "from": "120-QĐ/ĐU", "to": "121-QĐ/ĐU"}
        ]
        assert (event["data"]["record"]["decisionNumber"], event["data"]["reason"]) == (
            "121-QĐ/ĐU",
            REASON,
        )

    await eventually(published_once)


async def test_a_corrected_effective_date_already_reached_dissolves_the_cell(
    service: ServiceUnderTest, clock: Clock
) -> None:
    tree, case_id = await decided_case(service, clock)
    corrected = await service.execute_ok(
        CORRECT,
        {
            "input": {
                "caseId": case_id,
                "step": "ISSUE_DECISION",
                "effectiveOn": "2019-09-26",
                "reason": "Quyết định có hiệu lực từ ngày ký",
            }
        },
    )
    assert corrected["correctCaseStep"]["cellDissolved"] is True
    cell = (await service.execute_ok(CELL, {"id": tree.ids["GV-CQ"]}))["organisation"]
    assert (cell["status"], cell["dissolvedOn"]) == ("DISSOLVED", "2019-09-26")
    again = await service.execute(
        CORRECT,
        {
            "input": {
                "caseId": case_id,
                "step": "ISSUE_DECISION",
                "effectiveOn": "2019-10-01",
                "reason": "Nhầm",
            }
        },
    )
    assert code_of(again) == "INVALID_TRANSITION"


async def test_a_correction_is_refused_to_other_roles_without_a_reason_or_before_the_step(
    service: ServiceUnderTest, clock: Clock
) -> None:
    tree, case_id = await decided_case(service, clock)

    def correcting(step: str, reason: str = REASON, **fields: Any) -> dict[str, Any]:
        return {"input": {"caseId": case_id, "step": step, "reason": reason, **fields}}

    kim_ma = acting(Role.WARD_COMMITTEE, tree.ids["KM"])
    secretary = acting(Role.CELL_SECRETARY, tree.ids["GV-CQ"])
    giang_vo = acting(Role.WARD_COMMITTEE, tree.ids["GV"])
    district = acting(Role.DISTRICT_STANDING, tree.ids["BD"])
    decision = correcting("ISSUE_DECISION", signer="Phó Bí thư")
    for outsider in (kim_ma, secretary, district):
        body = await service.execute(CORRECT, decision, principal=outsider)
        assert code_of(body) == "FORBIDDEN"
    # the approval is the district's to correct, not the ward's
    approval = correcting("APPROVE_PLAN", approvedOn="2019-09-19")
    assert code_of(await service.execute(CORRECT, approval, principal=giang_vo)) == "FORBIDDEN"
    approved = await service.execute_ok(CORRECT, approval, principal=district)
    assert approved["correctCaseStep"]["approval"] == {"approvedOn": "2019-09-19"}

    no_reason = correcting("ISSUE_DECISION", reason=" ", signer="Phó Bí thư")
    assert code_of(await service.execute(CORRECT, no_reason, principal=giang_vo)) == (
        "BAD_USER_INPUT"
    )
    out_of_order = correcting("ISSUE_DECISION", signedOn="2019-09-18")
    assert code_of(await service.execute(CORRECT, out_of_order, principal=giang_vo)) == (
        "BAD_USER_INPUT"
    )
    not_yet = correcting("RECORD_ANNOUNCEMENT", heldOn="2019-09-26")
    assert code_of(await service.execute(CORRECT, not_yet, principal=giang_vo)) == (
        "INVALID_TRANSITION"
    )
    unknown = {"input": {**decision["input"], "caseId": "no-such-case"}}
    assert code_of(await service.execute(CORRECT, unknown)) == "NOT_FOUND"
    kept = await service.execute_ok(
        KEPT,
        {"id": case_id},
    )
    assert kept["dissolutionCase"] == {
        "decision": {"signer": DECISION["signer"]},
        "corrections": [{"field": "approvedOn"}],
    }
