"""The members service's papers, as PDF. A transfer's introduction letter [giấy giới thiệu
sinh hoạt đảng]: issued once the letter is, read as the person's record is, every read logged
as personal data. A decided dissolution's hand-over record of its member list, each person
listed logged."""

import base64
import io
import unicodedata
import uuid
from typing import Any

from kit.identity import IDENTITY_HEADER, Principal
from kit.testing import ServiceUnderTest, eventually
from members_support import Dissolution, Ward, add_candidate, errors_of, register, ward_committee
from pymongo.asynchronous.database import AsyncDatabase
from pypdf import PdfReader

LETTER = """
query Letter($id: ID!) {
  transfer(id: $id) { state introductionLetter { filename contentType base64 size } }
}
"""


async def execute(
    service: ServiceUnderTest, variables: dict[str, Any], principal: Principal, request_id: str
) -> dict[str, Any]:
    return await execute_query(service, LETTER, variables, principal, request_id)


async def execute_query(
    service: ServiceUnderTest,
    query: str,
    variables: dict[str, Any],
    principal: Principal,
    request_id: str = "",
) -> dict[str, Any]:
    response = await service.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={
            IDENTITY_HEADER: service.identity_token(principal),
            "x-request-id": request_id or uuid.uuid4().hex,
        },
    )
    body: dict[str, Any] = response.json()
    return body


async def paper_once_there(
    service: ServiceUnderTest,
    query: str,
    variables: dict[str, Any],
    principal: Principal,
    field: str,
) -> dict[str, Any]:
    """The paper `field` of the first entity asked for, once it is there, with its text and
    the id of the request that read it."""

    async def there() -> dict[str, Any]:
        request_id = uuid.uuid4().hex
        body = await execute_query(service, query, variables, principal, request_id)
        paper: dict[str, Any] | None = body["data"]["_entities"][0][field]
        assert paper is not None, f"{field}: null until its event is heard of"
        text = text_of(base64.b64decode(paper["base64"]))
        return paper | {"requestId": request_id, "text": text}

    return await eventually(there, timeout=30)


