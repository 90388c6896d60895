"""The Ba Đình 2019 demo, evaluations part: Giảng Võ's ward cadres ranked where they now live.

Runs after the dissolution step, in which the 20 members of Giảng Võ's agency cell
(HN-BD-GV-CQ) are received by residential cells in early October 2019. For each of them and
for 2019-10, 2019-11, 2019-12 and the year 2019: a task from the residential cell with its
result, a job result shared by the ward's Party Secretary or People's Committee chairman, and
a ranking — October and November finalised by the ward, December proposed by the cells and
waiting, the year 2019 finalised for most and still proposed for the last few. A few fellow
cell members give supervision feedback.

Idempotent: assessments carry stable external ids; tasks, feedback and ranking steps are
taken only when the member has none yet / is at the step before.
"""

from typing import Any

from infra.demo.client import DemoFailed, DemoGateway

AGENCY_CELL = "HN-BD-GV-CQ"
SUBMITTER = "ubnd-phuong-giang-vo"
ASSESSORS = [
    ("WARD_PARTY_SECRETARY", "Bí thư Đảng ủy phường Giảng Võ"),
    ("PEOPLES_COMMITTEE_CHAIR", "Chủ tịch UBND phường Giảng Võ"),
]
PERIODS = ["2019-10", "2019-11", "2019-12", "2019"]
TASKS = {
    "2019-10": "Tham gia sinh hoạt chi bộ, nắm tình hình tổ dân phố",
    "2019-11": "Theo dõi, giúp đỡ quần chúng ưu tú trong nguồn kết nạp",
    "2019-12": "Tham gia tổ hòa giải và vận động vệ sinh môi trường",
    "2019": "Phụ trách công tác dân vận tại tổ dân phố năm 2019",
}
RESULTS = ["DONE", "DONE", "DONE", "PARTIAL", "DONE", "NOT_DONE", "DONE"]
CELL_SECRETARY = "Bí thư chi bộ tổ dân phố"
WARD_COMMITTEE = "Ban Thường vụ Đảng ủy phường Giảng Võ"

CASES = "query { dissolutionCases { id cell { code } } }"
MOVED = """
query ($id: ID!) {
  dissolutionCase(id: $id) {
    transfers { state personKind member { id } to { id } }
  }
}"""
MEMBER = """
query ($id: ID!, $period: String!) {
  member(id: $id) {
    evaluatedBy(period: $period) { id }
    assignments(period: $period) { id result }
    evaluations(period: $period) { id state supervisionFeedback { id } }
  }
}"""
ASSIGN = "mutation ($input: AssignTaskInput!) { assignTask(input: $input) { id } }"
RECORD = """
mutation ($input: RecordAssignmentResultInput!) { recordAssignmentResult(input: $input) { id } }
"""
SUBMIT = """
mutation ($input: SubmitWorkplaceAssessmentsInput!) {
  submitWorkplaceAssessments(input: $input) { recorded alreadyRecorded rejected }
}"""
PROPOSE = "mutation ($input: ProposeRatingInput!) { proposeRating(input: $input) { state } }"
FINALISE = "mutation ($input: FinaliseRatingInput!) { finaliseRating(input: $input) { state } }"
FINDINGS = "query ($id: ID!) { evaluation(id: $id) { policyFindings { rule blocking } } }"
FEEDBACK = """
mutation ($input: AddSupervisionFeedbackInput!) { addSupervisionFeedback(input: $input) { id } }
"""


def workplace_rating(index: int, period: str) -> str:
    """Mostly GOOD; two EXCELLENT a month and for the year; one COMPLETED now and then."""
    if index in (3, 11):
        return "EXCELLENT"
    if index == 7 and period != "2019":
        return "COMPLETED"
    return "GOOD"


def how_far(index: int, period: str, count: int) -> str:
    """October and November finalised, December waiting; the year finalised but the last 4."""
    if period in ("2019-10", "2019-11"):
        return "FINALISED"
    if period == "2019-12":
        return "PROPOSED"
    return "FINALISED" if index < count - 4 else "PROPOSED"


async def moved_members(gateway: DemoGateway) -> list[tuple[str, str]]:
    """(member id, receiving cell id) of every member received out of Giảng Võ's agency cell."""
    cases = (await gateway.execute(CASES))["dissolutionCases"]
    case = next((c for c in cases if c["cell"]["code"] == AGENCY_CELL), None)
    if case is None:
        return []
    transfers = (await gateway.execute(MOVED, {"id": case["id"]}))["dissolutionCase"]["transfers"]
    return sorted(
        (t["member"]["id"], t["to"]["id"])
        for t in transfers
        if t["personKind"] == "MEMBER" and t["state"] == "RECEIVED" and t["member"] and t["to"]
    )


