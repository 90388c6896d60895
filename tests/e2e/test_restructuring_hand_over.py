"""A whole cell handed over to another ward (chuyển giao tổ chức, 09-HD/BTCTW) through the
gateway: the city committee decides, both wards sign the hand-over record of the member-list
book, the receiving ward accepts; the cell's parent changes from the effective date, the tree
as of the day before still shows the old parent, the old code still resolves, and the cell's
member follows it into the receiving ward's reach, with the hand-over and its decision in
their history; the receiving ward reads the hand-over record of the cell's member-list book as
a PDF, the member on it."""

import base64
import uuid
from typing import Any

from kit.identity import Grant, Role
from kit.testing import eventually

from tests.e2e.conftest import ClientFor, Gateway
from tests.e2e.test_papers import text_of

CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
STEP_FIELDS = "id stage allowedSteps auditTrail { step toStage actor }"
OPEN = f"""mutation ($input: OpenRestructuringInput!) {{
  openRestructuring(input: $input) {{ {STEP_FIELDS} }} }}"""
DECIDE = f"""mutation ($input: IssueRestructuringDecisionInput!) {{
  issueRestructuringDecision(input: $input) {{ {STEP_FIELDS} }} }}"""
RECORD = f"""mutation ($input: RecordHandoverInput!) {{
  recordHandover(input: $input) {{ {STEP_FIELDS} }} }}"""
ACCEPT = f"""mutation ($input: AcceptRestructuringInput!) {{
  acceptRestructuring(input: $input) {{ {STEP_FIELDS} treeApplied }} }}"""
CELL = """query ($id: ID!, $asOf: Date) {
  organisation(id: $id, asOf: $asOf) { code parent { code } ancestors { code } } }"""
BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id code } }"
MEMBER = "query ($id: ID!) { member(id: $id) { fullName organisation { code parent { code } } } }"
HISTORY = """query ($id: ID!) { member(id: $id) { history {
  on kind organisation { code } fromOrganisation { code } toOrganisation { code }
  decision { number signer signedOn effectiveOn } } } }"""
PAPER = """query ($id: ID!, $case: ID!) { organisation(id: $id) {
  restructuringHandOverRecord(caseId: $case) { filename contentType base64 } } }"""


async def build(gateway: Gateway, tag: str) -> dict[str, str]:
    ids: dict[str, str] = {}

    async def create(key: str, **fields: Any) -> None:
        data = await gateway.execute_ok(CREATE, {"input": {"code": f"{tag}-{key}", **fields}})
        ids[key] = data["createOrganisation"]["id"]

    await create("HN", name="Thành ủy Hà Nội", kind="CITY_COMMITTEE")
    await create("BD", name="Quận ủy Ba Đình", kind="DISTRICT_COMMITTEE", parentId=ids["HN"])
    for ward, name in (("KM", "Kim Mã"), ("GV", "Giảng Võ")):
        await create(ward, name=f"Đảng ủy phường {name}", kind="WARD_COMMITTEE", parentId=ids["BD"])
    await create(
        "KM-TDP07",
        name="Chi bộ tổ dân phố số 7",
        kind="CELL",
        cellType="RESIDENTIAL",
        coverage=["TDP 7"],
        parentId=ids["KM"],
    )
    return ids


