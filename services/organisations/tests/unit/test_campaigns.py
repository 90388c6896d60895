from datetime import UTC, date, datetime

import pytest
from organisations.domain import (
    Campaign,
    CampaignProgress,
    CellType,
    Directive,
    DirectiveNumber,
    DomainError,
    Organisation,
    OrganisationKind,
    Stage,
)

LAUNCHED = datetime(2019, 9, 5, 8, tzinfo=UTC)
DIRECTIVE = Directive.issue(
    id="d383",
    number=DirectiveNumber.parse("383-CV/QU"),
    issuer="Ban Thường vụ Quận ủy Ba Đình",
    issued_on=date(2019, 9, 5),
    title="Thực hiện Hướng dẫn 14-HD/BTCTU về giải thể chi bộ cơ quan phường",
)
CITY = Organisation("hn", "HN", "Thành ủy Hà Nội", OrganisationKind.CITY_COMMITTEE)
DISTRICT = Organisation(
    "bd", "HN-BD", "Quận ủy Ba Đình", OrganisationKind.DISTRICT_COMMITTEE, "hn", ["hn"]
)


def ward(code: str, name: str) -> Organisation:
    return Organisation(
        f"w-{code}", f"HN-BD-{code}", name, OrganisationKind.WARD_COMMITTEE, "bd", ["hn", "bd"]
    )


def cell(ward: Organisation, suffix: str, cell_type: CellType) -> Organisation:
    return Organisation(
        f"{ward.id}-{suffix}",
        f"{ward.code}-{suffix}",
        f"Chi bộ {suffix}",
        OrganisationKind.CELL,
        ward.id,
        [*ward.ancestor_ids, ward.id],
        cell_type,
    )


GV, KM = ward("GV", "Đảng ủy phường Giảng Võ"), ward("KM", "Đảng ủy phường Kim Mã")
CELLS = [
    cell(GV, "CQ", CellType.AGENCY),
    cell(GV, "TDP01", CellType.RESIDENTIAL),
    cell(KM, "CQ", CellType.AGENCY),
    cell(KM, "TDP01", CellType.RESIDENTIAL),
]


def launch(**overrides: object) -> Campaign:
    arguments: dict[str, object] = {
        "directive": DIRECTIVE,
        "district": DISTRICT,
        "wards": [GV, KM],
        "cells_of_wards": CELLS,
        "plan_deadline": date(2019, 9, 15),
        "launched_by": "Quận ủy Ba Đình",
        "at": LAUNCHED,
    }
    return Campaign.launch(**{**arguments, **overrides})  # type: ignore[arg-type]


def test_a_campaign_opens_one_case_per_agency_cell_of_its_wards() -> None:
    campaign = launch()
    cases = campaign.open_cases()
    assert [c.cell_id for c in cases] == ["w-GV-CQ", "w-KM-CQ"]
    assert {c.stage for c in cases} == {Stage.OPENED}
    assert {c.plan_deadline for c in cases} == {date(2019, 9, 15)}
    assert [c.id for c in cases] == [c.id for c in launch().open_cases()]


def test_campaigns_are_launched_by_a_district_committee_over_its_own_wards() -> None:
    with pytest.raises(DomainError, match="district committee"):
        launch(district=CITY)
    stranger = Organisation("w-x", "X", "Đảng ủy phường X", OrganisationKind.WARD_COMMITTEE, "th")
    with pytest.raises(DomainError, match="not a ward committee of"):
        launch(wards=[GV, stranger])


def test_a_ward_without_an_agency_cell_is_named_in_the_refusal() -> None:
    with pytest.raises(DomainError, match="Kim Mã"):
        launch(cells_of_wards=CELLS[:2])


def test_the_plan_deadline_cannot_precede_the_directive() -> None:
    with pytest.raises(DomainError, match="deadline"):
        launch(plan_deadline=date(2019, 9, 4))


def test_progress_counts_cases_per_stage_and_the_overdue_ones() -> None:
    cases = launch().open_cases()
    cases[0].stage = Stage.PLAN_SUBMITTED
    progress = CampaignProgress.of(cases, today=date(2019, 9, 16))
    assert progress.total == 2
    assert progress.by_stage[Stage.OPENED] == 1
    assert progress.by_stage[Stage.PLAN_SUBMITTED] == 1
    assert progress.overdue == 1
    assert CampaignProgress.of(cases, today=date(2019, 9, 15)).overdue == 0


def test_progress_from_kept_counts_is_what_the_cases_themselves_give() -> None:
    campaign = launch()
    cases = campaign.open_cases()
    cases[0].stage = Stage.PLAN_SUBMITTED
    stages = {Stage.OPENED: 1, Stage.PLAN_SUBMITTED: 1}
    for today in (date(2019, 9, 15), date(2019, 9, 16)):
        counted = CampaignProgress.counted(campaign, stages, today)
        assert counted == CampaignProgress.of(cases, today)
    assert CampaignProgress.counted(campaign, stages, date(2019, 9, 16)).overdue == 1