async def member_in(gateway: DemoGateway, member_id: str, period: str) -> dict[str, Any]:
    data: dict[str, Any] = (await gateway.execute(MEMBER, {"id": member_id, "period": period}))[
        "member"
    ]
    return data


async def rank_in_order(gateway: DemoGateway, moved: list[tuple[str, str]], period: str) -> None:
    """GOOD ones first, so the 20% quota of EXCELLENT over GOOD in the ward has room; a
    proposal a rule blocks is left waiting rather than overridden."""
    ratings = {m: workplace_rating(i, period) for i, (m, _) in enumerate(moved)}
    goals = {m: how_far(i, period, len(moved)) for i, (m, _) in enumerate(moved)}
    order = sorted(moved, key=lambda pair: ratings[pair[0]] == "EXCELLENT")
    for member_id, _ in order:
        [evaluation] = (await member_in(gateway, member_id, period))["evaluations"]
        rating = ratings[member_id]
        if evaluation["state"] == "DRAFT":
            await gateway.execute(
                PROPOSE,
                {
                    "input": {
                        "memberId": member_id,
                        "period": period,
                        "rating": rating,
                        "by": CELL_SECRETARY,
                        "note": "Chi bộ đề xuất căn cứ nhiệm vụ được giao và kết quả công tác",
                    }
                },
            )
            evaluation["state"] = "PROPOSED"
        if evaluation["state"] == "PROPOSED" and goals[member_id] == "FINALISED":
            if await blocked(gateway, evaluation["id"]):
                continue  # left waiting: the ward's summary shows why
            await gateway.execute(
                FINALISE,
                {
                    "input": {
                        "evaluationId": evaluation["id"],
                        "rating": rating,
                        "by": WARD_COMMITTEE,
                    }
                },
            )


async def blocked(gateway: DemoGateway, evaluation_id: str) -> bool:
    """Whether a rule in force blocks the proposal (e.g. the ward's EXCELLENT quota is full)."""
    data = await gateway.execute(FINDINGS, {"id": evaluation_id})
    return any(finding["blocking"] for finding in data["evaluation"]["policyFindings"])


async def load(gateway: DemoGateway) -> None:
    moved = await moved_members(gateway)
    if not moved:
        print(f"demo: no member received out of {AGENCY_CELL} yet; evaluations skipped")
        return

    async def on_the_roster() -> bool:
        for member_id, cell_id in moved:
            found = await member_in(gateway, member_id, "2019-10")
            if (found["evaluatedBy"] or {}).get("id") != cell_id:
                return False
        return True

    await gateway.eventually(on_the_roster, timeout=60)

    for period in PERIODS:
        items = []
        for index, (member_id, cell_id) in enumerate(moved):
            if not (await member_in(gateway, member_id, period))["assignments"]:
                assigned = await gateway.execute(
                    ASSIGN,
                    {
                        "input": {
                            "memberId": member_id,
                            "period": period,
                            "task": TASKS[period],
                            "organisationId": cell_id,
                        }
                    },
                )
                result = RESULTS[index % len(RESULTS)] if period != "2019" else "DONE"
                await gateway.execute(
                    RECORD,
                    {"input": {"assignmentId": assigned["assignTask"]["id"], "result": result}},
                )
            role, name = ASSESSORS[0] if period == "2019" else ASSESSORS[index % 2]
            items.append(
                {
                    "externalId": f"GV-{member_id}-{period}",
                    "memberId": member_id,
                    "period": period,
                    "assessorRole": role,
                    "assessorName": name,
                    "rating": workplace_rating(index, period),
                    "comment": "Kết quả thực hiện chức trách, nhiệm vụ tại UBND phường",
                }
            )
        await gateway.execute(SUBMIT, {"input": {"submitter": SUBMITTER, "items": items}})
        await rank_in_order(gateway, moved, period)

    await add_supervision_feedback(gateway, moved)


async def add_supervision_feedback(gateway: DemoGateway, moved: list[tuple[str, str]]) -> None:
    """Where a cell received two of them, each comments on the other for October."""
    by_cell: dict[str, list[str]] = {}
    for member_id, cell_id in moved:
        by_cell.setdefault(cell_id, []).append(member_id)
    for members in by_cell.values():
        if len(members) < 2:
            continue
        first, second = members[:2]
        for member_id, by in ((first, second), (second, first)):
            [evaluation] = (await member_in(gateway, member_id, "2019-10"))["evaluations"]
            if evaluation["supervisionFeedback"]:
                continue
            try:
                await gateway.execute(
                    FEEDBACK,
                    {
                        "input": {
                            "memberId": member_id,
                            "byMemberId": by,
                            "period": "2019-10",
                            "comment": "Gương mẫu, gần gũi nhân dân tổ dân phố",
                        }
                    },
                )
            except DemoFailed as refused:  # e.g. about a member who is not a ward cadre
                print(f"demo: supervision feedback skipped: {refused}")
