"""What setting a paper costs: an introduction letter and a 200-person hand-over record, with
the faces cut once to the Latin and Vietnamese letters papers use (papers.fonts, as the
services run) against the whole DejaVu faces fpdf2 would otherwise parse for every paper.

    uv run python bench/papers/run.py [--rounds 3] [--number 10]

Prints milliseconds per paper (best of the rounds), the PDF's size, and the ratio to the
whole faces."""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from datetime import date
from unittest.mock import patch

import papers.page
from papers import (
    HandedOverPerson,
    HandOverDecision,
    HandOverRecord,
    IntroducedMember,
    IntroductionLetter,
    Letterhead,
    Move,
    Paper,
    Signer,
    render_hand_over_record,
    render_introduction_letter,
)
from papers.fonts import FAMILY, FILES, Typeface, font_dir, typeface

HEAD = Letterhead(
    "Quận ủy Ba Đình", "Đảng ủy phường Giảng Võ", "12-GGT/ĐU", "Hà Nội", date(2019, 10, 1)
)
LETTER = IntroductionLetter(
    letterhead=HEAD,
    person=IntroducedMember(
        "Nguyễn Đức Bình", date(1978, 3, 12), "01.777001", True, date(2005, 5, 19), None
    ),
    move=Move.INTERNAL,
    from_cell="Chi bộ cơ quan phường Giảng Võ",
    to="Chi bộ tổ dân phố số 7",
    report_by=date(2019, 11, 12),
    regulation="Quy định 29-QĐ/TW (2016)",
    dues_paid_through="2019-09",
    signer=Signer("T/M ĐẢNG ỦY", "BÍ THƯ"),
)
RECORD = HandOverRecord(
    letterhead=HEAD,
    giving_side="Đảng ủy phường Ngọc Khánh",
    receiving_side="Đảng ủy phường Giảng Võ",
    decision=HandOverDecision("123-QĐ/TU", date(2025, 6, 30), "Thành ủy Hà Nội", "sáp nhập"),
    held_on=date(2025, 7, 1),
    giving_signer=Signer(None, "BÍ THƯ"),
    receiving_signer=Signer(None, "BÍ THƯ"),
    people=[
        HandedOverPerson(
            f"Phạm Thị Thu Hằng {n:03d}", date(1980, 1, 1), f"01.{n:06d}", "chính thức", None
        )
        for n in range(200)
    ],
)
WHOLE = Typeface(FAMILY, {style: font_dir() / name for style, name in FILES.items()})


def best_ms(render: Callable[[], Paper], rounds: int, number: int) -> tuple[float, int]:
    size = len(render().content)
    best = min(timeit.repeat(render, repeat=rounds, number=number)) / number
    return best * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--number", type=int, default=10)
    args = parser.parse_args()
    typeface()  # the faces are cut once per process, before the first paper
    papers_of: dict[str, Callable[[], Paper]] = {
        "introduction letter": lambda: render_introduction_letter(LETTER),
        "hand-over record, 200 people": lambda: render_hand_over_record(RECORD),
    }
    print(f"{'paper':32} {'faces':>6} {'ms/paper':>9} {'bytes':>8} {'ratio':>6}")
    for name, render in papers_of.items():
        cut_ms, cut_size = best_ms(render, args.rounds, args.number)
        with patch.object(papers.page, "typeface", lambda: WHOLE):  # the baseline's faces
            whole_ms, whole_size = best_ms(render, args.rounds, args.number)
        print(f"{name:32} {'whole':>6} {whole_ms:9.1f} {whole_size:8d} {1.0:6.2f}")
        print(f"{name:32} {'cut':>6} {cut_ms:9.1f} {cut_size:8d} {cut_ms / whole_ms:6.2f}")


if __name__ == "__main__":
    main()
