"""The synthetic Hà Nội of bench/scale: deterministic, of the promised sizes, and valid by the
members service's own rules."""

import csv
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

import pytest
from members.domain import Standing
from members.domain.calendar import add_months
from members.domain.members import probation_ends, require_coherent_dates

from bench.scale.hanoi import AS_OF, HEADERS, SyntheticHanoi, write_csv


def test_the_same_seed_makes_the_same_city_and_another_seed_another() -> None:
    first, again, other = (
        SyntheticHanoi("ward", 7),
        SyntheticHanoi("ward", 7),
        SyntheticHanoi("ward", 8),
    )
    assert list(first.organisations()) == list(again.organisations())
    assert list(first.members()) == list(again.members())
    assert list(first.candidates()) == list(again.candidates())
    assert list(islice(first.members(), 50)) != list(islice(other.members(), 50))


def test_a_ward_looks_the_same_in_every_size() -> None:
    ward = SyntheticHanoi("ward")
    district = SyntheticHanoi("district")
    ba_dinh = [m for m in district.members() if m.organisation_code.startswith("HN-P-BADINH-")]
    assert ba_dinh == list(ward.members())


def test_the_city_has_126_units_and_500000_members_the_district_17000_the_ward_4000() -> None:
    city = SyntheticHanoi("city")
    assert len(city.units) == 126
    assert sum(u.is_ward for u in city.units) == 51
    assert city.member_count == 500_000
    assert 15_000 <= SyntheticHanoi("district").member_count <= 19_000
    ward = SyntheticHanoi("ward")
    assert 3_500 <= ward.member_count <= 5_000
    assert sum(1 for _ in ward.members()) == ward.member_count
    codes = {unit.code for unit in city.units}
    assert {"HN-P-BADINH", "HN-P-GIANGVO", "HN-X-SOCSON"} <= codes and len(codes) == 126


def test_organisations_come_parents_first_with_unique_codes_and_tens_of_cells_a_ward() -> None:
    seen: set[str] = set()
    for organisation in SyntheticHanoi("district").organisations():
        assert organisation.code not in seen
        assert organisation.parent_code is None or organisation.parent_code in seen
        seen.add(organisation.code)
    cells = [o for o in SyntheticHanoi("ward").organisations() if o.kind == "CELL"]
    assert 20 <= len(cells) <= 150
    assert {o.cell_type for o in cells} == {"AGENCY", "RESIDENTIAL"}
    assert all(o.coverage for o in cells if o.cell_type == "RESIDENTIAL")


@pytest.mark.parametrize("size", ["ward", "district"])
def test_every_member_passes_the_members_service_rules_with_recent_probation(size: str) -> None:
    cards: set[str] = set()
    for member in SyntheticHanoi(size).members():
        standing = Standing(member.standing)
        require_coherent_dates(
            member.date_of_birth, standing, member.admitted_on, member.official_on
        )
        assert member.admitted_on >= add_months(member.date_of_birth, 18 * 12)
        if standing is Standing.PROBATIONARY:
            assert probation_ends(member.admitted_on) > AS_OF > member.admitted_on
        else:
            assert member.official_on is not None and member.official_on <= AS_OF
        assert member.card_number not in cards
        cards.add(member.card_number)


def test_residential_cells_hold_people_living_in_the_groups_they_cover() -> None:
    hanoi = SyntheticHanoi("district")
    coverage = {
        o.code: set(o.coverage) for o in hanoi.organisations() if o.cell_type == "RESIDENTIAL"
    }
    residential = [m for m in hanoi.members() if m.organisation_code in coverage]
    assert residential
    for member in residential:
        assert member.residential_group in coverage[member.organisation_code]
        assert member.address.endswith("Hà Nội")


def test_agency_members_work_at_their_cells_agency_and_candidates_are_of_age() -> None:
    hanoi = SyntheticHanoi("ward")
    agency = {o.code for o in hanoi.organisations() if o.cell_type == "AGENCY"}
    for member in hanoi.members():
        if member.organisation_code in agency:
            assert member.workplace_name and member.workplace_role
    candidates = list(hanoi.candidates())
    assert 20 <= len(candidates) <= 60
    for candidate in candidates:
        age_days = (candidate.on - candidate.date_of_birth).days
        assert 18 * 365 < age_days < 60 * 365
        assert candidate.on <= AS_OF - timedelta(days=1)
        assert isinstance(candidate.on, date)


def test_the_files_have_vietnamese_headers_and_a_row_per_person(tmp_path: Path) -> None:
    hanoi = SyntheticHanoi("ward")
    write_csv(hanoi, tmp_path)
    with (tmp_path / "dang_vien.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == hanoi.member_count
    assert list(rows[0]) == ["STT", *HEADERS["dang_vien"].values()]
    first = next(hanoi.members())
    assert rows[0]["Số thẻ đảng viên"] == first.card_number
    assert rows[0]["Ngày sinh"] == f"{first.date_of_birth:%d/%m/%Y}"
    assert {row["Loại đảng viên"] for row in rows} == {"Chính thức", "Dự bị"}
    with (tmp_path / "to_chuc.csv").open(encoding="utf-8-sig") as file:
        kinds = {row["Cấp"] for row in csv.DictReader(file)}
    assert kinds == {"Thành ủy", "Đảng ủy phường", "Chi bộ"}
