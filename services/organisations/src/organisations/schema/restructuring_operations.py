# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Queries and mutations of restructurings: a campaign launched, a case opened, its steps."""

from datetime import date

import strawberry

from organisations import domain
from organisations.authorisation import Operation
from organisations.schema.context import Context
from organisations.schema.restructuring import (
    RestructuringCampaign,
    RestructuringCase,
    RestructuringKind,
    RestructuringStage,
    concerned,
    readable_cases,
)
from organisations.service.commands import (
    FormUnit,
    LaunchRestructuringCampaign,
    OpenRestructuring,
)


async def case_to(info: Context, operation: Operation, case_id: str) -> domain.RestructuringCase:
    """The case, once the caller may take `operation` over one of the organisations it gives
    or receives (the step checks which)."""
    restructuring = info.context.use_cases.restructuring
    return await info.context.access.fetch(
        operation, lambda: restructuring.case(case_id), concerned
    )


@strawberry.input
class LaunchRestructuringCampaignInput:
    title: str
    organisation_id: strawberry.ID = strawberry.field(
        description="The committee whose tree it restructures"
    )
    directive_number: str | None = None

    def command(self) -> LaunchRestructuringCampaign:
        return LaunchRestructuringCampaign(self.title, self.organisation_id, self.directive_number)


@strawberry.input(description="A new organisation: MERGE_NEW forms one, SPLIT two or more")
class NewUnitInput:
    code: str
    name: str
    parent_id: strawberry.ID
    child_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="SPLIT: the source's organisations it takes"
    )


@strawberry.input(description="A new code for an organisation handed over")
class NewCodeInput:
    organisation_id: strawberry.ID
    code: str


@strawberry.input
class OpenRestructuringInput:
    kind: RestructuringKind  # type: ignore[valid-type]
    source_ids: list[strawberry.ID] = strawberry.field(
        description="The organisations merged, split or handed over"
    )
    receiving_id: strawberry.ID | None = strawberry.field(
        default=None, description="HAND_OVER: the receiving committee; MERGE_INTO: the target"
    )
    new_organisations: list[NewUnitInput] = strawberry.field(default_factory=list)
    new_codes: list[NewCodeInput] = strawberry.field(
        default_factory=list,
        description="HAND_OVER: codes under the receiving committee (default: its code and the "
        "last part of the old one); the old codes still resolve",
    )
    campaign_id: strawberry.ID | None = None

    def command(self) -> OpenRestructuring:
        return OpenRestructuring(
            kind=self.kind,
            source_ids=[str(i) for i in self.source_ids],
            receiving_id=self.receiving_id,
            new_units=[
                FormUnit(u.code, u.name, u.parent_id, tuple(str(c) for c in u.child_ids))
                for u in self.new_organisations
            ],
            new_codes={str(c.organisation_id): c.code for c in self.new_codes},
            campaign_id=self.campaign_id,
        )


@strawberry.input
class IssueRestructuringDecisionInput:
    case_id: strawberry.ID
    decision_number: str
    signed_on: date
    signer: str
    effective_on: date
    note: str | None = None


@strawberry.input
class RecordHandoverInput:
    case_id: strawberry.ID
    organisation_id: strawberry.ID = strawberry.field(description="The organisation given")
    signed_on: date
    giver_signer: str
    receiver_signer: str
    member_count: int
    candidate_count: int = 0
    note: str | None = None


@strawberry.input
class AcceptRestructuringInput:
    case_id: strawberry.ID
    accepted_on: date
    signer: str
    decision_number: str | None = None
    note: str | None = None


@strawberry.type
class RestructuringQuery:
    @strawberry.field(description="A restructuring campaign; any authenticated caller")
    async def restructuring_campaign(
        self, info: Context, id: strawberry.ID
    ) -> RestructuringCampaign:
        return RestructuringCampaign.of(await info.context.use_cases.restructuring.campaign(id))

    @strawberry.field(description="Restructuring campaigns, newest first; any authenticated caller")
    async def restructuring_campaigns(self, info: Context) -> list[RestructuringCampaign]:
        found = await info.context.use_cases.restructuring.all_campaigns()
        return [RestructuringCampaign.of(c) for c in found]

    @strawberry.field(
        description="A restructuring case, for a reader (CITY_COMMITTEE, DISTRICT_STANDING, "
        "WARD_COMMITTEE, CELL_SECRETARY, AUDITOR) covering an organisation it gives or receives"
    )
    async def restructuring_case(self, info: Context, id: strawberry.ID) -> RestructuringCase:
        return RestructuringCase.of(await case_to(info, Operation.READ_RESTRUCTURING, id))

    @strawberry.field(description="The restructuring cases the caller may read, filtered")
    async def restructuring_cases(
        self,
        info: Context,
        campaign_id: strawberry.ID | None = None,
        stage: RestructuringStage | None = None,  # type: ignore[valid-type]
        kind: RestructuringKind | None = None,  # type: ignore[valid-type]
    ) -> list[RestructuringCase]:
        return await readable_cases(info, campaign_id, stage, kind)


