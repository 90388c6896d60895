"""A campaign: one directive launched at a district over its wards, one case per agency cell."""

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from organisations.domain.directives import Directive
from organisations.domain.dissolution import AWAITING_PLAN, DissolutionCase, Stage
from organisations.domain.errors import DomainError
from organisations.domain.hierarchy import CellType, Organisation, OrganisationKind

_IDS = uuid.UUID("5f0d2c1e-8a43-4f7e-9d0b-3c6f1a2e7b90")


def campaign_id_for(directive_id: str, district_id: str) -> str:
    """One campaign per directive and district: launching it twice is a conflict, not a copy."""
    return str(uuid.uuid5(_IDS, f"campaign:{directive_id}:{district_id}"))


def case_id_for(campaign_id: str, cell_id: str) -> str:
    return str(uuid.uuid5(_IDS, f"case:{campaign_id}:{cell_id}"))


@dataclass(frozen=True)
class Target:
    """An agency cell to dissolve and the ward committee it belongs to."""

    cell_id: str
    ward_committee_id: str


@dataclass
class Campaign:
    id: str
    directive_id: str
    directive_number: str
    district_committee_id: str
    ward_committee_ids: list[str]
    plan_deadline: date
    launched_at: datetime
    launched_by: str
    targets: list[Target] = field(default_factory=list)
    cases_opened: bool = False

    @classmethod
    def launch(
        cls,
        *,
        directive: Directive,
        district: Organisation,
        wards: list[Organisation],
        cells_of_wards: Iterable[Organisation],
        plan_deadline: date,
        launched_by: str,
        at: datetime,
    ) -> "Campaign":
        if district.kind is not OrganisationKind.DISTRICT_COMMITTEE or not district.is_active:
            raise DomainError(
                f"{district.name} is not an active district committee: campaigns are launched "
                "by a district committee [Quận ủy].",
                field="districtCommitteeId",
            )
        if not wards:
            raise DomainError(
                "A campaign needs at least one ward committee.", field="wardCommitteeIds"
            )
        for ward in wards:
            if ward.kind is not OrganisationKind.WARD_COMMITTEE or ward.parent_id != district.id:
                raise DomainError(
                    f"{ward.name} is not a ward committee of {district.name}.",
                    field="wardCommitteeIds",
                    organisationId=ward.id,
                )
        if plan_deadline < directive.issued_on:
            raise DomainError(
                f"The plan deadline {plan_deadline.isoformat()} is before the directive "
                f"{directive.number} was issued.",
                field="planDeadline",
            )
        ward_ids = [ward.id for ward in wards]
        agency_cells = [
            cell
            for cell in cells_of_wards
            if cell.cell_type is CellType.AGENCY and cell.is_active and cell.parent_id in ward_ids
        ]
        without = [w.name for w in wards if all(c.parent_id != w.id for c in agency_cells)]
        if without:
            raise DomainError(
                f"No active agency cell [chi bộ cơ quan] to dissolve in: {', '.join(without)}.",
                field="wardCommitteeIds",
            )
        id = campaign_id_for(directive.id, district.id)
        return cls(
            id=id,
            directive_id=directive.id,
            directive_number=str(directive.number),
            district_committee_id=district.id,
            ward_committee_ids=ward_ids,
            plan_deadline=plan_deadline,
            launched_at=at,
            launched_by=launched_by,
            targets=[Target(c.id, c.parent_id or "") for c in agency_cells],
        )

    def open_cases(self) -> list[DissolutionCase]:
        return [
            DissolutionCase(
                id=case_id_for(self.id, target.cell_id),
                campaign_id=self.id,
                cell_id=target.cell_id,
                ward_committee_id=target.ward_committee_id,
                plan_deadline=self.plan_deadline,
                opened_at=self.launched_at,
            )
            for target in self.targets
        ]


@dataclass(frozen=True)
class CampaignProgress:
    total: int
    by_stage: dict[Stage, int]
    overdue: int

    @classmethod
    def of(cls, cases: list[DissolutionCase], today: date) -> "CampaignProgress":
        counts = Counter(case.stage for case in cases)
        return cls(
            total=len(cases),
            by_stage={stage: counts.get(stage, 0) for stage in Stage},
            overdue=sum(case.is_overdue(today) for case in cases),
        )

    @classmethod
    def counted(
        cls, campaign: Campaign, stages: Mapping[Stage, int], today: date
    ) -> "CampaignProgress":
        """From kept counts of the campaign's cases per stage: its cases share its deadline,
        so those still awaiting a plan are all overdue after it, or none is."""
        late = today > campaign.plan_deadline
        return cls(
            total=sum(stages.values()),
            by_stage={stage: stages.get(stage, 0) for stage in Stage},
            overdue=sum(stages.get(stage, 0) for stage in AWAITING_PLAN) if late else 0,
        )
