"""Ranking at the residential cell, through the gateway: members moved out of the Giảng Võ
agency cell by real transfers, ranked monthly and at year end from the cell's tasks and the
ward's job results, under the 2019 rules."""

from typing import Any

import pytest_asyncio

from tests.e2e.conftest import Gateway
from tests.e2e.giang_vo import GiangVoTree

REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
REQUEST = "mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }"
INTRODUCE = """
mutation ($id: ID!, $letterNo: String!, $on: Date!) {
  issueIntroduction(id: $id, letterNo: $letterNo, issuedOn: $on) { state }
}"""
RECEIVE = "mutation ($id: ID!, $on: Date!) { receiveTransfer(id: $id, receivedOn: $on) { state } }"
EVALUATED_BY = """
query ($id: ID!, $period: String!) { member(id: $id) { evaluatedBy(period: $period) { id } } }"""
SUBMIT = """
mutation ($input: SubmitWorkplaceAssessmentsInput!) {
  submitWorkplaceAssessments(input: $input) {
    recorded alreadyRecorded rejected items { outcome error { code } }
  }
}"""
PROPOSE = "mutation ($input: ProposeRatingInput!) { proposeRating(input: $input) { id state } }"
FINALISE = """
mutation ($input: FinaliseRatingInput!) { finaliseRating(input: $input) { id state finalRating } }
"""
CHAIRMAN = "Chủ tịch UBND phường Giảng Võ"


class GiangVo(GiangVoTree):
    """The ward with two residential cells, and its members moved and ranked."""

    def __init__(self, gateway: Gateway) -> None:
        super().__init__(gateway, residential_cells=2)
        self.cards = 0

    async def member(self, cell: str, role: str = "CADRE", citizen_id: str | None = None) -> str:
        self.cards += 1
        card = f"{self.tag}{self.cards:04d}"
        variables = {
            "input": {
                **({"citizenId": citizen_id} if citizen_id else {}),
                "cardNumber": card,
                "fullName": f"Nguyễn Văn {card}",
                "dateOfBirth": "1980-05-01",
                "gender": "MALE",
                "standing": "OFFICIAL",
                "admittedOn": "2005-03-02",
                "officialOn": "2006-03-02",
                "organisationId": self.ids[cell],
                "workplace": {"name": "UBND phường Giảng Võ", "role": role},
            }
        }

        async def registered() -> str:
            data = await self.gateway.execute_ok(REGISTER, variables)
            return str(data["registerMember"]["id"])

        return await self.gateway.eventually(registered)  # once members knows the cell

    async def move(self, member: str, to: str, received_on: str) -> None:
        """A real transfer of party activity: requested, introduced, received by the new cell
        (an INTERNAL one by request: those of a dissolved cell come from its decision, which
        test_evaluations_demo.py walks)."""
        request = {
            "memberId": member,
            "kind": "INTERNAL",
            "reason": "OTHER",
            "requestedOn": "2019-09-27",
            "toOrganisationId": self.ids[to],
        }

        async def requested() -> str:
            data = await self.gateway.execute_ok(REQUEST, {"input": request})
            return str(data["requestTransfer"]["id"])

        # The members service learns of each cell from its own event, in no set order: knowing
        # the member's cell does not mean it knows the destination yet (NOT_FOUND until then).
        transfer = await self.gateway.eventually(requested)
        await self.gateway.execute_ok(
            INTRODUCE, {"id": transfer, "letterNo": f"{self.cards}-GGT/ĐU", "on": "2019-09-30"}
        )
        await self.gateway.execute_ok(RECEIVE, {"id": transfer, "on": received_on})

    async def evaluated_by(self, member: str, period: str) -> str | None:
        data = await self.gateway.execute_ok(EVALUATED_BY, {"id": member, "period": period})
        cell = data["member"]["evaluatedBy"]
        return str(cell["id"]) if cell else None

    async def until_evaluated_by(self, member: str, period: str, cell: str) -> None:
        async def check() -> bool:
            return await self.evaluated_by(member, period) == self.ids[cell]

        await self.gateway.eventually(check)

    async def assess(self, member: str, period: str, rating: str, submitter: str = "ubnd") -> None:
        await self.gateway.execute_ok(
            SUBMIT,
            {
                "input": {
                    "submitter": f"{submitter}-{self.tag}",
                    "items": [assessment(f"{member}-{period}", member, period, rating)],
                }
            },
        )

    async def rank(self, member: str, period: str, rating: str) -> dict[str, Any]:
        proposal = {"memberId": member, "period": period, "rating": rating, "by": "Bí thư chi bộ"}
        data = await self.gateway.execute_ok(PROPOSE, {"input": proposal})
        decision = {
            "evaluationId": data["proposeRating"]["id"],
            "rating": rating,
            "by": "Ban Thường vụ Đảng ủy phường",
        }
        return await self.gateway.execute(FINALISE, {"input": decision})