@strawberry.type
class RestructuringMutation:
    @strawberry.mutation(
        description="Launch a plan of restructuring cases over a committee's tree. "
        "CITY_COMMITTEE or DISTRICT_STANDING covering the committee."
    )
    async def launch_restructuring_campaign(
        self, info: Context, input: LaunchRestructuringCampaignInput
    ) -> RestructuringCampaign:
        await info.context.access.require(Operation.RESTRUCTURE, input.organisation_id)
        campaign = await info.context.use_cases.restructuring.launch_campaign(
            input.command(), info.context.principal
        )
        return RestructuringCampaign.of(campaign)

    @strawberry.mutation(
        description="Open a restructuring case. CITY_COMMITTEE or DISTRICT_STANDING covering "
        "every organisation given and received."
    )
    async def open_restructuring(
        self, info: Context, input: OpenRestructuringInput
    ) -> RestructuringCase:
        command = input.command()
        await info.context.access.require_each(Operation.RESTRUCTURE, command.concerned_ids)
        case = await info.context.use_cases.restructuring.open(command, info.context.principal)
        return RestructuringCase.of(case)

    @strawberry.mutation(
        description="Step 1: the upper committee's decision. CITY_COMMITTEE or "
        "DISTRICT_STANDING covering every organisation given and received."
    )
    async def issue_restructuring_decision(
        self, info: Context, input: IssueRestructuringDecisionInput
    ) -> RestructuringCase:
        decision = domain.Decision(
            input.decision_number.strip(), input.signed_on, input.signer.strip(), input.effective_on
        )
        case = await case_to(info, Operation.RESTRUCTURE, input.case_id)
        await info.context.access.require_each(Operation.RESTRUCTURE, concerned(case))
        case = await info.context.use_cases.restructuring.issue_decision(
            case, decision, info.context.principal, input.note
        )
        return RestructuringCase.of(case)

    @strawberry.mutation(
        description="Step 2: the hand-over record of one organisation's member-list book. "
        "WARD_COMMITTEE, DISTRICT_STANDING or CITY_COMMITTEE covering the organisation given."
    )
    async def record_handover(self, info: Context, input: RecordHandoverInput) -> RestructuringCase:
        record = domain.HandoverRecord(
            input.organisation_id,
            input.signed_on,
            input.giver_signer.strip(),
            input.receiver_signer.strip(),
            input.member_count,
            input.candidate_count,
        )
        case = await case_to(info, Operation.RECORD_HANDOVER, input.case_id)
        await info.context.access.require(Operation.RECORD_HANDOVER, input.organisation_id)
        case = await info.context.use_cases.restructuring.record_handover(
            case, record, info.context.principal, input.note
        )
        return RestructuringCase.of(case)

    @strawberry.mutation(
        description="Step 3: the receiving side decides to receive; the case is COMPLETED and "
        "the tree changes from the decision's effective date. WARD_COMMITTEE, "
        "DISTRICT_STANDING or CITY_COMMITTEE covering the receiving side."
    )
    async def accept_restructuring(
        self, info: Context, input: AcceptRestructuringInput
    ) -> RestructuringCase:
        acceptance = domain.Acceptance(
            input.accepted_on, input.signer.strip(), (input.decision_number or "").strip() or None
        )
        case = await case_to(info, Operation.ACCEPT_RESTRUCTURING, input.case_id)
        await info.context.access.require_each(Operation.ACCEPT_RESTRUCTURING, case.receiving_ids)
        case = await info.context.use_cases.restructuring.accept(
            case, acceptance, info.context.principal, input.note
        )
        return RestructuringCase.of(case)