async def test_a_cell_handed_over_to_another_ward_changes_parent_from_the_effective_date(
    gateway: Gateway, client_for: ClientFor
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    ids = await build(gateway, tag)
    cell = ids["KM-TDP07"]
    card = f"{int(uuid.uuid4().hex[:8], 16) % 10**8:08d}"
    registration = {
        "input": {
            "cardNumber": card,
            "fullName": "Trần Thị Bàn Giao",
            "dateOfBirth": "1960-05-01",
            "gender": "FEMALE",
            "standing": "OFFICIAL",
            "admittedOn": "1990-01-10",
            "officialOn": "1991-01-10",
            "organisationId": cell,
        }
    }

    async def registered() -> str:  # once the members service has heard of the cell
        body = await gateway.execute(REGISTER, registration)
        assert not body.get("errors"), body
        return str(body["data"]["registerMember"]["id"])

    member_id = await eventually(registered)
    city = client_for(grants=[Grant(Role.CITY_COMMITTEE, ids["HN"])], name="Thành ủy")
    giving = client_for(grants=[Grant(Role.WARD_COMMITTEE, ids["KM"])], name="Kim Mã")
    receiving = client_for(grants=[Grant(Role.WARD_COMMITTEE, ids["GV"])], name="Giảng Võ")
    refused = await receiving.execute(MEMBER, {"id": member_id})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    opened = await city.execute_ok(
        OPEN,
        {
            "input": {
                "kind": "HAND_OVER",
                "sourceIds": [cell],
                "receivingId": ids["GV"],
                "newCodes": [{"organisationId": cell, "code": f"{tag}-GV-TDP07"}],
            }
        },
    )
    case_id = opened["openRestructuring"]["id"]
    early = await receiving.execute(
        ACCEPT, {"input": {"caseId": case_id, "acceptedOn": "2025-07-01", "signer": "Bí thư"}}
    )
    assert early["errors"][0]["extensions"]["code"] == "INVALID_TRANSITION"
    decision = {
        "decisionNumber": "1234-QĐ/TU",
        "signedOn": "2025-06-20",
        "signer": "Bí thư Thành ủy",
        "effectiveOn": "2025-07-01",
    }
    await city.execute_ok(DECIDE, {"input": {"caseId": case_id, **decision}})
    await giving.execute_ok(
        RECORD,
        {
            "input": {
                "caseId": case_id,
                "organisationId": cell,
                "signedOn": "2025-06-28",
                "giverSigner": "Bí thư Đảng ủy phường Kim Mã",
                "receiverSigner": "Bí thư Đảng ủy phường Giảng Võ",
                "memberCount": 1,
            }
        },
    )
    done = await receiving.execute_ok(
        ACCEPT,
        {"input": {"caseId": case_id, "acceptedOn": "2025-07-01", "signer": "Bí thư Giảng Võ"}},
    )

    case = done["acceptRestructuring"]
    assert case["stage"] == "COMPLETED" and case["treeApplied"]
    assert [e["toStage"] for e in case["auditTrail"]] == ["DECIDED", "HANDED_OVER", "COMPLETED"]
    assert [e["actor"] for e in case["auditTrail"]] == ["Thành ủy", "Kim Mã", "Giảng Võ"]
    now = (await gateway.execute_ok(CELL, {"id": cell}))["organisation"]
    assert now["parent"]["code"] == f"{tag}-GV" and now["code"] == f"{tag}-GV-TDP07"
    before = (await gateway.execute_ok(CELL, {"id": cell, "asOf": "2025-06-30"}))["organisation"]
    assert before["parent"]["code"] == f"{tag}-KM" and before["code"] == f"{tag}-KM-TDP07"
    assert [a["code"] for a in before["ancestors"]] == [f"{tag}-HN", f"{tag}-BD", f"{tag}-KM"]
    old = await gateway.execute_ok(BY_CODE, {"code": f"{tag}-KM-TDP07"})
    assert old["organisationByCode"]["id"] == cell

    async def the_receiving_ward_reads_the_member() -> None:
        body = await receiving.execute(MEMBER, {"id": member_id})
        assert not body.get("errors"), body
        assert body["data"]["member"]["organisation"]["parent"]["code"] == f"{tag}-GV"

    await eventually(the_receiving_ward_reads_the_member)

    async def the_hand_over_is_in_the_members_history() -> list[dict[str, Any]]:
        body = await receiving.execute(HISTORY, {"id": member_id})
        assert not body.get("errors"), body
        history: list[dict[str, Any]] = body["data"]["member"]["history"]
        assert [e["kind"] for e in history] == ["ADMITTED", "HANDED_OVER"]
        return history

    handed_over = (await eventually(the_hand_over_is_in_the_members_history))[-1]
    assert handed_over["on"] == "2025-07-01"
    assert handed_over["decision"] == {
        "number": "1234-QĐ/TU",
        "signer": "Bí thư Thành ủy",
        "signedOn": "2025-06-20",
        "effectiveOn": "2025-07-01",
    }
    assert handed_over["organisation"] == {"code": f"{tag}-GV-TDP07"}
    assert handed_over["fromOrganisation"] == {"code": f"{tag}-KM"}
    assert handed_over["toOrganisation"] == {"code": f"{tag}-GV"}

    async def the_record_is_signed() -> dict[str, Any]:
        paper = await receiving.execute_ok(PAPER, {"id": cell, "case": case_id})
        signed: dict[str, Any] | None = paper["organisation"]["restructuringHandOverRecord"]
        assert signed is not None, "null until the members service has heard of it"
        return signed

    record = await eventually(the_record_is_signed)
    assert record["contentType"] == "application/pdf"
    text = text_of(base64.b64decode(record["base64"]))
    for expected in (
        "bàn giao sổ danh sách đảng viên",
        "Căn cứ Quyết định số 1234-QĐ/TU ngày 20/06/2025 của Thành ủy Hà Nội",
        "Bên giao: Chi bộ tổ dân phố số 7",
        "Bên nhận: Đảng ủy phường Giảng Võ",
        "gồm 1 đảng viên (1 chính thức, 0 dự bị)",
        "Trần Thị Bàn Giao",
    ):
        assert expected in text, expected
