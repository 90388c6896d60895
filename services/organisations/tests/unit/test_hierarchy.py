from datetime import date

import pytest
from organisations.domain import (
    CellType,
    DomainError,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)


def tree() -> tuple[Organisation, Organisation, Organisation, Organisation]:
    city = Organisation.register(
        id="hn",
        code="HN",
        name="Thành ủy Hà Nội",
        kind=OrganisationKind.CITY_COMMITTEE,
        parent=None,
    )
    district = Organisation.register(
        id="bd",
        code="HN-BD",
        name="Quận ủy Ba Đình",
        kind=OrganisationKind.DISTRICT_COMMITTEE,
        parent=city,
    )
    ward = Organisation.register(
        id="gv",
        code="HN-BD-GV",
        name="Đảng ủy phường Giảng Võ",
        kind=OrganisationKind.WARD_COMMITTEE,
        parent=district,
    )
    cell = Organisation.register(
        id="gv-tdp01",
        code="HN-BD-GV-TDP01",
        name="Chi bộ tổ dân phố số 1",
        kind=OrganisationKind.CELL,
        parent=ward,
        cell_type=CellType.RESIDENTIAL,
        coverage=["TDP 2", "TDP 1", " TDP 1 "],
    )
    return city, district, ward, cell


def test_an_organisation_knows_its_ancestors_root_first() -> None:
    _, _, _, cell = tree()
    assert cell.ancestor_ids == ["hn", "bd", "gv"]
    assert cell.coverage == ["TDP 1", "TDP 2"]


def test_a_cell_cannot_be_placed_under_a_cell() -> None:
    *_, cell = tree()
    with pytest.raises(DomainError, match="higher kind"):
        Organisation.register(
            id="x",
            code="X",
            name="Chi bộ X",
            kind=OrganisationKind.CELL,
            parent=cell,
            cell_type=CellType.OTHER,
        )


def test_only_a_city_committee_stands_without_a_parent() -> None:
    with pytest.raises(DomainError, match="needs a parent"):
        Organisation.register(
            id="x",
            code="X",
            name="Quận ủy X",
            kind=OrganisationKind.DISTRICT_COMMITTEE,
            parent=None,
        )


def test_cells_need_a_cell_type_and_only_residential_cells_have_coverage() -> None:
    _, _, ward, _ = tree()
    with pytest.raises(DomainError, match="cellType"):
        Organisation.register(
            id="x", code="X", name="Chi bộ X", kind=OrganisationKind.CELL, parent=ward
        )
    with pytest.raises(DomainError, match="residential"):
        Organisation.register(
            id="x",
            code="X",
            name="Chi bộ X",
            kind=OrganisationKind.CELL,
            parent=ward,
            cell_type=CellType.AGENCY,
            coverage=["TDP 1"],
        )


def test_an_organisation_cannot_move_under_its_own_subtree() -> None:
    _, district, ward, _ = tree()
    with pytest.raises(DomainError, match="higher kind"):
        district.update(parent=ward)
    # even were kinds ever out of order, an organisation never lands in its own subtree
    inside = Organisation(
        id="x", code="X", name="X", kind=OrganisationKind.CITY_COMMITTEE, ancestor_ids=["bd"]
    )
    with pytest.raises(DomainError, match="subtree"):
        district.update(parent=inside)
    assert (district.parent_id, district.ancestor_ids, district.version) == ("hn", ["hn"], 1)


def test_a_descendant_follows_its_moved_ancestor() -> None:
    city, _, ward, cell = tree()
    other = Organisation.register(
        id="th",
        code="HN-TH",
        name="Quận ủy Tây Hồ",
        kind=OrganisationKind.DISTRICT_COMMITTEE,
        parent=city,
    )
    ward.update(parent=other)
    cell.move_with_ancestor(ward)
    assert cell.ancestor_ids == ["hn", "th", "gv"]


def test_a_dissolved_organisation_takes_no_children_and_no_changes() -> None:
    *_, ward, cell = tree()
    assert cell.dissolve(on=date(2019, 10, 1))
    assert cell.status is OrganisationStatus.DISSOLVED
    assert not cell.dissolve(on=date(2019, 10, 2))
    with pytest.raises(DomainError, match="DISSOLVED"):
        cell.update(name="Chi bộ mới")
    assert ward.update(name="Đảng ủy phường Giảng Võ") is False
