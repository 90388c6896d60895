"""Giảng Võ's decision through the gateway: 20 members and 3 candidates of the agency cell are
transferred to 14 residential cells, received, and the organisations service closes the case."""

import time
from typing import Any

from kit.testing import eventually

from tests.e2e.conftest import Gateway
from tests.e2e.giang_vo import GiangVoTree

ISSUE = "mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { number } }"
LAUNCH = """
mutation ($input: LaunchCampaignInput!) { launchCampaign(input: $input) { cases { id } } }
"""
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
ADD_CANDIDATE = "mutation ($input: AddCandidateInput!) { addCandidate(input: $input) { id } }"
Step = tuple[str, str, dict[str, Any]]
STEPS: list[Step] = [
    (
        "recordDissemination",
        "RecordDisseminationInput",
        {"heldOn": "2019-09-09", "attendeeCount": 23, "documents": ["383-CV/QU"]},
    ),
    ("submitPlan", "SubmitPlanInput", {"planNumber": "01-PA/ĐU", "planDate": "2019-09-12"}),
    ("approvePlan", "ApprovePlanInput", {"approvedOn": "2019-09-20", "opinion": "Đồng ý"}),
]
DECIDE: Step = (
    "issueDissolutionDecision",
    "IssueDissolutionDecisionInput",
    {
        "decisionNumber": "125-QĐ/ĐU",
        "signedOn": "2019-09-27",
        "signer": "Bí thư Đảng ủy phường Giảng Võ",
        "effectiveOn": "2019-10-01",
    },
)
ANNOUNCE: Step = ("recordAnnouncement", "RecordAnnouncementInput", {"heldOn": "2019-10-01"})
CASE = """
query ($id: ID!) {
  dissolutionCase(id: $id) {
    stage
    transferProgress {
      total members candidates needingDestination awaitingIntroduction introduced received
    }
    transfers { id personKind state to { id code } member { id } candidate { id } }
  }
}
"""
INTRODUCE = """
mutation ($id: ID!, $letter: String!) {
  issueIntroduction(id: $id, letterNo: $letter, issuedOn: "2019-10-01",
    checklist: {memberRecordSheet: true, sealedMemberFile: true, partyCardOrAdmissionFile: true,
      lastSelfReview: true, duesPaidThrough: "2019-09"}) { state reportBy }
}
"""
RECEIVE = 'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-08") { state } }'
WHERE = "query ($id: ID!) { member(id: $id) { id organisation { id code } } }"
PLACES = """
query ($cell: ID!) {
  organisation(id: $cell) { code memberCount candidates { id } members { id } }
}
"""


async def step(gateway: Gateway, case_id: str, mutation: Step) -> None:
    name, input_type, fields = mutation
    await gateway.execute_ok(
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ stage }} }}",
        {"input": {"caseId": case_id, **fields}},
    )


class GiangVo(GiangVoTree):
    """A ward with its agency cell of 20 members and 3 candidates and 14 residential cells;
    codes unique to this test run."""

    def __init__(self, gateway: Gateway) -> None:
        super().__init__(gateway, residential_cells=14)
        self.people: dict[str, int] = {}  # member or candidate id → the group they live in

    async def staff(self) -> None:
        async def first_registration() -> str:
            return await self.register(1)

        await eventually(first_registration, timeout=30)  # the members service learns the cells
        for n in range(2, 21):
            await self.register(n)
        for n in range(1, 4):
            await self.staff_candidate(n)

    async def staff_candidate(self, n: int = 1) -> None:
        data = await self.gateway.execute_ok(
            ADD_CANDIDATE,
            {
                "input": {
                    "fullName": f"Quần chúng {n}",
                    "dateOfBirth": f"199{n}-03-0{n}",
                    "gender": "FEMALE",
                    "organisationId": self.ids["CQ"],
                    "on": "2019-05-01",
                    "residence": {"address": "Giảng Võ", "residentialGroup": f"TDP {n + 11}"},
                    "workplace": {"name": "UBND phường Giảng Võ", "role": "NON_SPECIALISED"},
                }
            },
        )
        self.people[data["addCandidate"]["id"]] = n + 11

    def member_input(self, n: int) -> dict[str, Any]:
        """Member n of the agency cell, living in residential group (n - 1) % 14 + 1."""
        return {
            "cardNumber": f"{self.tag}.{n:02d}",
            "fullName": f"Đảng viên {n:02d}",
            "dateOfBirth": "1975-06-15",
            "gender": "MALE" if n % 2 else "FEMALE",
            "standing": "PROBATIONARY" if n > 18 else "OFFICIAL",
            "admittedOn": "2019-02-01" if n > 18 else "2001-02-03",
            "officialOn": None if n > 18 else "2002-02-03",
            "organisationId": self.ids["CQ"],
            "residence": {"address": "Giảng Võ", "residentialGroup": f"TDP {(n - 1) % 14 + 1}"},
            "workplace": {"name": "UBND phường Giảng Võ", "role": "CIVIL_SERVANT"},
        }

    async def register(self, n: int) -> str:
        data = await self.gateway.execute_ok(REGISTER, {"input": self.member_input(n)})
        member_id: str = data["registerMember"]["id"]
        self.people[member_id] = (n - 1) % 14 + 1
        return member_id

    async def decide(self, decision: Step = DECIDE) -> str:
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
        launched = await self.gateway.execute_ok(
            LAUNCH,
            {
                "input": {
                    "directiveNumber": number,
                    "districtCommitteeId": self.ids["BD"],
                    "wardCommitteeIds": [self.ids["GV"]],
                    "planDeadline": "2019-09-15",
                }
            },
        )
        case_id: str = launched["launchCampaign"]["cases"][0]["id"]
        for mutation in STEPS:
            await step(self.gateway, case_id, mutation)
        await step(self.gateway, case_id, decision)
        return case_id