def assessment(external_id: str, member: str, period: str, rating: str) -> dict[str, Any]:
    return {
        "externalId": external_id,
        "memberId": member,
        "period": period,
        "assessorRole": "PEOPLES_COMMITTEE_CHAIR",
        "assessorName": CHAIRMAN,
        "rating": rating,
        "comment": "Hoàn thành tốt nhiệm vụ chuyên môn",
    }


@pytest_asyncio.fixture(loop_scope="session")
async def giang_vo(gateway: Gateway) -> GiangVo:
    return await GiangVo(gateway).build()


async def test_a_member_moved_to_a_residential_cell_is_ranked_there_for_october_2019(
    gateway: Gateway, giang_vo: GiangVo
) -> None:
    member = await giang_vo.member("CQ", "CADRE")
    await giang_vo.move(member, "TDP01", "2019-10-01")
    await giang_vo.until_evaluated_by(member, "2019-10", "TDP01")
    assigned = await gateway.execute_ok(
        "mutation ($input: AssignTaskInput!) { assignTask(input: $input) { id } }",
        {
            "input": {
                "memberId": member,
                "period": "2019-10",
                "task": "Trực tổ dân phố số 1",
                "organisationId": giang_vo.ids["TDP01"],
            }
        },
    )
    await gateway.execute_ok(
        "mutation ($input: RecordAssignmentResultInput!) {"
        " recordAssignmentResult(input: $input) { result } }",
        {
            "input": {
                "assignmentId": assigned["assignTask"]["id"],
                "result": "DONE",
                "note": "Hoàn thành đúng hạn",
            }
        },
    )
    await giang_vo.assess(member, "2019-10", "GOOD")
    ranked = await giang_vo.rank(member, "2019-10", "GOOD")
    assert ranked["data"]["finaliseRating"]["state"] == "FINALISED"

    data = await gateway.execute_ok(
        """query ($id: ID!, $ward: ID!) {
             member(id: $id) {
               fullName
               organisation { id }
               evaluations(period: "2019-10") {
                 state finalRating
                 organisation { id name cellType }
                 assignments { task result }
                 workplaceAssessments { assessorRole assessorName rating }
               }
             }
             organisation(id: $ward) {
               name
               evaluationSummary(period: "2019-10") {
                 evaluated finalised ratings { rating count share }
               }
             }
           }""",
        {"id": member, "ward": giang_vo.ids["GV"]},
    )
    [october] = data["member"]["evaluations"]
    assert data["member"]["organisation"]["id"] == giang_vo.ids["TDP01"]
    assert (october["state"], october["finalRating"]) == ("FINALISED", "GOOD")
    assert october["organisation"] == {
        "id": giang_vo.ids["TDP01"],
        "name": "Chi bộ tổ dân phố số 1",
        "cellType": "RESIDENTIAL",
    }
    assert october["assignments"] == [{"task": "Trực tổ dân phố số 1", "result": "DONE"}]
    assert october["workplaceAssessments"] == [
        {"assessorRole": "PEOPLES_COMMITTEE_CHAIR", "assessorName": CHAIRMAN, "rating": "GOOD"}
    ]
    summary = data["organisation"]["evaluationSummary"]
    assert summary["finalised"] >= 1
    assert {"rating": "GOOD", "count": summary["finalised"], "share": 1.0} in summary["ratings"]


