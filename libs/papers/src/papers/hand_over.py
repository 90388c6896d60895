"""The hand-over record of the member-list book [biên bản bàn giao sổ danh sách đảng viên]:
the giving and receiving sides sign it when a cell's members change hands, by a dissolution or
by the hand-over of a whole organisation (chuyển giao tổ chức, 09-HD/BTCTW), with its list."""

from dataclasses import dataclass
from datetime import date

from fpdf.enums import Align

from papers.page import Letterhead, Paper, PartyPaper, Signer, filename, short_date

HEADINGS = ("TT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Đảng viên", "Chi bộ nhận")
WIDTHS = (10, 48, 24, 30, 22, 41)


@dataclass(frozen=True)
class HandedOverPerson:
    full_name: str
    date_of_birth: date | None
    card_number: str | None  # none for an admission candidate
    standing: str  # "chính thức", "dự bị", "đối tượng kết nạp"
    receiving_cell: str | None  # where this person goes, when the sides differ per person


@dataclass(frozen=True)
class HandOverDecision:
    number: str
    signed_on: date
    by: str  # who decided: "Đảng ủy phường Giảng Võ"
    subject: str  # "giải thể Chi bộ cơ quan phường Giảng Võ"


@dataclass(frozen=True)
class HandOverRecord:
    letterhead: Letterhead
    giving_side: str
    receiving_side: str
    decision: HandOverDecision | None
    held_on: date
    giving_signer: Signer
    receiving_signer: Signer
    people: list[HandedOverPerson]


def render_hand_over_record(record: HandOverRecord) -> Paper:
    pdf = PartyPaper("Biên bản bàn giao sổ danh sách đảng viên")
    pdf.letterhead(record.letterhead)
    pdf.title_block("Biên bản", "bàn giao sổ danh sách đảng viên")
    if record.decision is not None:
        d = record.decision
        pdf.paragraph(
            f"Căn cứ Quyết định số {d.number} ngày {short_date(d.signed_on)} của {d.by} "
            f"về việc {d.subject};",
            "I",
        )
    pdf.paragraph(f"Hôm nay, ngày {short_date(record.held_on)}, chúng tôi gồm:")
    pdf.labelled("Bên giao", record.giving_side)
    pdf.paragraph(f"Đại diện: {_who(record.giving_signer)}")
    pdf.labelled("Bên nhận", record.receiving_side)
    pdf.paragraph(f"Đại diện: {_who(record.receiving_signer)}")
    members = [p for p in record.people if p.card_number is not None]
    official = sum(1 for p in members if p.standing == "chính thức")
    candidates = len(record.people) - len(members)
    tail = f" và {candidates} đối tượng kết nạp đảng" if candidates else ""
    pdf.paragraph(
        f"Bên giao đã bàn giao cho bên nhận sổ danh sách đảng viên gồm {len(members)} đảng viên "
        f"({official} chính thức, {len(members) - official} dự bị){tail}, danh sách như sau:"
    )
    pdf.font("", 10)
    with pdf.table(
        col_widths=WIDTHS,
        text_align=(Align.C, Align.L, Align.C, Align.C, Align.C, Align.L),
        line_height=5,
        first_row_as_headings=True,
    ) as table:
        table.row(HEADINGS)
        for number, person in enumerate(record.people, start=1):
            table.row(
                (
                    str(number),
                    person.full_name,
                    short_date(person.date_of_birth) if person.date_of_birth else "",
                    person.card_number or "",
                    person.standing,
                    person.receiving_cell or record.receiving_side,
                )
            )
    pdf.ln(3)
    pdf.paragraph("Biên bản được lập thành 02 bản, mỗi bên giữ 01 bản, có giá trị như nhau.")
    pdf.signatures(
        Signer("ĐẠI DIỆN BÊN GIAO", record.giving_signer.title, record.giving_signer.name),
        Signer("ĐẠI DIỆN BÊN NHẬN", record.receiving_signer.title, record.receiving_signer.name),
    )
    return pdf.finished(filename("bien-ban-ban-giao", record.letterhead.number))


def _who(signer: Signer) -> str:
    title = signer.title[:1].upper() + signer.title[1:].lower()
    return f"đồng chí {signer.name}, {title}" if signer.name else title
