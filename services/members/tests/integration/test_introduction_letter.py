"""A transfer's introduction letter [giấy giới thiệu sinh hoạt đảng] as a PDF: issued once the
letter is, read as the person's record is, and every read logged as personal data."""

import base64
import io
import unicodedata
import uuid
from typing import Any

from kit.identity import IDENTITY_HEADER, Principal
from kit.testing import ServiceUnderTest
from members_support import Ward, errors_of, register, ward_committee
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
    response = await service.client.post(
        "/graphql",
        json={"query": LETTER, "variables": variables},
        headers={IDENTITY_HEADER: service.identity_token(principal), "x-request-id": request_id},
    )
    body: dict[str, Any] = response.json()
    return body


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
