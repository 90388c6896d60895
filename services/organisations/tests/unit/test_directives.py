from datetime import date

import pytest
from organisations.domain import Directive, DirectiveKind, DirectiveNumber, DomainError


@pytest.mark.parametrize(
    ("text", "serial", "kind", "issuer"),
    [
        ("383-CV/QU", 383, DirectiveKind.OFFICIAL_LETTER, "QU"),
        ("14-HD/BTCTU", 14, DirectiveKind.GUIDANCE, "BTCTU"),
        ("38-KL/TW", 38, DirectiveKind.CONCLUSION, "TW"),
        ("109-KH/TU", 109, DirectiveKind.PLAN, "TU"),
        ("294-QĐ/TW", 294, DirectiveKind.DECISION, "TW"),
        ("132-qd/tw", 132, DirectiveKind.DECISION, "TW"),
        ("21-NQ/TW", 21, DirectiveKind.RESOLUTION, "TW"),
        (" 383 - CV / QU ", 383, DirectiveKind.OFFICIAL_LETTER, "QU"),
    ],
)
def test_a_directive_number_gives_its_serial_kind_and_issuer(
    text: str, serial: int, kind: DirectiveKind, issuer: str
) -> None:
    number = DirectiveNumber.parse(text)
    assert (number.serial, number.kind, number.issuer_code) == (serial, kind, issuer)


def test_qd_and_qđ_spell_the_same_number() -> None:
    assert DirectiveNumber.parse("294-QD/TW").key == DirectiveNumber.parse("294-QĐ/TW").key
    assert str(DirectiveNumber.parse("294-qd/tw")) == "294-QĐ/TW"


@pytest.mark.parametrize("text", ["383/QU", "CV-383/QU", "383-XX/QU", "383-CV", "", "383-CV/"])
def test_a_malformed_number_is_refused_showing_the_expected_form(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        DirectiveNumber.parse(text)
    assert refused.value.code == "BAD_USER_INPUT"
    assert "383-CV/QU" in str(refused.value)
    assert refused.value.details["expectedForm"].startswith("<number>-<KL|KH|HD|CV|QĐ|NQ>")


def test_a_directive_keeps_every_date_the_sources_give_it() -> None:
    guidance = Directive.issue(
        id="d14",
        number=DirectiveNumber.parse("14-HD/BTCTU"),
        issuer="Ban Tổ chức Thành ủy Hà Nội",
        issued_on=date(2019, 9, 5),
        title="Hướng dẫn giải thể chi bộ cơ quan xã, phường, thị trấn",
        other_issued_dates=[date(2019, 8, 20), date(2019, 9, 5)],
    )
    assert guidance.issued_on == date(2019, 9, 5)
    assert guidance.other_issued_dates == [date(2019, 8, 20)]


def test_a_directive_needs_issuer_and_title() -> None:
    with pytest.raises(DomainError, match="issuer"):
        Directive.issue(
            id="d",
            number=DirectiveNumber.parse("383-CV/QU"),
            issuer=" ",
            issued_on=date(2019, 9, 5),
            title="x",
        )
