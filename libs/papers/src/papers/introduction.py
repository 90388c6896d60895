"""The introduction letter of a transfer of party activity [giấy giới thiệu sinh hoạt đảng],
or of an admission candidate re-homed to another cell's area."""

from dataclasses import dataclass
from datetime import date
from enum import Enum

from papers.page import Letterhead, Paper, PartyPaper, Signer, filename, short_date

REPORT_WITHIN = 30  # working days


class Move(Enum):
    OFFICIAL = "chính thức"
    TEMPORARY = "tạm thời"
    INTERNAL = "nội bộ"


@dataclass(frozen=True)
class IntroducedMember:
    full_name: str
    date_of_birth: date | None
    card_number: str | None
    official: bool  # chính thức, else dự bị
    admitted_on: date | None
    official_on: date | None


@dataclass(frozen=True)
class IntroducedCandidate:
    full_name: str
    date_of_birth: date | None
    workplace: str | None


@dataclass(frozen=True)
class IntroductionLetter:
    letterhead: Letterhead
    person: IntroducedMember | IntroducedCandidate
    move: Move
    from_cell: str
    to: str
    report_by: date | None  # the letter is valid until then (30 working days)
    regulation: str | None  # the charter regulation it follows: "Quy định 29-QĐ/TW (2016)"
    dues_paid_through: str | None  # YYYY-MM
    signer: Signer


def _month(value: str) -> str:
    year, month = value.split("-")
    return f"tháng {int(month)} năm {year}"


def render_introduction_letter(letter: IntroductionLetter) -> Paper:
    pdf = PartyPaper("Giấy giới thiệu sinh hoạt đảng")
    pdf.letterhead(letter.letterhead)
    person = letter.person
    if isinstance(person, IntroducedMember):
        pdf.title_block("Giấy giới thiệu sinh hoạt đảng", f"(chuyển sinh hoạt {letter.move.value})")
    else:
        pdf.title_block("Giấy giới thiệu", "(đối tượng kết nạp đảng)")
    pdf.labelled("Kính gửi", letter.to)
    pdf.paragraph(f"{letter.letterhead.committee} trân trọng giới thiệu:")
    label = "Đồng chí" if isinstance(person, IntroducedMember) else "Quần chúng"
    pdf.labelled(label, person.full_name)
    if person.date_of_birth is not None:
        pdf.labelled("Sinh ngày", short_date(person.date_of_birth))
    if isinstance(person, IntroducedMember):
        standing = "Đảng viên chính thức" if person.official else "Đảng viên dự bị"
        pdf.labelled("Là", standing)
        if person.card_number:
            pdf.labelled("Số thẻ đảng viên", person.card_number)
        if person.admitted_on is not None:
            pdf.labelled("Vào Đảng ngày", short_date(person.admitted_on))
        if person.official_on is not None:
            pdf.labelled("Chính thức ngày", short_date(person.official_on))
    elif person.workplace:
        pdf.labelled("Nơi công tác", person.workplace)
    pdf.labelled("Đang sinh hoạt tại", letter.from_cell)
    pdf.labelled("Được chuyển đến sinh hoạt tại", letter.to)
    if isinstance(person, IntroducedMember) and letter.dues_paid_through:
        pdf.labelled("Đã đóng đảng phí đến hết", _month(letter.dues_paid_through))
    if isinstance(person, IntroducedMember):
        pdf.paragraph(
            f"Đề nghị {letter.to} tiếp nhận, quản lý và phân công nhiệm vụ cho đồng chí "
            f"{person.full_name}."
        )
    else:
        pdf.paragraph(
            f"Đề nghị {letter.to} tiếp tục theo dõi, giúp đỡ, bồi dưỡng quần chúng "
            f"{person.full_name} trong nguồn kết nạp đảng."
        )
    if letter.report_by is not None:
        pdf.paragraph(
            f"Giấy giới thiệu có giá trị đến hết ngày {short_date(letter.report_by)}.", "I"
        )
        if letter.regulation:
            pdf.paragraph(
                f"(Theo {letter.regulation}: giấy giới thiệu được trình tại chi bộ nơi "
                f"chuyển đến trong {REPORT_WITHIN} ngày làm việc kể từ ngày giới thiệu.)",
                "I",
            )
    pdf.signatures(letter.signer, recipients=[letter.to, letter.from_cell, "Lưu"])
    return pdf.finished(filename("giay-gioi-thieu", letter.letterhead.number))
