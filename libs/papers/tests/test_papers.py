"""Each paper is set, then read back from the PDF: the Vietnamese text comes back letter for
letter, so the font set every diacritic (a missing glyph would not extract)."""

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from papers import (
    DissolutionDecision,
    Ground,
    HandedOverPerson,
    HandOverDecision,
    HandOverRecord,
    IntroducedCandidate,
    IntroducedMember,
    IntroductionLetter,
    Letterhead,
    MissingFont,
    Move,
    Paper,
    Signer,
    dated_line,
    render_dissolution_decision,
    render_hand_over_record,
    render_introduction_letter,
    typeface,
)
from papers.fonts import FILES
from pypdf import PdfReader

HEAD = Letterhead(
    upper_committee="Đảng bộ quận Ba Đình",
    committee="Đảng ủy phường Giảng Võ",
    number="12-GGT/ĐU",
    place="Hà Nội",
    dated=date(2019, 10, 1),
)
SECRETARY = Signer("T/M ĐẢNG ỦY", "BÍ THƯ", "Trần Thị Hường")


def text_of(paper: Paper) -> str:
    assert paper.content.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(paper.content)).pages
    text = "\n".join(page.extract_text() for page in pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_date_line_is_written_as_party_papers_write_it() -> None:
    assert dated_line("Hà Nội", date(2019, 9, 5)) == "Hà Nội, ngày 05 tháng 9 năm 2019"
    assert dated_line("Hà Nội", date(2025, 2, 14)) == "Hà Nội, ngày 14 tháng 02 năm 2025"


def test_an_introduction_letter_reads_back_with_its_diacritics() -> None:
    letter = IntroductionLetter(
        letterhead=HEAD,
        person=IntroducedMember(
            full_name="Nguyễn Đức Bình",
            date_of_birth=date(1978, 3, 12),
            card_number="01.777001",
            official=True,
            admitted_on=date(2005, 5, 19),
            official_on=date(2006, 5, 19),
        ),
        move=Move.INTERNAL,
        from_cell="Chi bộ cơ quan phường Giảng Võ",
        to="Chi bộ tổ dân phố số 7",
        report_by=date(2019, 11, 12),
        regulation="Quy định 29-QĐ/TW (2016)",
        dues_paid_through="2019-09",
        signer=SECRETARY,
    )
    paper = render_introduction_letter(letter)
    text = text_of(paper)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ QUẬN BA ĐÌNH",
        "ĐẢNG ỦY PHƯỜNG GIẢNG VÕ",
        "Số: 12-GGT/ĐU",
        "Hà Nội, ngày 01 tháng 10 năm 2019",
        "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG",
        "(chuyển sinh hoạt nội bộ)",
        "Kính gửi: Chi bộ tổ dân phố số 7",
        "Đồng chí: Nguyễn Đức Bình",
        "Số thẻ đảng viên: 01.777001",
        "Đảng viên chính thức",
        "Đang sinh hoạt tại: Chi bộ cơ quan phường Giảng Võ",
        "Đã đóng đảng phí đến hết: tháng 9 năm 2019",
        "Giấy giới thiệu có giá trị đến hết ngày 12/11/2019",
        "Theo Quy định 29-QĐ/TW (2016)",
        "T/M ĐẢNG ỦY",
        "Trần Thị Hường",
    ):
        assert expected in text, expected
    assert paper.filename == "giay-gioi-thieu-12-GGT-DU.pdf"
    assert paper.content_type == "application/pdf"


def test_a_candidates_letter_asks_the_cell_to_go_on_helping_them() -> None:
    letter = IntroductionLetter(
        letterhead=HEAD,
        person=IntroducedCandidate("Lê Thị Ngọc Ánh", date(1995, 8, 2), "UBND phường Giảng Võ"),
        move=Move.INTERNAL,
        from_cell="Chi bộ cơ quan phường Giảng Võ",
        to="Chi bộ tổ dân phố số 3",
        report_by=None,
        regulation=None,
        dues_paid_through=None,
        signer=Signer("T/M ĐẢNG ỦY", "PHÓ BÍ THƯ"),
    )
    text = text_of(render_introduction_letter(letter))
    assert "Quần chúng: Lê Thị Ngọc Ánh" in text
    assert "tiếp tục theo dõi, giúp đỡ, bồi dưỡng quần chúng Lê Thị Ngọc Ánh" in text
    assert "(ký, ghi rõ họ tên)" in text
    assert "Số thẻ" not in text


