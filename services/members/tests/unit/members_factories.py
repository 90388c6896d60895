"""Small builders of domain objects for the unit tests."""

from datetime import date
from typing import Any

from members.domain import (
    AdmissionCandidate,
    CandidateStage,
    Gender,
    KnownOrganisation,
    PartyMember,
    Residence,
    StageChange,
    Standing,
)

WARD = "ward-giang-vo"


def cell(
    id: str, *, cell_type: str = "RESIDENTIAL", parent: str = WARD, **more: Any
) -> KnownOrganisation:
    fields: dict[str, Any] = {
        "id": id,
        "code": id.upper(),
        "name": f"Chi bộ {id}",
        "kind": "CELL",
        "cell_type": cell_type,
        "parent_id": parent,
        "status": "ACTIVE",
        "ancestor_ids": ["city", "district", parent],
    }
    return KnownOrganisation(**(fields | more))


def member(
    id: str = "m1",
    *,
    organisation_id: str = "agency",
    standing: Standing = Standing.OFFICIAL,
    group: str | None = "Tổ dân phố 1",
) -> PartyMember:
    return PartyMember(
        id=id,
        card_number=f"CARD-{id}",
        full_name=f"Nguyễn Văn {id}",
        date_of_birth=date(1980, 5, 17),
        gender=Gender.MALE,
        standing=standing,
        admitted_on=date(2010, 3, 2),
        official_on=date(2011, 3, 2) if standing is Standing.OFFICIAL else None,
        organisation_id=organisation_id,
        residence=Residence("12 Giảng Võ", group) if group else None,
    )


def candidate(
    id: str = "c1",
    *,
    born: date = date(1995, 6, 1),
    stage: CandidateStage = CandidateStage.SOURCE,
    organisation_id: str = "agency",
    group: str | None = "Tổ dân phố 2",
) -> AdmissionCandidate:
    return AdmissionCandidate(
        id=id,
        full_name=f"Trần Thị {id}",
        date_of_birth=born,
        gender=Gender.FEMALE,
        organisation_id=organisation_id,
        stage=stage,
        residence=Residence("5 Ngọc Khánh", group) if group else None,
        history=[StageChange(stage, date(2019, 1, 1))],
    )
