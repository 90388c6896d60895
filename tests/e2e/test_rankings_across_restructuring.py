"""Rankings across the 2025 merger through the gateway (issue 14, item 4): two wards merge
into a new ward under the city committee (hợp nhất). A month that ended before the effective
date stays with the old ward, whose committee still reads its report; the year of the change
is the new ward's, which ranks the members of both."""

import uuid
from typing import Any

from kit.identity import Grant, Role
from kit.testing import eventually

from tests.e2e.conftest import ClientFor, Gateway

CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
PROPOSE = "mutation ($input: ProposeRatingInput!) { proposeRating(input: $input) { id } }"
OPEN = """mutation ($input: OpenRestructuringInput!) {
  openRestructuring(input: $input) { id newOrganisations { id } } }"""
DECIDE = """mutation ($input: IssueRestructuringDecisionInput!) {
  issueRestructuringDecision(input: $input) { stage } }"""
RECORD = "mutation ($input: RecordHandoverInput!) { recordHandover(input: $input) { stage } }"
ACCEPT = """mutation ($input: AcceptRestructuringInput!) {
  acceptRestructuring(input: $input) { stage } }"""
SUMMARY = """query ($id: ID!, $period: String!) {
  organisation(id: $id) { evaluationSummary(period: $period) { proposalsWaiting } } }"""


async def test_the_year_of_a_merger_is_ranked_by_the_new_ward_and_earlier_months_by_the_old(
    gateway: Gateway, client_for: ClientFor
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    ids: dict[str, str] = {}

    async def create(key: str, **fields: Any) -> None:
        data = await gateway.execute_ok(CREATE, {"input": {"code": f"{tag}-{key}", **fields}})
        ids[key] = data["createOrganisation"]["id"]

    await create("HN", name="Thành ủy Hà Nội", kind="CITY_COMMITTEE")
    await create("BD", name="Quận ủy Ba Đình", kind="DISTRICT_COMMITTEE", parentId=ids["HN"])
    for ward, name in (("KM", "Kim Mã"), ("GV", "Giảng Võ")):
        await create(ward, name=f"Đảng ủy phường {name}", kind="WARD_COMMITTEE", parentId=ids["BD"])
        await create(
            f"{ward}-TDP1",
            name=f"Chi bộ tổ dân phố 1 {name}",
            kind="CELL",
            cellType="RESIDENTIAL",
            coverage=["TDP 1"],
            parentId=ids[ward],
        )

    async def member_of(cell: str) -> str:
        card = f"{int(uuid.uuid4().hex[:8], 16) % 10**8:08d}"
        registration = {
            "cardNumber": card,
            "fullName": "Nguyễn Văn Hợp",
            "dateOfBirth": "1970-05-01",
            "gender": "MALE",
            "standing": "OFFICIAL",
            "admittedOn": "1995-01-10",
            "officialOn": "1996-01-10",
            "organisationId": cell,
        }

        async def registered() -> str:
            body = await gateway.execute(REGISTER, {"input": registration})
            assert not body.get("errors"), body
            return str(body["data"]["registerMember"]["id"])

        return await eventually(registered)

    kim_ma, giang_vo = await member_of(ids["KM-TDP1"]), await member_of(ids["GV-TDP1"])

    async def propose(member: str, period: str) -> None:
        async def proposed() -> None:  # once evaluations has heard of the member
            body = await gateway.execute(
                PROPOSE, {"input": {"memberId": member, "period": period, "rating": "GOOD"}}
            )
            assert not body.get("errors"), body

        await eventually(proposed)

    await propose(kim_ma, "2025-05")
    await propose(kim_ma, "2025")
    await propose(giang_vo, "2025")
    city = client_for(grants=[Grant(Role.CITY_COMMITTEE, ids["HN"])], name="Thành ủy")
    opening = await city.execute_ok(
        OPEN,
        {
            "input": {
                "kind": "MERGE_NEW",
                "sourceIds": [ids["KM"], ids["GV"]],
                "newOrganisations": [
                    {"code": f"{tag}-GVM", "name": "Đảng ủy phường Giảng Võ", "parentId": ids["HN"]}
                ],
            }
        },
    )
    opened = opening["openRestructuring"]
    case_id, new_ward = opened["id"], opened["newOrganisations"][0]["id"]
    decision = {
        "decisionNumber": "1234-QĐ/TU",
        "signedOn": "2025-06-20",
        "signer": "Bí thư Thành ủy",
        "effectiveOn": "2025-07-01",
    }
    await city.execute_ok(DECIDE, {"input": {"caseId": case_id, **decision}})
    for ward in ("KM", "GV"):
        record = {
            "caseId": case_id,
            "organisationId": ids[ward],
            "signedOn": "2025-06-28",
            "giverSigner": f"Bí thư {ward}",
            "receiverSigner": "Bí thư phường mới",
            "memberCount": 1,
        }
        await city.execute_ok(RECORD, {"input": record})
    accepted = {"caseId": case_id, "acceptedOn": "2025-07-01", "signer": "Bí thư phường mới"}
    await city.execute_ok(ACCEPT, {"input": accepted})
    new_committee = client_for(grants=[Grant(Role.WARD_COMMITTEE, new_ward)], name="Phường mới")
    old_committee = client_for(grants=[Grant(Role.WARD_COMMITTEE, ids["KM"])], name="Kim Mã")

    async def waiting(client: Gateway, organisation: str, period: str) -> int:
        data = await client.execute_ok(SUMMARY, {"id": organisation, "period": period})
        return int(data["organisation"]["evaluationSummary"]["proposalsWaiting"])

    async def the_year_is_the_new_wards() -> None:
        assert await waiting(new_committee, new_ward, "2025") == 2

    await eventually(the_year_is_the_new_wards)
    assert await waiting(old_committee, ids["KM"], "2025-05") == 1
    assert await waiting(gateway, new_ward, "2025-05") == 0
    assert await waiting(gateway, ids["KM"], "2025") == 0
