"""The layout every party paper shares (the party's rules on the format of its documents):
on the left the upper committee, the issuing committee in bold, a star and the number; on the
right ĐẢNG CỘNG SẢN VIỆT NAM underlined and the place-and-date line in italics; then the
title, the body, and the signature blocks."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from papers.fonts import typeface

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
LEFT, RIGHT, TOP = 30.0, 15.0, 20.0  # millimetres, as party documents are set
HEAD_LEFT = 75.0
LINE = 6.5
SIZE = 13


@dataclass(frozen=True)
class Letterhead:
    """Who issues the paper, under whom, its number, and where and when it is dated."""

    upper_committee: str  # e.g. ĐẢNG BỘ QUẬN BA ĐÌNH
    committee: str  # e.g. ĐẢNG ỦY PHƯỜNG GIẢNG VÕ
    number: str | None
    place: str
    dated: date


@dataclass(frozen=True)
class Signer:
    """A signature block: on whose behalf, the title, the name (None: left to be handwritten)."""

    on_behalf: str | None  # e.g. T/M ĐẢNG ỦY
    title: str  # e.g. BÍ THƯ
    name: str | None = None


@dataclass(frozen=True)
class Paper:
    """A rendered paper: what the API hands out."""

    filename: str
    content: bytes
    content_type: str = "application/pdf"


def dated_line(place: str, day: date) -> str:
    """ "Hà Nội, ngày 05 tháng 9 năm 2019": days below 10 and months below 3 take a leading 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def filename(kind: str, number: str | None) -> str:
    """An ASCII file name: "giay-gioi-thieu-12-GGT-DU.pdf" for letter 12-GGT/ĐU."""
    plain = unicodedata.normalize("NFKD", (number or "").replace("Đ", "D").replace("đ", "d"))
    ascii_only = plain.encode("ascii", "ignore").decode()
    ascii_number = re.sub(r"[^A-Za-z0-9]+", "-", ascii_only).strip("-")
    return f"{kind}-{ascii_number or 'draft'}.pdf"


def short_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


class PartyPaper(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        face = typeface()
        for style, path in face.files.items():
            self.add_font(face.family, style, str(path))
        self.family = face.family
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_creator("partyorg")
        self.set_lang("vi")
        self.add_page()

    def font(self, style: str = "", size: float = SIZE) -> None:
        self.set_font(self.family, style, size)

    def letterhead(self, head: Letterhead) -> None:
        top = self.get_y()
        width_right = self.epw - HEAD_LEFT
        left = (("", head.upper_committee.upper()), ("B", head.committee.upper()), ("", "*"))
        for style, text in (*left, ("", f"Số: {head.number}" if head.number else "")):
            self.font(style, 12)
            self.multi_cell(HEAD_LEFT, LINE, text, align=Align.C, new_x=XPos.LMARGIN)
        bottom = self.get_y()
        self.set_xy(self.l_margin + HEAD_LEFT, top)
        self.font("BU", 13)
        self.cell(width_right, LINE, PARTY, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.ln(LINE / 2)
        self.set_x(self.l_margin + HEAD_LEFT)
        self.font("I", 12)
        self.multi_cell(width_right, LINE, dated_line(head.place, head.dated), align=Align.C)
        self.set_xy(self.l_margin, max(bottom, self.get_y()) + LINE)

    def title_block(self, title: str, subtitle: str | None = None) -> None:
        self.font("B", 15)
        self.multi_cell(0, LINE + 1, title.upper(), align=Align.C, new_x=XPos.LMARGIN)
        if subtitle:
            self.font("B", SIZE)
            self.multi_cell(0, LINE, subtitle, align=Align.C, new_x=XPos.LMARGIN)
        self.ln(LINE / 2)

    def paragraph(self, text: str, style: str = "", align: Align = Align.J) -> None:
        self.font(style)
        self.multi_cell(0, LINE, text, align=align, new_x=XPos.LMARGIN)
        self.ln(1)

    def labelled(self, label: str, value: str) -> None:
        """`label` in the regular face and `value` in bold, on one line (wrapped if long)."""
        self.font()
        self.write(LINE, f"{label}: ")
        self.font("B")
        self.write(LINE, value)
        self.ln(LINE + 1)

    def signatures(self, *signers: Signer, recipients: list[str] | None = None) -> None:
        """One signer on the right (recipients on the left), or two side by side."""
        self.ln(LINE)
        if self.will_page_break(LINE * 7):
            self.add_page()
        top = self.get_y()
        half = self.epw / 2
        columns = [(self.l_margin + half, signers[0])] if len(signers) == 1 else []
        if len(signers) > 1:
            columns = [(self.l_margin + i * half, s) for i, s in enumerate(signers[:2])]
        if recipients and len(signers) == 1:
            self.font("B", 11)
            self.multi_cell(half, 5, "Nơi nhận:", new_x=XPos.LMARGIN)
            self.font("", 11)
            for recipient in recipients:
                self.multi_cell(half, 5, f"- {recipient},", new_x=XPos.LMARGIN)
        for x, signer in columns:
            self.set_xy(x, top)
            self.font("B")
            if signer.on_behalf:
                self.multi_cell(half, LINE, signer.on_behalf.upper(), align=Align.C)
                self.set_x(x)
            self.multi_cell(half, LINE, signer.title.upper(), align=Align.C)
            self.set_xy(x, self.get_y() + LINE * 3)
            if signer.name:
                self.multi_cell(half, LINE, signer.name, align=Align.C)
            else:
                self.font("I", 11)
                self.multi_cell(half, LINE, "(ký, ghi rõ họ tên)", align=Align.C)

    def finished(self, filename: str) -> Paper:
        return Paper(filename=filename, content=bytes(self.output()))
