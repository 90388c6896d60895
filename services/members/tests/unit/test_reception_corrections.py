from datetime import date

import pytest
from members.domain import DomainError, InvalidTransition, TransferState
from members.domain.reception_corrections import reception_corrected
from test_transfers import introduced

TODAY = date(2019, 10, 20)
REASON = "Sổ tiếp nhận ghi nhầm ngày"


def test_a_corrected_reception_keeps_the_old_date_who_when_and_why() -> None:
    received = introduced().received(date(2019, 10, 8))
    corrected = reception_corrected(
        received, date(2019, 10, 3), f" {REASON} ", "Bí thư chi bộ", TODAY, "u-hoa"
    )
    assert (corrected.state, corrected.received_on) == (TransferState.RECEIVED, date(2019, 10, 3))
    [correction] = corrected.reception_corrections
    assert correction.old_received_on == date(2019, 10, 8)
    assert correction.new_received_on == date(2019, 10, 3)
    assert (correction.reason, correction.by, correction.subject, correction.on) == (
        REASON,
        "Bí thư chi bộ",
        "u-hoa",
        TODAY,
    )
    assert corrected.version == received.version + 1
    again = reception_corrected(corrected, date(2019, 10, 4), "Lại nhầm", "Bí thư", TODAY)
    assert [c.new_received_on for c in again.reception_corrections] == [
        date(2019, 10, 3),
        date(2019, 10, 4),
    ]


def test_only_a_received_transfer_has_its_reception_corrected() -> None:
    with pytest.raises(InvalidTransition, match="INTRODUCED"):
        reception_corrected(introduced(), date(2019, 10, 3), REASON, "Bí thư", TODAY)


def test_a_correction_needs_a_reason_a_new_date_and_one_after_the_letter_not_in_the_future() -> (
    None
):
    received = introduced().received(date(2019, 10, 8))
    for day, reason, message in [
        (date(2019, 10, 3), " ", "reason"),
        (date(2019, 10, 8), REASON, "recorded received on that day"),
        (date(2019, 9, 30), REASON, "after its introduction letter"),
        (date(2019, 10, 21), REASON, "future"),
    ]:
        with pytest.raises(DomainError, match=message):
            reception_corrected(received, day, reason, "Bí thư", TODAY)