def text_of(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


async def test_an_introduced_transfer_hands_out_its_letter_and_logs_the_read(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    card = f"01.{uuid.uuid4().hex[:6]}"
    member = await register(service, ward.agency, card=card, name="Lương Thị Hồng Nhung")
    requested = await service.execute_ok(
        """mutation ($m: ID!, $to: ID!) {
          requestTransfer(input: {memberId: $m, kind: INTERNAL, reason: RELOCATION,
            requestedOn: "2019-09-20", toOrganisationId: $to}) { id }
        }""",
        {"m": member, "to": ward.residential["Tổ dân phố 1"]},
    )
    transfer = requested["requestTransfer"]["id"]
    reader = ward_committee(ward)

    before = await execute(service, {"id": transfer}, reader, uuid.uuid4().hex)
    assert before["data"]["transfer"]["introductionLetter"] is None

    await service.execute_ok(
        """mutation ($id: ID!) { issueIntroduction(id: $id, letterNo: "17-GGT/ĐU",
             issuedOn: "2019-10-01", checklist: {duesPaidThrough: "2019-09"}) { id } }""",
        {"id": transfer},
    )
    request_id = uuid.uuid4().hex
    body = await execute(service, {"id": transfer}, reader, request_id)
    letter = body["data"]["transfer"]["introductionLetter"]
    assert (letter["filename"], letter["contentType"]) == (
        "giay-gioi-thieu-17-GGT-DU.pdf",
        "application/pdf",
    )
    pdf = base64.b64decode(letter["base64"])
    assert len(pdf) == letter["size"]
    text = text_of(pdf)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"TỔ CHỨC {ward.id.upper()}",
        "Số: 17-GGT/ĐU",
        "Hà Nội, ngày 01 tháng 10 năm 2019",
        "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG",
        "Đồng chí: Lương Thị Hồng Nhung",
        f"Số thẻ đảng viên: {card}",
        "Sinh ngày: 17/05/1980",
        f"Đang sinh hoạt tại: Tổ chức {ward.agency}",
        f"Kính gửi: Tổ chức {ward.residential['Tổ dân phố 1']}",
        "Đã đóng đảng phí đến hết: tháng 9 năm 2019",
        "Giấy giới thiệu có giá trị đến hết ngày 12/11/2019",
        "Theo Quy định 29-QĐ/TW (2016)",
    ):
        assert expected in text, expected

    entry = await db["personal_data_access"].find_one({"requestId": request_id})
    assert entry is not None
    assert (entry["personType"], entry["personId"], entry["fields"]) == (
        "Transfer",
        member,
        ["introductionLetter"],
    )
    assert entry["subject"] == reader.subject and entry["operation"] == "Letter"


async def test_a_stranger_gets_no_letter_and_leaves_no_trace(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    other = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency)
    requested = await service.execute_ok(
        """mutation ($m: ID!, $to: ID!) {
          requestTransfer(input: {memberId: $m, kind: INTERNAL, reason: RELOCATION,
            requestedOn: "2019-09-20", toOrganisationId: $to}) { id }
        }""",
        {"m": member, "to": ward.residential["Tổ dân phố 1"]},
    )
    transfer = requested["requestTransfer"]["id"]
    await service.execute_ok(
        """mutation ($id: ID!) { issueIntroduction(id: $id, letterNo: "18-GGT/ĐU",
             issuedOn: "2019-10-01") { id } }""",
        {"id": transfer},
    )
    request_id = uuid.uuid4().hex
    body = await execute(service, {"id": transfer}, ward_committee(other), request_id)
    assert errors_of(body) == ["FORBIDDEN"]
    assert (body["data"] or {}).get("transfer") is None
    assert await db["personal_data_access"].count_documents({"requestId": request_id}) == 0


RECORD = """
query Record($case: ID!) { _entities(representations: [{__typename: "DissolutionCase", id: $case}])
  { ... on DissolutionCase { handOverRecord { filename contentType base64 } } } }
"""


async def test_a_decided_dissolution_hands_over_its_member_list_and_logs_each_person(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    first = await register(
        service, ward.agency, name="Đặng Thị Thu Hà", group="Tổ dân phố 1", standing="PROBATIONARY"
    )
    second = await register(service, ward.agency, name="Vũ Quốc Khánh", group="Tổ dân phố 2")
    candidate = await add_candidate(service, ward.agency, group="Tổ dân phố 2")
    dissolution = Dissolution(ward)
    await dissolution.open()
    reader = ward_committee(ward)

    async def opened() -> None:
        body = await execute_query(service, RECORD, {"case": dissolution.case_id}, reader)
        assert body["data"]["_entities"][0] == {"handOverRecord": None}

    await eventually(opened, timeout=30)
    await dissolution.decide()

    variables = {"case": dissolution.case_id}
    record = await paper_once_there(service, RECORD, variables, reader, "handOverRecord")
    assert record["filename"] == "bien-ban-ban-giao-draft.pdf"
    text = record["text"]
    for expected in (
        "BIÊN BẢN",
        "bàn giao sổ danh sách đảng viên",
        f"Căn cứ Quyết định số 125-QĐ/ĐU ngày 25/09/2019 của Tổ chức {ward.id}",
        f"Bên giao: Tổ chức {ward.agency}",
        "gồm 2 đảng viên (1 chính thức, 1 dự bị) và 1 đối tượng kết nạp đảng",
        "Đặng Thị Thu Hà",
        "Trần Thị Bình",
        f"Tổ chức {ward.residential['Tổ dân phố 2']}",
        "ĐẠI DIỆN BÊN NHẬN",
    ):
        assert expected in text, expected
    entries = await db["personal_data_access"].find({"requestId": record["requestId"]}).to_list()
    assert {(e["personType"], e["personId"], tuple(e["fields"])) for e in entries} == {
        ("HandOverRecord", person, ("handOverRecord",)) for person in (first, second, candidate)
    }

    other = await Ward(service, db).set_up(groups=1)
    refused = await execute_query(
        service, RECORD, {"case": dissolution.case_id}, ward_committee(other)
    )
    assert errors_of(refused) == ["FORBIDDEN"]
