"""Use cases of campaigns and dissolution cases [hồ sơ giải thể]."""

import logging
from collections.abc import Callable
from datetime import date

from kit.clock import Clock
from kit.identity import SYSTEM, Principal

from organisations import dissolution_events, events
from organisations.domain import (
    Action,
    Announcement,
    Approval,
    AuditEntry,
    Campaign,
    CellType,
    Conflict,
    Decision,
    Dissemination,
    DissolutionCase,
    DomainError,
    OrganisationKind,
    Plan,
    Relocation,
    Stage,
    Step,
    StepCorrection,
    correct_step,
)
from organisations.service.commands import LaunchCampaign
from organisations.service.directives import DirectiveService
from organisations.service.hierarchy import HierarchyService
from organisations.service.ports import CampaignRepository, CaseRepository, OrganisationFilter

log = logging.getLogger(__name__)
STEP_ATTEMPTS = 3  # a step taken again on a case changed meanwhile, at most this often

RELOCATION_ACTOR = "members service"


class DissolutionService:
    """The steps of campaigns and dissolution cases; what they say is `DissolutionReads`'."""

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

    async def launch_campaign(self, command: LaunchCampaign, by: Principal) -> Campaign:
        """Launch a directive at a district over its wards: one case per ward agency cell."""
        district = await self.hierarchy.organisation(command.district_committee_id)
        directive = await self.directives.directive(command.directive_number)
        ward_ids = command.ward_committee_ids
        if len(set(ward_ids)) != len(ward_ids):
            raise DomainError("A ward committee is named twice.", field="wardCommitteeIds")
        wards = [await self.hierarchy.organisation(ward_id) for ward_id in ward_ids]
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
            plan_deadline=command.plan_deadline,
            launched_by=by.display_name,
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
            [
                (case, [dissolution_events.dissolution_opened(case)])
                for case in campaign.open_cases()
            ]
        )
        await self.campaigns.mark_cases_opened(campaign.id)
        campaign.cases_opened = True

    async def record_dissemination(
        self, case: DissolutionCase, dissemination: Dissemination, by: Principal, note: str | None
    ) -> DissolutionCase:
        """Record the dissemination conference [hội nghị quán triệt] held for the cell."""
        return await self._take(
            case, by, note, lambda c, act: c.record_dissemination(dissemination, act)
        )

    async def submit_plan(
        self, case: DissolutionCase, plan: Plan, by: Principal, note: str | None
    ) -> DissolutionCase:
        """Submit the dissolution plan with its placement overrides to the district."""
        await self._check_destinations(case, plan)
        return await self._take(case, by, note, lambda c, act: c.submit_plan(plan, act))

    async def approve_plan(
        self, case: DissolutionCase, approval: Approval, by: Principal
    ) -> DissolutionCase:
        """Record the district standing committee's approval of the plan."""
        return await self._take(
            case, by, approval.opinion, lambda c, act: c.approve_plan(approval, act)
        )

    async def return_plan(
        self, case: DissolutionCase, returned_on: date, reasons: str, by: Principal
    ) -> DissolutionCase:
        """Return the plan with the district's reasons; the ward resubmits it."""
        return await self._take(
            case, by, reasons, lambda c, act: c.return_plan(returned_on, reasons, act)
        )

    async def issue_decision(
        self, case: DissolutionCase, decision: Decision, by: Principal, note: str | None
    ) -> DissolutionCase:
        """Record the dissolution decision; the cell is DISSOLVED from its effective date."""
        case = await self._take(case, by, note, lambda c, act: c.issue_decision(decision, act))
        await self._dissolve_cell_when_due(case)
        return case

    async def record_announcement(
        self, case: DissolutionCase, announcement: Announcement, by: Principal, note: str | None
    ) -> DissolutionCase:
        """Record the conference announcing the decision; closes the case if everyone moved."""
        case = await self._take(
            case, by, note, lambda c, act: c.record_announcement(announcement, act)
        )
        await self._close_if_relocated(case)
        return case

    async def correct_step(
        self,
        case: DissolutionCase,
        step: Step,
        correction: StepCorrection,
        reason: str,
        by: Principal,
    ) -> DissolutionCase:
        """Correct a recorded step's dates, number or names, by the role that may record that
        step; the old values stay in the case's corrections with who, when and why. A corrected
        effective date already reached dissolves the cell."""
        read_version = case.version
        action = Action(by.display_name, self.clock.now(), reason, by.subject)
        corrections = correct_step(case, step, correction, reason, action)
        await self.cases.save(
            case, read_version, [dissolution_events.dissolution_step_corrected(case, corrections)]
        )
        await self._dissolve_cell_when_due(case)
        return case

    async def _close_if_relocated(self, case: DissolutionCase) -> None:
        read_version = case.version
        closing = case.close_if_relocated(self._relocation_action())
        if closing is not None:
            await self.cases.save(
                case, read_version, [dissolution_events.dissolution_step_taken(case, closing)]
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
                    [dissolution_events.dissolution_step_taken(case, entry)] if entry else [],
                    applied_event_id=event_id,
                )
            except Conflict:
                continue
            return
        raise Conflict(f"Case {case_id} kept changing; the event will be redelivered.")

    def _relocation_action(self) -> Action:
        # the members service's report, applied by the system: no caller's principal
        return Action(
            RELOCATION_ACTOR,
            self.clock.now(),
            "every member and candidate received",
            SYSTEM.subject,
        )

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
        if case.decision is None or not case.cell_dissolves_by(self.clock.today()):
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

    async def _take(
        self,
        case: DissolutionCase,
        by: Principal,
        note: str | None,
        take: Callable[[DissolutionCase, Action], AuditEntry],
    ) -> DissolutionCase:
        """Take a step on the case; when the case changed since it was read — the members
        service's report of its transfers, applied by this service's consumer meanwhile — on
        the case as it now is, its rules checked again: a step is a command, not an edit of what
        the caller saw. CONFLICT only when it keeps changing."""
        attempts = STEP_ATTEMPTS
        while True:
            read_version = case.version
            entry = take(case, Action(by.display_name, self.clock.now(), note, by.subject))
            try:
                await self.cases.save(
                    case, read_version, [dissolution_events.dissolution_step_taken(case, entry)]
                )
                return case
            except Conflict:
                attempts -= 1
                if attempts == 0 or (fresh := await self.cases.get(case.id)) is None:
                    raise
                case = fresh