async def test_the_giang_vo_decision_moves_20_members_and_3_candidates_and_closes_the_case(
    gateway: Gateway,
) -> None:
    ward = await GiangVo(gateway).build()
    await ward.staff()
    case_id = await ward.decide()
    decided_at = time.perf_counter()

    async def all_created() -> dict[str, Any]:
        case: dict[str, Any] = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        assert case["transferProgress"]["total"] == 23
        return case

    case = await eventually(all_created, timeout=30)
    print(f"\n23 transfers visible {time.perf_counter() - decided_at:.2f}s after the decision")
    assert case["transferProgress"] == {
        "total": 23,
        "members": 20,
        "candidates": 3,
        "needingDestination": 0,
        "awaitingIntroduction": 23,
        "introduced": 0,
        "received": 0,
    }
    residential = {ward.ids[f"TDP{n:02d}"]: n for n in range(1, 15)}
    for transfer in case["transfers"]:
        person = (transfer["member"] or transfer["candidate"])["id"]
        assert residential[transfer["to"]["id"]] == ward.people[person]
    assert len({t["to"]["id"] for t in case["transfers"]}) == 14

    await step(gateway, case_id, ANNOUNCE)
    for number, transfer in enumerate(case["transfers"], start=1):
        introduced = await gateway.execute_ok(
            INTRODUCE, {"id": transfer["id"], "letter": f"{number:02d}-GGT/ĐU"}
        )
        assert introduced["issueIntroduction"] == {"state": "INTRODUCED", "reportBy": "2019-11-12"}
    for transfer in case["transfers"]:
        await gateway.execute_ok(RECEIVE, {"id": transfer["id"]})

    for transfer in case["transfers"]:
        if transfer["member"]:
            placed = (await gateway.execute_ok(WHERE, {"id": transfer["member"]["id"]}))["member"]
            assert residential[placed["organisation"]["id"]] == ward.people[placed["id"]]
    agency = await gateway.execute_ok(PLACES, {"cell": ward.ids["CQ"]})
    assert agency["organisation"]["memberCount"] == 0
    assert agency["organisation"]["candidates"] == []
    first_group = await gateway.execute_ok(PLACES, {"cell": ward.ids["TDP12"]})
    assert len(first_group["organisation"]["candidates"]) == 1

    async def closed() -> None:
        data = await gateway.execute_ok(CASE, {"id": case_id})
        assert data["dissolutionCase"]["stage"] == "CLOSED"
        assert data["dissolutionCase"]["transferProgress"]["received"] == 23

    await eventually(closed, timeout=60)


REQUEST = "mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }"
ASSIGN = """
mutation ($c: ID!, $m: ID!) { assignMentor(candidateId: $c, memberId: $m) { id } }
"""
STATE = """
query ($member: ID!, $candidate: ID!) {
  member(id: $member) { organisation { id } transfers { state } }
  candidate(id: $candidate) { mentors { id } }
}
"""


def code_of(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


async def test_bad_input_gets_a_clear_error_and_changes_nothing(gateway: Gateway) -> None:
    ward = await GiangVo(gateway).build()
    other_ward = await ward.create(
        "KM", name="Đảng ủy phường Kim Mã", kind="WARD_COMMITTEE", parentId=ward.ids["BD"]
    )
    elsewhere = await ward.create(
        "KM-TDP01",
        name="Chi bộ tổ dân phố số 1",
        kind="CELL",
        cellType="RESIDENTIAL",
        coverage=["TDP 1"],
        parentId=other_ward,
    )
    official = await eventually(lambda: ward.register(1), timeout=30)
    probationary = await ward.register(20)
    await ward.staff_candidate()
    candidate = next(p for p, group in ward.people.items() if group == 12)

    def transfer_of(member: str, to: str) -> dict[str, Any]:
        return {
            "input": {
                "memberId": member,
                "kind": "INTERNAL",
                "reason": "RELOCATION",
                "requestedOn": "2019-09-20",
                "toOrganisationId": to,
            }
        }

    unknown = await gateway.execute(REQUEST, transfer_of("no-such-member", ward.ids["TDP01"]))
    assert code_of(unknown) == "NOT_FOUND"

    async def refused_as_outside_the_ward() -> dict[str, Any]:
        # NOT_FOUND until the members service has heard of Kim Mã's cell
        body = await gateway.execute(REQUEST, transfer_of(official, elsewhere))
        assert code_of(body) == "BAD_USER_INPUT"
        return body

    outside = await eventually(refused_as_outside_the_ward, timeout=30)
    assert "outside the ward" in outside["errors"][0]["message"]
    mentor = await gateway.execute(ASSIGN, {"c": candidate, "m": probationary})
    assert code_of(mentor) == "BAD_USER_INPUT"
    assert "PROBATIONARY" in mentor["errors"][0]["message"]

    async def requested() -> str:  # the cells' events reach the members service in no set order
        data = await gateway.execute_ok(REQUEST, transfer_of(official, ward.ids["TDP02"]))
        return str(data["requestTransfer"]["id"])

    transfer = await eventually(requested, timeout=30)
    await gateway.execute_ok(
        'mutation ($id: ID!) { cancelTransfer(id: $id, reason: "Nhầm đơn") { id } }',
        {"id": transfer},
    )
    cancelled = await gateway.execute(RECEIVE, {"id": transfer})
    assert code_of(cancelled) == "INVALID_TRANSITION"

    state = await gateway.execute_ok(STATE, {"member": official, "candidate": candidate})
    assert state["member"] == {
        "organisation": {"id": ward.ids["CQ"]},
        "transfers": [{"state": "CANCELLED"}],
    }
    assert state["candidate"] == {"mentors": []}
