"""The dissolution decision [quyết định giải thể] of a cell, by the committee directly above it."""

from dataclasses import dataclass
from datetime import date

from fpdf.enums import Align

from papers.page import Letterhead, Paper, PartyPaper, Signer, filename, short_date


@dataclass(frozen=True)
class Ground:
    """One "Căn cứ …" line: a document the decision rests on."""

    text: str


@dataclass(frozen=True)
class DissolutionDecision:
    letterhead: Letterhead
    cell: str
    effective_on: date
    grounds: list[Ground]
    plan: str | None  # "Phương án số 05-PA/ĐU ngày 10/9/2019"
    receiving: str  # where the people go, e.g. "các chi bộ địa bàn dân cư của phường"
    signer: Signer
    members: int | None = None
    candidates: int | None = None


def render_dissolution_decision(decision: DissolutionDecision) -> Paper:
    committee = decision.letterhead.committee
    pdf = PartyPaper("Quyết định giải thể")
    pdf.letterhead(decision.letterhead)
    pdf.title_block("Quyết định", f"về việc giải thể {decision.cell}")
    pdf.paragraph(f"BAN CHẤP HÀNH {committee.upper()}", "B", align=Align.C)
    for ground in decision.grounds:
        pdf.paragraph(f"- Căn cứ {ground.text};", "I")
    if decision.plan:
        pdf.paragraph(f"- Xét {decision.plan},", "I")
    pdf.paragraph("QUYẾT ĐỊNH", "B", align=Align.C)
    pdf.paragraph(
        f"Điều 1. Giải thể {decision.cell} kể từ ngày {short_date(decision.effective_on)}."
    )
    people = []
    if decision.members is not None:
        people.append(f"{decision.members} đảng viên")
    if decision.candidates is not None:
        people.append(f"{decision.candidates} đối tượng kết nạp đảng")
    whom = " và ".join(people) if people else "các đảng viên và đối tượng kết nạp đảng"
    pdf.paragraph(
        f"Điều 2. Chuyển sinh hoạt đảng cho {whom} của {decision.cell} về {decision.receiving}"
        + (f" theo {decision.plan}" if decision.plan else "")
        + "; giới thiệu đối tượng kết nạp đảng về sinh hoạt tại địa bàn dân cư."
    )
    pdf.paragraph(
        f"Điều 3. Các chi bộ trực thuộc, {decision.cell} và các đồng chí có tên tại Điều 2 "
        "chịu trách nhiệm thi hành quyết định này."
    )
    pdf.signatures(decision.signer, recipients=["Như Điều 3", "Cấp ủy cấp trên", "Lưu"])
    return pdf.finished(filename("quyet-dinh-giai-the", decision.letterhead.number))
