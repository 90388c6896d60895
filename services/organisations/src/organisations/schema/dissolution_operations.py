# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Queries and mutations of campaigns and dissolution cases: the steps of the workflow."""

from datetime import date

import strawberry

from organisations import domain, events
from organisations.authorisation import STEPS, Operation
from organisations.domain import DomainError, Forbidden
from organisations.schema.context import Context
from organisations.schema.dissolution import Campaign, DissolutionCase
from organisations.schema.dissolution_inputs import (
    ApprovePlanInput,
    CorrectCaseStepInput,
    IssueDissolutionDecisionInput,
    LaunchCampaignInput,
    RecordAnnouncementInput,
    RecordDisseminationInput,
    ReturnPlanInput,
    SubmitPlanInput,
)
from organisations.schema.dissolution_records import CaseStage


def cell_of(case: domain.DissolutionCase) -> tuple[str]:
    return (case.cell_id,)


async def case_to(info: Context, operation: Operation, case_id: str) -> domain.DissolutionCase:
    """The case, once the caller may take `operation` on its cell."""
    cases = info.context.use_cases.dissolution_reads
    return await info.context.access.fetch(operation, lambda: cases.case(case_id), cell_of)


@strawberry.type
class DissolutionQuery:
    @strawberry.field(description="A campaign; any authenticated caller")
    async def campaign(self, info: Context, id: strawberry.ID) -> Campaign:
        return Campaign.of(await info.context.use_cases.dissolution_reads.campaign(id))

    @strawberry.field(description="Campaigns, newest first; any authenticated caller")
    async def campaigns(
        self,
        info: Context,
        district_committee_id: strawberry.ID | None = None,
        directive_number: str | None = None,
    ) -> list[Campaign]:
        found = await info.context.use_cases.dissolution_reads.all_campaigns(
            district_committee_id, directive_number
        )
        return [Campaign.of(c) for c in found]

    @strawberry.field(
        description="A dissolution case, for a reader (DISTRICT_STANDING, WARD_COMMITTEE, "
        "CELL_SECRETARY, AUDITOR) whose grant covers its cell; FORBIDDEN otherwise, an unknown "
        "id included (NOT_FOUND only to a whole-tree grant)"
    )
    async def dissolution_case(self, info: Context, id: strawberry.ID) -> DissolutionCase:
        return DissolutionCase.of(await case_to(info, Operation.READ_CASES, id))

    @strawberry.field(
        description="The cases the caller may read (see dissolutionCase), filtered; a "
        "wardCommitteeId outside the caller's grants is FORBIDDEN"
    )
    async def dissolution_cases(
        self,
        info: Context,
        campaign_id: strawberry.ID | None = None,
        stage: CaseStage | None = None,  # type: ignore[valid-type]
        overdue: bool | None = None,
        ward_committee_id: strawberry.ID | None = None,
    ) -> list[DissolutionCase]:
        access = info.context.access
        if ward_committee_id is not None:
            await access.require(Operation.READ_CASES, ward_committee_id)
        if access.subtrees(Operation.READ_CASES) == frozenset():
            return []
        found = await info.context.use_cases.dissolution_reads.find_cases(
            campaign_id=campaign_id,
            stage=stage,
            overdue=overdue,
            ward_committee_id=ward_committee_id,
        )
        readable = await access.keep(Operation.READ_CASES, found, cell_of)
        return [DissolutionCase.of(c) for c in readable]

    @strawberry.field(
        description="The day the service takes as today (deadlines, overdue); any "
        "authenticated caller"
    )
    def today(self, info: Context) -> date:
        return info.context.use_cases.clock.today()