async def test_excellent_for_a_cadre_whose_workplace_rank_is_good_is_refused_by_21_hd_btctw(
    giang_vo: GiangVo,
) -> None:
    member = await giang_vo.member("TDP02", "CADRE")
    await giang_vo.until_evaluated_by(member, "2019-11", "TDP02")
    await giang_vo.assess(member, "2019-11", "GOOD")

    refused = await giang_vo.rank(member, "2019-11", "EXCELLENT")

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "POLICY_VIOLATION"
    assert "21-HD/BTCTW" in {finding["source"] for finding in error["extensions"]["findings"]}


async def test_excellent_for_a_public_employee_whose_workplace_rank_is_good_is_refused_too(
    giang_vo: GiangVo,
) -> None:
    """21-HD/BTCTW: a cadre, civil servant or public employee [viên chức]; the role travels
    from the members service to the evaluations roster by event."""
    member = await giang_vo.member("TDP02", "PUBLIC_EMPLOYEE")
    await giang_vo.until_evaluated_by(member, "2019-11", "TDP02")
    await giang_vo.assess(member, "2019-11", "GOOD")

    refused = await giang_vo.rank(member, "2019-11", "EXCELLENT")

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "POLICY_VIOLATION"
    found = {f["rule"] for f in error["extensions"]["findings"]}
    assert "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT" in found


async def test_in_a_ward_with_10_good_a_third_excellent_for_2019_is_refused(
    gateway: Gateway,
) -> None:
    ward = await GiangVo(gateway).build()
    cells = [("TDP01", "TDP02")[n % 2] for n in range(13)]
    members = [await ward.member(cell, "OTHER") for cell in cells]
    for member, cell in zip(members, cells, strict=True):
        await ward.until_evaluated_by(member, "2019", cell)
    for member in members[:10]:
        assert "errors" not in await ward.rank(member, "2019", "GOOD")
    for member in members[10:12]:
        assert "errors" not in await ward.rank(member, "2019", "EXCELLENT")

    refused = await ward.rank(members[12], "2019", "EXCELLENT")

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "POLICY_VIOLATION"
    assert [(f["rule"], f["source"]) for f in error["extensions"]["findings"]] == [
        ("EXCELLENT_QUOTA", "21-HD/BTCTW")
    ]


async def test_the_same_bulk_submission_sent_twice_stores_each_assessment_once(
    gateway: Gateway, giang_vo: GiangVo
) -> None:
    members = [await giang_vo.member("TDP01", "CIVIL_SERVANT") for _ in range(3)]
    for member in members:
        await giang_vo.until_evaluated_by(member, "2019", "TDP01")
    bulk = {
        "submitter": f"city-hr-{giang_vo.tag}",
        "items": [assessment(f"hr-2019-{n}", m, "2019", "GOOD") for n, m in enumerate(members)],
    }

    first = (await gateway.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]
    again = (await gateway.execute_ok(SUBMIT, {"input": bulk}))["submitWorkplaceAssessments"]

    assert (first["recorded"], first["alreadyRecorded"]) == (3, 0)
    assert (again["recorded"], again["alreadyRecorded"]) == (0, 3)
    data = await gateway.execute_ok(
        'query ($id: ID!) { member(id: $id) { workplaceAssessments(period: "2019") { id } } }',
        {"id": members[0]},
    )
    assert len(data["member"]["workplaceAssessments"]) == 1


async def test_a_member_transferred_mid_month_leaves_the_months_before_with_the_old_cell(
    giang_vo: GiangVo,
) -> None:
    member = await giang_vo.member("CQ", "NON_SPECIALISED")
    await giang_vo.until_evaluated_by(member, "2019-10", "CQ")
    await giang_vo.move(member, "TDP02", "2019-10-15")

    await giang_vo.until_evaluated_by(member, "2019-10", "TDP02")
    assert await giang_vo.evaluated_by(member, "2019-09") == giang_vo.ids["CQ"]
    assert await giang_vo.evaluated_by(member, "2019-11") == giang_vo.ids["TDP02"]
