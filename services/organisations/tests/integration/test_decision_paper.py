"""A dissolution case's decision [quyết định giải thể] as a PDF: none before it is issued, then
set from the case and the directives it rests on, read by whoever may read the case."""

import base64
import io
import unicodedata

from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest
from pypdf import PdfReader

from services.organisations.tests.integration.support import (
    DECISION,
    BaDinh,
    take_step_ok,
)
from services.organisations.tests.integration.test_dissolution import walk_to_approval

PAPER = """
query ($id: ID!) { dissolutionCase(id: $id) { decisionPaper { filename contentType base64 } } }
"""


def text_of(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


async def test_the_decision_is_handed_out_once_issued_and_reads_back_in_vietnamese(
    service: ServiceUnderTest,
) -> None:
    tree = await BaDinh(service).build({"GV": "Giảng Võ", "KM": "Kim Mã"})
    campaign = await tree.launch(["GV", "KM"])
    case = next(c["id"] for c in campaign["cases"] if c["cell"]["code"] == tree.code("GV-CQ"))
    await walk_to_approval(service, case, tree)
    before = await service.execute_ok(PAPER, {"id": case})
    assert before["dissolutionCase"]["decisionPaper"] is None

    await take_step_ok(service, "issueDissolutionDecision", case, **DECISION)
    paper = (await service.execute_ok(PAPER, {"id": case}))["dissolutionCase"]["decisionPaper"]
    assert (paper["filename"], paper["contentType"]) == (
        "quyet-dinh-giai-the-120-QD-DU.pdf",
        "application/pdf",
    )
    text = text_of(base64.b64decode(paper["base64"]))
    for expected in (
        "QUẬN ỦY BA ĐÌNH",
        "ĐẢNG ỦY PHƯỜNG GIẢNG VÕ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số: 120-QĐ/ĐU",
        "Hà Nội, ngày 25 tháng 9 năm 2019",
        "về việc giải thể Chi bộ cơ quan phường Giảng Võ",
        f"Căn cứ Công văn số {tree.directive_number} ngày 05/09/2019 của Ban Thường vụ Quận ủy",
        "Xét Phương án số 05-PA/ĐU ngày 12/09/2019",
        "Điều 1. Giải thể Chi bộ cơ quan phường Giảng Võ kể từ ngày 01/10/2019.",
        "các chi bộ địa bàn dân cư của Đảng ủy phường Giảng Võ",
        "T/M ĐẢNG ỦY",
        "Bí thư Đảng ủy phường",
    ):
        assert expected in text, expected

    kim_ma = Principal("u-km", "Đảng ủy Kim Mã", (Grant(Role.WARD_COMMITTEE, tree.ids["KM"]),))
    refused = await service.execute(PAPER, {"id": case}, principal=kim_ma)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
