from dataclasses import replace
from datetime import date

import pytest
from members.domain import (
    Conflict,
    DomainError,
    Gender,
    PartyMember,
    Standing,
    citizen_id_of,
    optional_citizen_id,
)
from members_factories import cell, member


def register(**changes: object) -> PartyMember:
    fields: dict[str, object] = {
        "id": "m1",
        "card_number": " 01.234567 ",
        "full_name": "  Nguyễn   Thị Hằng ",
        "date_of_birth": date(1980, 1, 1),
        "gender": Gender.FEMALE,
        "standing": Standing.OFFICIAL,
        "admitted_on": date(2005, 6, 1),
        "official_on": date(2006, 6, 1),
        "cell": cell("agency", cell_type="AGENCY"),
    }
    return PartyMember.register(**(fields | changes))  # type: ignore[arg-type]


def test_a_registered_member_has_a_tidy_name_and_card_number() -> None:
    registered = register()
    assert (registered.full_name, registered.card_number) == ("Nguyễn Thị Hằng", "01.234567")


def test_an_official_member_is_official_only_after_12_months_of_probation() -> None:
    with pytest.raises(DomainError, match="12 months of probation"):
        register(official_on=date(2006, 5, 31))


def test_an_official_member_needs_an_official_date() -> None:
    with pytest.raises(DomainError, match="official date"):
        register(official_on=None)


def test_a_probationary_member_has_no_official_date() -> None:
    with pytest.raises(DomainError, match="no official date"):
        register(standing=Standing.PROBATIONARY)


def test_admission_comes_after_birth() -> None:
    with pytest.raises(DomainError, match="after the date of birth"):
        register(admitted_on=date(1979, 1, 1))


def test_members_belong_to_active_cells_only() -> None:
    with pytest.raises(DomainError, match="not an active cell"):
        register(cell=replace(cell("agency"), kind="WARD_COMMITTEE"))


def test_nobody_joins_a_dissolved_cell() -> None:
    with pytest.raises(Conflict, match="nobody is registered in a dissolved cell"):
        register(cell=replace(cell("agency"), status="DISSOLVED"))


def test_a_probationary_member_is_recognised_official_after_12_months() -> None:
    probationary = member(standing=Standing.PROBATIONARY)
    official = probationary.recognised_official(date(2011, 3, 2))
    assert official.standing is Standing.OFFICIAL
    assert official.version == probationary.version + 1


def test_recognition_before_the_end_of_probation_is_refused() -> None:
    with pytest.raises(DomainError, match="probation end on 2011-03-02"):
        member(standing=Standing.PROBATIONARY).recognised_official(date(2011, 3, 1))


def test_an_official_member_is_not_recognised_twice() -> None:
    with pytest.raises(Conflict):
        member().recognised_official(date(2020, 1, 1))


def test_a_correction_keeps_the_dates_coherent() -> None:
    with pytest.raises(DomainError):
        member().corrected(official_on=date(2010, 6, 1))


def test_a_citizen_id_is_exactly_twelve_digits() -> None:
    assert citizen_id_of(" 001086000123 ") == "001086000123"
    assert optional_citizen_id("  ") is None
    for bad in ("00108600012", "0010860001234", "00108600012a", "００１０８６０００１２３"):
        with pytest.raises(DomainError) as refused:
            citizen_id_of(bad)
        assert refused.value.details["field"] == "citizenId"
