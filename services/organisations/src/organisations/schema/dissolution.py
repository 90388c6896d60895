# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Campaigns and dissolution cases [hồ sơ giải thể] in the subgraph."""

from datetime import date, datetime

import strawberry
from kit.paper_files import PaperFile

from organisations import domain
from organisations.schema.context import (
    CampaignCases,
    Context,
)
from organisations.schema.directives import Directive
from organisations.schema.dissolution_records import (
    Announcement,
    Approval,
    AuditEntry,
    CaseCorrection,
    CaseStage,
    CaseStep,
    Decision,
    Dissemination,
    Plan,
    Relocation,
    ReturnedPlan,
    organisation,
)
from organisations.schema.organisations import Organisation


# who reads a case is said on the queries: members gives the entity this description too
@strawberry.federation.type(
    keys=["id"], description="The dissolution case [hồ sơ giải thể] of one agency cell"
)
class DissolutionCase:
    id: strawberry.ID
    stage: CaseStage  # type: ignore[valid-type]
    plan_deadline: date
    opened_at: datetime
    allowed_steps: list[CaseStep]  # type: ignore[valid-type]
    dissemination: Dissemination | None
    plan: Plan | None
    returned_plans: list[ReturnedPlan]
    approval: Approval | None
    decision: Decision | None
    announcement: Announcement | None
    relocation: Relocation | None
    audit_trail: list[AuditEntry]
    corrections: list[CaseCorrection] = strawberry.field(
        description="Corrections of recorded steps, oldest first"
    )
    cell_dissolved: bool = strawberry.field(description="The cell has been marked DISSOLVED")
    case: strawberry.Private[domain.DissolutionCase]

    @strawberry.field(description="The plan is not submitted and the deadline has passed")
    def overdue(self, info: Context) -> bool:
        return self.case.is_overdue(info.context.use_cases.clock.today())

    @strawberry.field
    async def cell(self, info: Context) -> Organisation:
        return await organisation(info, self.case.cell_id)

    @strawberry.field(
        description="The dissolution decision [quyết định giải thể] as a PDF, once issued (null "
        "before): read by whoever may read the case"
    )
    async def decision_paper(self, info: Context) -> PaperFile | None:
        if self.case.decision is None:
            return None
        paper = await info.context.use_cases.papers.dissolution_decision(self.case)
        return PaperFile.of(paper.filename, paper.content_type, paper.content)

    @strawberry.field
    async def ward_committee(self, info: Context) -> Organisation:
        return await organisation(info, self.case.ward_committee_id)

    @strawberry.field
    async def campaign(self, info: Context) -> "Campaign":
        return Campaign.of(
            await info.context.use_cases.dissolution_reads.campaign(self.case.campaign_id)
        )

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "DissolutionCase":
        return cls.of(await info.context.readable_cases.load(id))

    @classmethod
    def of(cls, case: domain.DissolutionCase) -> "DissolutionCase":
        d = case.dissemination
        return cls(
            id=strawberry.ID(case.id),
            stage=case.stage,
            plan_deadline=case.plan_deadline,
            opened_at=case.opened_at,
            allowed_steps=case.allowed_steps,
            dissemination=Dissemination(
                held_on=d.held_on, attendee_count=d.attendee_count, documents=d.documents
            )
            if d
            else None,
            plan=Plan.of(case.plan, case.cell_id) if case.plan else None,
            returned_plans=[
                ReturnedPlan(
                    plan=Plan.of(r.plan, case.cell_id), returned_on=r.returned_on, reasons=r.reasons
                )
                for r in case.returned_plans
            ],
            approval=Approval(approved_on=case.approval.approved_on, opinion=case.approval.opinion)
            if case.approval
            else None,
            decision=Decision(
                number=case.decision.number,
                signed_on=case.decision.signed_on,
                signer=case.decision.signer,
                effective_on=case.decision.effective_on,
            )
            if case.decision
            else None,
            announcement=Announcement(held_on=case.announcement.held_on)
            if case.announcement
            else None,
            relocation=Relocation(
                members=case.relocation.members,
                candidates=case.relocation.candidates,
                completed_on=case.relocation.completed_on,
            )
            if case.relocation
            else None,
            audit_trail=[
                AuditEntry(
                    step=e.step,
                    from_stage=e.from_stage,
                    to_stage=e.to_stage,
                    actor=e.actor,
                    subject=e.subject,
                    at=e.at,
                    note=e.note,
                )
                for e in case.audit_trail
            ],
            corrections=[CaseCorrection.of(c) for c in case.corrections],
            cell_dissolved=case.cell_dissolved,
            case=case,
        )


@strawberry.type
class StageCount:
    stage: CaseStage  # type: ignore[valid-type]
    count: int


@strawberry.type(description="How far a campaign's cases have come")
class CampaignProgress:
    total_cases: int
    by_stage: list[StageCount]
    overdue_cases: int
    closed_cases: int


@strawberry.type(
    description="A directive launched at a district over its wards [đợt giải thể]. Holds no "
    "personal data: any authenticated caller reads it and its counts."
)
class Campaign:
    id: strawberry.ID
    directive_number: str
    plan_deadline: date
    launched_at: datetime
    launched_by: str
    campaign: strawberry.Private[domain.Campaign]

    @strawberry.field
    async def directive(self, info: Context) -> Directive:
        return Directive.of(
            await info.context.use_cases.directives.directive_by_id(self.campaign.directive_id)
        )

    @strawberry.field
    async def district_committee(self, info: Context) -> Organisation:
        return await organisation(info, self.campaign.district_committee_id)

    @strawberry.field
    async def ward_committees(self, info: Context) -> list[Organisation]:
        found = await info.context.use_cases.hierarchy.organisations_by_id(
            self.campaign.ward_committee_ids
        )
        return [Organisation.of(o) for o in found]

    @strawberry.field(
        description="The campaign's cases the caller may read (see Query.dissolutionCase)"
    )
    async def cases(
        self,
        info: Context,
        stage: CaseStage | None = None,  # type: ignore[valid-type]
        overdue: bool | None = None,
    ) -> list[DissolutionCase]:
        found = await info.context.campaign_cases.load(
            CampaignCases(self.campaign.id, stage, overdue)
        )
        return [DissolutionCase.of(c) for c in found]

    @strawberry.field(description="Counts of all the campaign's cases, whoever asks")
    async def progress(self, info: Context) -> CampaignProgress:
        progress = await info.context.use_cases.dissolution_reads.progress(self.campaign)
        return CampaignProgress(
            total_cases=progress.total,
            by_stage=[StageCount(stage=s, count=n) for s, n in progress.by_stage.items()],
            overdue_cases=progress.overdue,
            closed_cases=progress.by_stage[domain.Stage.CLOSED],
        )

    @classmethod
    def of(cls, campaign: domain.Campaign) -> "Campaign":
        return cls(
            id=strawberry.ID(campaign.id),
            directive_number=campaign.directive_number,
            plan_deadline=campaign.plan_deadline,
            launched_at=campaign.launched_at,
            launched_by=campaign.launched_by,
            campaign=campaign,
        )
