"""The papers through the gateway: a transfer's introduction letter [giấy giới thiệu sinh hoạt
đảng] fetched as a PDF by the ward committee, read back in Vietnamese and logged as a personal
read; a cell secretary of another cell is refused it (FORBIDDEN) and leaves no trace."""

import base64
import io
import unicodedata
from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import eventually
from pypdf import PdfReader

from tests.e2e.conftest import ClientFor, Gateway
from tests.e2e.test_members_dissolution import INTRODUCE, REQUEST, GiangVo

LETTER = """
query Letter($id: ID!) { transfer(id: $id) { introductionLetter { filename contentType base64 } } }
"""
LOG = """
query ($person: ID!) { memberDataAccessLog(personId: $person) { personType fields subject } }
"""


def text_of(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


async def test_the_ward_fetches_an_introduction_letter_and_a_stranger_is_refused(
    gateway: Gateway, client_for: ClientFor
) -> None:
    ward = await GiangVo(gateway).build()
    member = await eventually(lambda: ward.register(1), timeout=30)

    async def requested() -> str:
        data = await gateway.execute_ok(
            REQUEST,
            {
                "input": {
                    "memberId": member,
                    "kind": "INTERNAL",
                    "reason": "RELOCATION",
                    "requestedOn": "2019-09-20",
                    "toOrganisationId": ward.ids["TDP01"],
                }
            },
        )
        return str(data["requestTransfer"]["id"])

    transfer = await eventually(requested, timeout=30)
    await gateway.execute_ok(INTRODUCE, {"id": transfer, "letter": "21-GGT/ĐU"})

    reader = Principal(
        f"e2e-papers-{ward.tag}", "Đảng ủy", (Grant(Role.WARD_COMMITTEE, ward.ids["GV"]),)
    )
    committee = client_for(reader)
    data = await committee.execute_ok(LETTER, {"id": transfer})
    letter: dict[str, Any] = data["transfer"]["introductionLetter"]
    assert (letter["filename"], letter["contentType"]) == (
        "giay-gioi-thieu-21-GGT-DU.pdf",
        "application/pdf",
    )
    text = text_of(base64.b64decode(letter["base64"]))
    for expected in (
        "QUẬN ỦY BA ĐÌNH",
        "ĐẢNG ỦY PHƯỜNG GIẢNG VÕ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Hà Nội, ngày 01 tháng 10 năm 2019",
        "Kính gửi: Chi bộ tổ dân phố số 1",
        "Đồng chí: Đảng viên 01",
        f"Số thẻ đảng viên: {ward.tag}.01",
        "Đang sinh hoạt tại: Chi bộ cơ quan phường Giảng Võ",
        "Đã đóng đảng phí đến hết: tháng 9 năm 2019",
        "Giấy giới thiệu có giá trị đến hết ngày",
    ):
        assert expected in text, expected

    stranger = client_for(grants=[Grant(Role.CELL_SECRETARY, ward.ids["TDP02"])])
    refused = await stranger.execute(LETTER, {"id": transfer})
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    assert (refused.get("data") or {}).get("transfer") is None

    logged = await gateway.execute_ok(LOG, {"person": member})
    letters = [e for e in logged["memberDataAccessLog"] if "introductionLetter" in e["fields"]]
    assert [(e["personType"], e["subject"]) for e in letters] == [("Transfer", reader.subject)]
