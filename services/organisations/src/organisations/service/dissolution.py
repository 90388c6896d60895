"""Use cases of campaigns and dissolution cases [hồ sơ giải thể]."""

import logging
from collections.abc import Callable
from datetime import date

from organisations import events
from organisations.clock import Clock
from organisations.domain import (
    Action,
    Announcement,
    Approval,
    AuditEntry,
    Campaign,
    CampaignProgress,
    CellType,
    Conflict,
    Decision,
    Dissemination,
    DissolutionCase,
    DomainError,
    NotFound,
    OrganisationKind,
    Plan,
    Relocation,
    Stage,
)
from organisations.service.directives import DirectiveService
from organisations.service.hierarchy import HierarchyService
from organisations.service.ports import CampaignRepository, CaseRepository, OrganisationFilter

log = logging.getLogger(__name__)

RELOCATION_ACTOR = "members service"


class DissolutionService:
    def __init__(
        self,
        campaigns: CampaignRepository,
        cases: CaseRepository,
        hierarchy: HierarchyService,
        directives: DirectiveService,
        clock: Clock,
    ) -> None:
        self.campaigns = campaigns
        self.cases = cases
        self.hierarchy = hierarchy
        self.directives = directives
        self.clock = clock

    # campaigns

    async def launch_campaign(
        self,
        *,
        directive_number: str,
        district_committee_id: str,
        ward_committee_ids: list[str],
        plan_deadline: date,
        actor: str,
    ) -> Campaign:
        """Launch a directive at a district over its wards: one case per ward agency cell."""
        directive = await self.directives.directive(directive_number)
        district = await self.hierarchy.organisation(district_committee_id)
        if len(set(ward_committee_ids)) != len(ward_committee_ids):
            raise DomainError("A ward committee is named twice.", field="wardCommitteeIds")
        wards = [await self.hierarchy.organisation(ward_id) for ward_id in ward_committee_ids]
        cells = []
        for ward in wards:
            page = await self.hierarchy.find_organisations(
                OrganisationFilter(
                    kind=OrganisationKind.CELL, cell_type=CellType.AGENCY, parent_id=ward.id
                ),
                first=200,
                after=None,
            )
            cells.extend(page.items)
        campaign = Campaign.launch(
            directive=directive,
            district=district,
            wards=wards,
            cells_of_wards=cells,
            plan_deadline=plan_deadline,
            launched_by=actor,
            at=self.clock.now(),
        )
        busy = [
            case
            for case in await self.cases.find(cell_ids=[t.cell_id for t in campaign.targets])
            if case.stage is not Stage.CLOSED and case.campaign_id != campaign.id
        ]
        if busy:
            raise Conflict(
                "These cells are already in an open dissolution case: "
                + ", ".join(sorted(case.cell_id for case in busy)),
                field="wardCommitteeIds",
            )
        await self.campaigns.add(campaign, [events.campaign_launched(campaign)])
        await self._open_cases(campaign)
        return campaign

    async def _open_cases(self, campaign: Campaign) -> None:
        await self.cases.open_all(
            [(case, [events.dissolution_opened(case)]) for case in campaign.open_cases()]
        )
        await self.campaigns.mark_cases_opened(campaign.id)
        campaign.cases_opened = True

    async def campaign(self, campaign_id: str) -> Campaign:
        """The campaign with this id, or NOT_FOUND."""
        found = await self.campaigns.get(campaign_id)
        if found is None:
            raise NotFound(f"No campaign with id {campaign_id}.", id=campaign_id)
        return found

    async def all_campaigns(
        self, district_committee_id: str | None = None, directive_number: str | None = None
    ) -> list[Campaign]:
        """Campaigns, newest first, optionally of one district or one directive."""
        directive_id = None
        if directive_number is not None:
            directive_id = (await self.directives.directive(directive_number)).id
        found = await self.campaigns.find(district_committee_id, directive_id)
        return sorted(found, key=lambda c: c.launched_at, reverse=True)

    async def progress(self, campaign: Campaign) -> CampaignProgress:
        """How many of the campaign's cases stand at each stage, and how many are overdue."""
        return CampaignProgress.of(await self.cases.find(campaign_id=campaign.id), self.today())

    # cases

    def today(self) -> date:
        return self.clock.today()

    async def case(self, case_id: str) -> DissolutionCase:
        """The dissolution case with this id, or NOT_FOUND."""
        found = await self.cases.get(case_id)
        if found is None:
            raise NotFound(f"No dissolution case with id {case_id}.", id=case_id)
        return found

    async def find_cases(
        self,
        *,
        campaign_id: str | None = None,
        stage: Stage | None = None,
        overdue: bool | None = None,
        ward_committee_id: str | None = None,
    ) -> list[DissolutionCase]:
        """Cases filtered by campaign, stage, ward and whether their plan is overdue."""
        found = await self.cases.find(
            campaign_id=campaign_id, stage=stage, ward_committee_id=ward_committee_id
        )
        today = self.today()
        return [c for c in found if overdue is None or c.is_overdue(today) == overdue]

    async def record_dissemination(
        self, case_id: str, dissemination: Dissemination, actor: str, note: str | None
    ) -> DissolutionCase:
        """Record the dissemination conference [hội nghị quán triệt] held for the cell."""
        return await self._step(
            case_id, actor, note, lambda case, act: case.record_dissemination(dissemination, act)
        )

    async def submit_plan(
        self, case_id: str, plan: Plan, actor: str, note: str | None
    ) -> DissolutionCase:
        """Submit the dissolution plan with its placement overrides to the district."""
        case = await self.case(case_id)
        await self._check_destinations(case, plan)
        return await self._step(case_id, actor, note, lambda c, act: c.submit_plan(plan, act))

    async def approve_plan(self, case_id: str, approval: Approval, actor: str) -> DissolutionCase:
        """Record the district standing committee's approval of the plan."""
        return await self._step(
            case_id, actor, approval.opinion, lambda case, act: case.approve_plan(approval, act)
        )

    async def return_plan(
        self, case_id: str, returned_on: date, reasons: str, actor: str
    ) -> DissolutionCase:
        """Return the plan with the district's reasons; the ward resubmits it."""
        return await self._step(
            case_id, actor, reasons, lambda case, act: case.return_plan(returned_on, reasons, act)
        )

    async def issue_decision(
        self, case_id: str, decision: Decision, actor: str, note: str | None
    ) -> DissolutionCase:
        """Record the dissolution decision; the cell is DISSOLVED from its effective date."""
        case = await self._step(
            case_id, actor, note, lambda c, act: c.issue_decision(decision, act)
        )
        await self._dissolve_cell_when_due(case)
        return case

    async def record_announcement(
        self, case_id: str, announcement: Announcement, actor: str, note: str | None
    ) -> DissolutionCase:
        """Record the conference announcing the decision; closes the case if everyone moved."""
        case = await self._step(
            case_id, actor, note, lambda c, act: c.record_announcement(announcement, act)
        )
        await self._close_if_relocated(case)
        return case

    async def _close_if_relocated(self, case: DissolutionCase) -> None:
        read_version = case.version
        closing = case.close_if_relocated(self._relocation_action())
        if closing is not None:
            await self.cases.save(
                case, read_version, [events.dissolution_step_taken(case, closing)]
            )

    async def members_relocated(self, event_id: str, case_id: str, relocation: Relocation) -> None:
        """Close the case when the members service reports everyone received (idempotent)."""
        for _ in range(5):
            case = await self.cases.get(case_id)
            if case is None:
                log.warning("relocation of an unknown case", extra={"case_id": case_id})
                return
            read_version = case.version
            entry = case.members_relocated(relocation, self._relocation_action())
            if case.version == read_version:
                return
            try:
                await self.cases.save(
                    case,
                    read_version,
                    [events.dissolution_step_taken(case, entry)] if entry else [],
                    applied_event_id=event_id,
                )
            except Conflict:
                continue
            return
        raise Conflict(f"Case {case_id} kept changing; the event will be redelivered.")

    def _relocation_action(self) -> Action:
        return Action(RELOCATION_ACTOR, self.clock.now(), "every member and candidate received")

    async def complete_pending_work(self) -> None:
        """Open the cases of campaigns interrupted mid-launch; close announced cases whose
        members were all received; dissolve cells whose decision takes effect by today."""
        for campaign in await self.campaigns.with_unopened_cases():
            await self._open_cases(campaign)
        for case in await self.cases.find(stage=Stage.ANNOUNCED):
            await self._close_if_relocated(case)
        for case in await self.cases.awaiting_cell_dissolution():
            await self._dissolve_cell_when_due(case)

    async def _dissolve_cell_when_due(self, case: DissolutionCase) -> None:
        if case.decision is None or not case.cell_dissolves_by(self.today()):
            return
        await self.hierarchy.dissolve(case.cell_id, case.decision.effective_on)
        await self.cases.mark_cell_dissolved(case.id)
        case.cell_dissolved = True

    async def _check_destinations(self, case: DissolutionCase, plan: Plan) -> None:
        wanted = sorted({p.destination_cell_id for p in plan.placements})
        found = {o.id: o for o in await self.hierarchy.organisations_by_id(wanted)}
        for cell_id in wanted:
            cell = found.get(cell_id)
            if (
                cell is None
                or cell.kind is not OrganisationKind.CELL
                or cell.cell_type is not CellType.RESIDENTIAL
                or not cell.is_active
                or cell.parent_id != case.ward_committee_id
            ):
                raise DomainError(
                    f"{cell_id} is not an active residential cell of the same ward committee.",
                    field="placements",
                    destinationCellId=cell_id,
                )

    async def _step(
        self,
        case_id: str,
        actor: str,
        note: str | None,
        take: Callable[[DissolutionCase, Action], AuditEntry],
    ) -> DissolutionCase:
        case = await self.case(case_id)
        read_version = case.version
        entry = take(case, Action(actor, self.clock.now(), note))
        await self.cases.save(case, read_version, [events.dissolution_step_taken(case, entry)])
        return case