def test_a_dissolution_decision_names_the_cell_its_grounds_and_its_effective_date() -> None:
    decision = DissolutionDecision(
        letterhead=Letterhead(
            upper_committee="Đảng bộ quận Ba Đình",
            committee="Đảng ủy phường Giảng Võ",
            number="45-QĐ/ĐU",
            place="Hà Nội",
            dated=date(2019, 9, 25),
        ),
        cell="Chi bộ cơ quan phường Giảng Võ",
        effective_on=date(2019, 10, 1),
        grounds=[
            Ground("Điều lệ Đảng Cộng sản Việt Nam"),
            Ground("Công văn số 383-CV/QU ngày 05/9/2019 của Ban Thường vụ Quận ủy Ba Đình"),
        ],
        plan="Phương án số 05-PA/ĐU ngày 10/09/2019",
        receiving="các chi bộ địa bàn dân cư của Đảng ủy phường Giảng Võ",
        members=20,
        candidates=3,
        signer=SECRETARY,
    )
    text = text_of(render_dissolution_decision(decision))
    for expected in (
        "QUYẾT ĐỊNH",
        "về việc giải thể Chi bộ cơ quan phường Giảng Võ",
        "Căn cứ Công văn số 383-CV/QU ngày 05/9/2019",
        "Điều 1. Giải thể Chi bộ cơ quan phường Giảng Võ kể từ ngày 01/10/2019.",
        "20 đảng viên và 3 đối tượng kết nạp đảng",
        "Hà Nội, ngày 25 tháng 9 năm 2019",
        "Số: 45-QĐ/ĐU",
    ):
        assert expected in text, expected


def test_a_hand_over_record_lists_every_member_over_several_pages() -> None:
    people = [
        HandedOverPerson(
            full_name=f"Phạm Thị Thu Hằng {n}",
            date_of_birth=date(1980, 1, 1 + n % 28),
            card_number=f"01.{n:06d}" if n % 10 else None,
            standing="dự bị" if n % 7 == 0 else "chính thức" if n % 10 else "đối tượng kết nạp",
            receiving_cell=f"Chi bộ tổ dân phố số {n % 14 + 1}",
        )
        for n in range(1, 61)
    ]
    record = HandOverRecord(
        letterhead=Letterhead(
            "Thành ủy Hà Nội", "Đảng ủy phường Giảng Võ", None, "Hà Nội", date(2025, 7, 1)
        ),
        giving_side="Đảng ủy phường Ngọc Khánh",
        receiving_side="Đảng ủy phường Giảng Võ",
        decision=HandOverDecision(
            "123-QĐ/TU", date(2025, 6, 30), "Thành ủy Hà Nội", "thành lập Đảng bộ phường Giảng Võ"
        ),
        held_on=date(2025, 7, 1),
        giving_signer=Signer(None, "BÍ THƯ", "Đỗ Văn Quý"),
        receiving_signer=Signer(None, "BÍ THƯ", "Hoàng Minh Ngữ"),
        people=people,
    )
    paper = render_hand_over_record(record)
    reader = PdfReader(io.BytesIO(paper.content))
    assert len(reader.pages) >= 2
    text = text_of(paper)
    assert "BIÊN BẢN" in text and "bàn giao sổ danh sách đảng viên" in text
    assert "Căn cứ Quyết định số 123-QĐ/TU ngày 30/06/2025 của Thành ủy Hà Nội" in text
    assert "Bên giao: Đảng ủy phường Ngọc Khánh" in text
    assert "Bên nhận: Đảng ủy phường Giảng Võ" in text
    assert "gồm 54 đảng viên (46 chính thức, 8 dự bị) và 6 đối tượng kết nạp đảng" in text
    for person in people:
        assert person.full_name in text
    assert "ĐẠI DIỆN BÊN GIAO" in text and "Hoàng Minh Ngữ" in text
    assert paper.filename == "bien-ban-ban-giao-draft.pdf"


def test_a_missing_font_is_refused_with_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(MissingFont, match="fonts-dejavu-core"):
        typeface(tmp_path)


def test_a_font_that_cannot_set_vietnamese_is_refused(tmp_path: Path) -> None:
    for style, name in FILES.items():  # the faces cut to plain ASCII, as an old font might be
        font = TTFont(typeface().files[style])
        cutter = subset.Subsetter()
        cutter.populate(unicodes=range(0x20, 0x7F))
        cutter.subset(font)
        font.save(tmp_path / name)
    with pytest.raises(MissingFont, match="cannot set Vietnamese: it has no"):
        typeface(tmp_path)
