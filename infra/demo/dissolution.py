"""The Ba Đình 2019 demo, the story's turn: Giảng Võ dissolves its agency cell.

Giảng Võ walks its case the whole way — dissemination, plan, the district's approval, the
decision effective 01/10/2019, the announcement — and its 20 members and 3 admission
candidates are introduced to and received by 14 residential cells, which closes the case.
Some other wards are caught mid-way, as the district saw them in September 2019: two have
disseminated, one has its plan in (on time), the rest have not started — and are overdue
once the clock passes the 15/9/2019 deadline. Idempotent: each step is taken only from the
stage before it.
"""

import re
from typing import Any

from infra.demo.client import DemoFailed, DemoGateway

DEMO_AGENCY_CELL = re.compile(r"HN-BD-(?P<ward>[A-Z]+)-CQ")
CASES = """
query { dissolutionCases { id stage cell { code } } }
"""
STEP_MUTATIONS = {
    step: f"mutation ($input: {input_type}!) {{ {field}(input: $input) {{ stage }} }}"
    for step, (field, input_type) in {
        "DISSEMINATE": ("recordDissemination", "RecordDisseminationInput"),
        "SUBMIT_PLAN": ("submitPlan", "SubmitPlanInput"),
        "APPROVE_PLAN": ("approvePlan", "ApprovePlanInput"),
        "ISSUE_DECISION": ("issueDissolutionDecision", "IssueDissolutionDecisionInput"),
        "ANNOUNCE": ("recordAnnouncement", "RecordAnnouncementInput"),
    }.items()
}
NEXT_STEP = {
    "OPENED": "DISSEMINATE",
    "DISSEMINATED": "SUBMIT_PLAN",
    "PLAN_SUBMITTED": "APPROVE_PLAN",
    "PLAN_APPROVED": "ISSUE_DECISION",
    "DECISION_ISSUED": "ANNOUNCE",
}
DOCUMENTS = ["38-KL/TW", "109-KH/TU", "14-HD/BTCTU", "383-CV/QU"]


def step_input(step: str, case_id: str, ward: str) -> dict[str, Any]:
    inputs: dict[str, dict[str, Any]] = {
        "DISSEMINATE": {
            "heldOn": "2019-09-09",
            "attendeeCount": 23,
            "documents": DOCUMENTS,
            "note": f"Hội nghị quán triệt tại Đảng ủy phường {ward}",
        },
        "SUBMIT_PLAN": {
            "planNumber": "01-PA/ĐU",
            "planDate": "2019-09-12",
            "placements": [],
            "note": "Phương án giải thể chi bộ cơ quan, chuyển sinh hoạt về chi bộ địa bàn dân cư",
        },
        "APPROVE_PLAN": {
            "approvedOn": "2019-09-20",
            "opinion": "Ban Thường vụ Quận ủy đồng ý với phương án",
        },
        "ISSUE_DECISION": {
            "decisionNumber": "125-QĐ/ĐU",
            "signedOn": "2019-09-27",
            "signer": "Bí thư Đảng ủy phường Giảng Võ",
            "effectiveOn": "2019-10-01",
        },
        "ANNOUNCE": {"heldOn": "2019-10-01", "note": "Hội nghị công bố quyết định giải thể"},
    }
    return {"caseId": case_id, **inputs[step]}


# how far each ward's case goes in the demo: Giảng Võ all the way, a few mid-way
TARGET_STAGE = {
    "GV": "ANNOUNCED",
    "KM": "PLAN_SUBMITTED",
    "NK": "DISSEMINATED",
    "TC": "DISSEMINATED",
}
WARD_NAMES = {"GV": "Giảng Võ", "KM": "Kim Mã", "NK": "Ngọc Khánh", "TC": "Thành Công"}
ORDER = [
    "OPENED",
    "DISSEMINATED",
    "PLAN_SUBMITTED",
    "PLAN_APPROVED",
    "DECISION_ISSUED",
    "ANNOUNCED",
    "CLOSED",
]


async def walk_case(gateway: DemoGateway, case: dict[str, Any], ward: str) -> None:
    stage = case["stage"]
    target = TARGET_STAGE[ward]
    while stage in NEXT_STEP and ORDER.index(stage) < ORDER.index(target):
        step = NEXT_STEP[stage]
        data = await gateway.execute(
            STEP_MUTATIONS[step], {"input": step_input(step, case["id"], WARD_NAMES[ward])}
        )
        stage = next(iter(data.values()))["stage"]


TRANSFERS = """
query ($id: ID!) {
  dissolutionCase(id: $id) {
    stage
    transferProgress { total received }
    transfers { id state personName to { name } }
  }
}
"""
INTRODUCE = """
mutation ($id: ID!, $letterNo: String!) {
  issueIntroduction(id: $id, letterNo: $letterNo, issuedOn: "2019-10-01") { state }
}
"""
RECEIVE = """
mutation ($id: ID!, $on: Date!) { receiveTransfer(id: $id, receivedOn: $on) { state } }
"""


async def relocate_giang_vo(gateway: DemoGateway, case_id: str) -> None:
    """Introduce and receive every member and candidate of Giảng Võ's dissolved cell."""

    async def transfers_created() -> dict[str, Any]:
        data = await gateway.execute(TRANSFERS, {"id": case_id})
        case = data["dissolutionCase"]
        return case if case["transferProgress"]["total"] >= 23 else {}

    case = await gateway.eventually(transfers_created, timeout=60)
    for number, transfer in enumerate(case["transfers"], start=1):
        if transfer["state"] == "AWAITING_INTRODUCTION":
            await gateway.execute(
                INTRODUCE, {"id": transfer["id"], "letterNo": f"{number:02d}-GGT/ĐU"}
            )
            transfer["state"] = "INTRODUCED"
        if transfer["state"] == "INTRODUCED":
            received_on = f"2019-10-{3 + number % 5:02d}"
            await gateway.execute(RECEIVE, {"id": transfer["id"], "on": received_on})

    async def case_closed() -> bool:
        data = await gateway.execute(TRANSFERS, {"id": case_id})
        return bool(data["dissolutionCase"]["stage"] == "CLOSED")

    await gateway.eventually(case_closed, timeout=60)


GIANG_VO_AGENCY_CELL = """
query { organisationByCode(code: "HN-BD-GV-CQ") { memberCount candidates { id } } }
"""


async def load(gateway: DemoGateway) -> None:
    cases = (await gateway.execute(CASES))["dissolutionCases"]
    by_ward = {
        match["ward"]: case
        for case in cases
        if (match := DEMO_AGENCY_CELL.fullmatch(case["cell"]["code"]))
    }
    if ORDER.index(by_ward["GV"]["stage"]) < ORDER.index("DECISION_ISSUED"):
        cell = (await gateway.execute(GIANG_VO_AGENCY_CELL))["organisationByCode"]
        if cell is None or cell["memberCount"] + len(cell["candidates"]) == 0:
            raise DemoFailed("Giảng Võ's agency cell has nobody to move: load the members first")
    for ward in TARGET_STAGE:
        await walk_case(gateway, by_ward[ward], ward)
    await relocate_giang_vo(gateway, by_ward["GV"]["id"])