@strawberry.type
class DissolutionMutation:
    @strawberry.mutation(
        description="Launch a directive at a district: one case per ward agency cell. "
        "DISTRICT_STANDING covering the district committee."
    )
    async def launch_campaign(self, info: Context, input: LaunchCampaignInput) -> Campaign:
        await info.context.access.require(Operation.LAUNCH_CAMPAIGN, input.district_committee_id)
        campaign = await info.context.use_cases.dissolution.launch_campaign(
            input.command(), info.context.principal
        )
        return Campaign.of(campaign)

    @strawberry.mutation(
        description="Step 1: the dissemination conference was held. WARD_COMMITTEE covering "
        "the case's cell."
    )
    async def record_dissemination(
        self, info: Context, input: RecordDisseminationInput
    ) -> DissolutionCase:
        dissemination = domain.Dissemination(input.held_on, input.attendee_count, input.documents)
        case = await case_to(info, STEPS[domain.Step.RECORD_DISSEMINATION], input.case_id)
        case = await info.context.use_cases.dissolution.record_dissemination(
            case, dissemination, info.context.principal, input.note
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Step 2: submit the plan to the district standing committee. "
        "WARD_COMMITTEE covering the case's cell."
    )
    async def submit_plan(self, info: Context, input: SubmitPlanInput) -> DissolutionCase:
        plan = domain.Plan(
            number=input.plan_number.strip(),
            dated_on=input.plan_date,
            placements=[
                domain.Placement(p.person_id, p.person_kind, p.destination_cell_id)
                for p in input.placements
            ],
        )
        case = await case_to(info, STEPS[domain.Step.SUBMIT_PLAN], input.case_id)
        case = await info.context.use_cases.dissolution.submit_plan(
            case, plan, info.context.principal, input.note
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Step 3: the district approves the plan. DISTRICT_STANDING covering the "
        "case's cell."
    )
    async def approve_plan(self, info: Context, input: ApprovePlanInput) -> DissolutionCase:
        approval = domain.Approval(input.approved_on, input.opinion)
        case = await case_to(info, STEPS[domain.Step.APPROVE_PLAN], input.case_id)
        case = await info.context.use_cases.dissolution.approve_plan(
            case, approval, info.context.principal
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Step 3': the district returns the plan with its reasons. "
        "DISTRICT_STANDING covering the case's cell."
    )
    async def return_plan(self, info: Context, input: ReturnPlanInput) -> DissolutionCase:
        case = await case_to(info, STEPS[domain.Step.RETURN_PLAN], input.case_id)
        case = await info.context.use_cases.dissolution.return_plan(
            case, input.returned_on, input.reasons, info.context.principal
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Step 4: the ward committee's dissolution decision, after the district's "
        "opinion, is recorded. WARD_COMMITTEE covering the case's cell."
    )
    async def issue_dissolution_decision(
        self, info: Context, input: IssueDissolutionDecisionInput
    ) -> DissolutionCase:
        decision = domain.Decision(
            input.decision_number.strip(), input.signed_on, input.signer.strip(), input.effective_on
        )
        case = await case_to(info, STEPS[domain.Step.ISSUE_DECISION], input.case_id)
        case = await info.context.use_cases.dissolution.issue_decision(
            case, decision, info.context.principal, input.note
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Step 5: the decision was announced at a conference. WARD_COMMITTEE "
        "covering the case's cell."
    )
    async def record_announcement(
        self, info: Context, input: RecordAnnouncementInput
    ) -> DissolutionCase:
        case = await case_to(info, STEPS[domain.Step.RECORD_ANNOUNCEMENT], input.case_id)
        case = await info.context.use_cases.dissolution.record_announcement(
            case, domain.Announcement(input.held_on), info.context.principal, input.note
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Correct a recorded step (its dates, number, names) with a reason, by the "
        "role that records it: WARD_COMMITTEE (or DISTRICT_STANDING for APPROVE_PLAN) covering "
        "the case's cell. The old values stay in the case's corrections. BAD_USER_INPUT for no "
        "reason, a field the step does not record or dates out of order; INVALID_TRANSITION "
        "for a step not recorded."
    )
    async def correct_case_step(
        self, info: Context, input: CorrectCaseStepInput
    ) -> DissolutionCase:
        correction = domain.StepCorrection(
            held_on=input.held_on,
            attendee_count=input.attendee_count,
            documents=input.documents,
            plan_number=input.plan_number,
            plan_date=input.plan_date,
            approved_on=input.approved_on,
            opinion=input.opinion,
            decision_number=input.decision_number,
            signed_on=input.signed_on,
            signer=input.signer,
            effective_on=input.effective_on,
        )
        step: domain.Step = input.step
        operation = STEPS.get(step)
        if operation is None:
            raise DomainError(f"{step.value} is not recorded by a person.", field="step")
        case = await case_to(info, operation, input.case_id)
        case = await info.context.use_cases.dissolution.correct_step(
            case, input.step, correction, input.reason, info.context.principal
        )
        return DissolutionCase.of(case)

    @strawberry.mutation(
        description="Development only: set the day every service takes as today (null: the "
        "real date in Viet Nam); the others hear of it by event. DISTRICT_STANDING; refused "
        "with FORBIDDEN in production."
    )
    async def set_today(self, info: Context, today: date | None = None) -> date:
        info.context.access.require_some_right(Operation.SET_TODAY)
        if info.context.production:
            raise Forbidden("setToday is available in development only.")
        await info.context.use_cases.kept_day.keep(today, [events.today_set(today)])
        await info.context.use_cases.dissolution.complete_pending_work()
        return info.context.use_cases.clock.today()
