# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Restructuring cases [hợp nhất, sáp nhập, chia tách, chuyển giao tổ chức] and their campaigns
in the subgraph: the cases, their records and their campaigns."""

from datetime import date, datetime

import strawberry

from organisations import domain
from organisations.authorisation import Operation
from organisations.schema.context import Context
from organisations.schema.organisations import Organisation

RestructuringKind = strawberry.enum(
    domain.RestructuringKind,
    description="MERGE_NEW [hợp nhất: into a new organisation], MERGE_INTO [sáp nhập: into an "
    "existing one], SPLIT [chia tách], HAND_OVER [chuyển giao tổ chức: to another committee], "
    "END [kết thúc hoạt động: a committee ends with no successor once nothing active stands "
    "under it; receivingId names the committee above it that takes its records]",
)
RestructuringStage = strawberry.enum(
    domain.RestructuringStage,
    description="OPENED, DECIDED [đã có quyết định], HANDING_OVER [đang bàn giao], HANDED_OVER "
    "[đã ký biên bản bàn giao], COMPLETED [bên nhận đã quyết định tiếp nhận]",
)
RestructuringStep = strawberry.enum(
    domain.RestructuringStep, description="A step of a restructuring case"
)


def concerned(case: domain.RestructuringCase) -> list[str]:
    """The organisations a case gives and receives: a grant over any one of them reads it."""
    return [*case.source_ids, *case.receiving_ids]


async def readable_cases(
    info: Context,
    campaign_id: str | None = None,
    stage: domain.RestructuringStage | None = None,
    kind: domain.RestructuringKind | None = None,
) -> list["RestructuringCase"]:
    """The cases of a campaign, a stage, a kind that the caller may read."""
    access = info.context.access
    if access.subtrees(Operation.READ_RESTRUCTURING) == frozenset():
        return []
    found = await info.context.use_cases.restructuring.find_cases(campaign_id, stage, kind)
    readable = await access.keep(Operation.READ_RESTRUCTURING, found, concerned)
    return [RestructuringCase.of(c) for c in readable]


async def _organisation(info: Context, organisation_id: str) -> Organisation:
    return Organisation.of(await info.context.use_cases.hierarchy.organisation(organisation_id))


@strawberry.type(description="The upper committee's decision [quyết định]")
class RestructuringDecision:
    number: str
    signed_on: date
    signer: str
    effective_on: date


@strawberry.type(
    description="The hand-over record of one organisation's member-list book [biên bản bàn "
    "giao sổ danh sách đảng viên], signed by the giving and the receiving side"
)
class HandoverRecord:
    signed_on: date
    giver_signer: str
    receiver_signer: str
    member_count: int
    candidate_count: int
    organisation_id: strawberry.Private[str]

    @strawberry.field
    async def organisation(self, info: Context) -> Organisation:
        return await _organisation(info, self.organisation_id)


@strawberry.type(description="The receiving side's decision to receive [quyết định tiếp nhận]")
class RestructuringAcceptance:
    accepted_on: date
    signer: str
    decision_number: str | None


@strawberry.type(description="A new organisation the case forms")
class NewUnit:
    id: strawberry.ID
    code: str
    name: str
    parent_id: strawberry.Private[str]

    @strawberry.field
    async def parent(self, info: Context) -> Organisation:
        return await _organisation(info, self.parent_id)


@strawberry.type(description="One step taken on a case: who, when, from and to which stage, why")
class RestructuringAuditEntry:
    step: RestructuringStep  # type: ignore[valid-type]
    from_stage: RestructuringStage  # type: ignore[valid-type]
    to_stage: RestructuringStage  # type: ignore[valid-type]
    actor: str
    subject: str | None
    at: datetime
    note: str | None


@strawberry.type(
    description="A restructuring case: organisations merged, split or handed over, with the "
    "decision, the hand-over records and the acceptance (09-HD/BTCTW, 31-HD/BTCTW)"
)
class RestructuringCase:
    id: strawberry.ID
    kind: RestructuringKind  # type: ignore[valid-type]
    stage: RestructuringStage  # type: ignore[valid-type]
    allowed_steps: list[RestructuringStep]  # type: ignore[valid-type]
    opened_at: datetime
    opened_by: str
    decision: RestructuringDecision | None
    handovers: list[HandoverRecord]
    acceptance: RestructuringAcceptance | None
    new_organisations: list[NewUnit]
    audit_trail: list[RestructuringAuditEntry]
    tree_applied: bool = strawberry.field(description="The tree shows the outcome")
    case: strawberry.Private[domain.RestructuringCase]

    @strawberry.field(description="The organisations given: merged, split or handed over")
    async def sources(self, info: Context) -> list[Organisation]:
        found = await info.context.use_cases.hierarchy.organisations_by_id(self.case.source_ids)
        return [Organisation.of(o) for o in found]

    @strawberry.field(description="The organisation received into (HAND_OVER, MERGE_INTO)")
    async def receiving(self, info: Context) -> Organisation | None:
        if self.case.receiving_id is None:
            return None
        return await _organisation(info, self.case.receiving_id)

    @strawberry.field(description="Organisations given whose hand-over record is not recorded")
    async def awaiting_handover(self, info: Context) -> list[Organisation]:
        hierarchy = info.context.use_cases.hierarchy
        found = await hierarchy.organisations_by_id(self.case.awaiting_handover)
        return [Organisation.of(o) for o in found]

    @classmethod
    def of(cls, case: domain.RestructuringCase) -> "RestructuringCase":
        dec, acc = case.decision, case.acceptance
        return cls(
            id=strawberry.ID(case.id),
            kind=case.kind,
            stage=case.stage,
            allowed_steps=case.allowed_steps,
            opened_at=case.opened_at,
            opened_by=case.opened_by,
            decision=RestructuringDecision(
                number=dec.number,
                signed_on=dec.signed_on,
                signer=dec.signer,
                effective_on=dec.effective_on,
            )
            if dec
            else None,
            handovers=[
                HandoverRecord(
                    signed_on=r.signed_on,
                    giver_signer=r.giver_signer,
                    receiver_signer=r.receiver_signer,
                    member_count=r.member_count,
                    candidate_count=r.candidate_count,
                    organisation_id=r.organisation_id,
                )
                for r in case.handovers
            ],
            acceptance=RestructuringAcceptance(
                accepted_on=acc.accepted_on, signer=acc.signer, decision_number=acc.decision_number
            )
            if acc
            else None,
            new_organisations=[
                NewUnit(id=strawberry.ID(u.id), code=u.code, name=u.name, parent_id=u.parent_id)
                for u in case.new_units
            ],
            audit_trail=[
                RestructuringAuditEntry(
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
            tree_applied=case.tree_applied,
            case=case,
        )


@strawberry.type
class RestructuringStageCount:
    stage: RestructuringStage  # type: ignore[valid-type]
    count: int


@strawberry.type(description="How far a restructuring campaign's cases have come (kept counts)")
class RestructuringProgress:
    total_cases: int
    completed_cases: int
    by_stage: list[RestructuringStageCount]


@strawberry.type(
    description="A plan of many restructuring cases [đề án sắp xếp tổ chức], e.g. the city's "
    "2025 plan. Holds no personal data: any authenticated caller reads it and its counts."
)
class RestructuringCampaign:
    id: strawberry.ID
    title: str
    directive_number: str | None
    launched_at: datetime
    launched_by: str
    organisation_id: strawberry.Private[str]

    @strawberry.field
    async def organisation(self, info: Context) -> Organisation:
        return await _organisation(info, self.organisation_id)

    @strawberry.field
    async def progress(self, info: Context) -> RestructuringProgress:
        progress = await info.context.use_cases.restructuring.progress(str(self.id))
        return RestructuringProgress(
            total_cases=progress.total,
            completed_cases=progress.by_stage[domain.RestructuringStage.COMPLETED],
            by_stage=[
                RestructuringStageCount(stage=s, count=n) for s, n in progress.by_stage.items()
            ],
        )

    @strawberry.field(description="The campaign's cases the caller may read")
    async def cases(
        self,
        info: Context,
        stage: RestructuringStage | None = None,  # type: ignore[valid-type]
    ) -> list[RestructuringCase]:
        return await readable_cases(info, campaign_id=str(self.id), stage=stage)

    @classmethod
    def of(cls, campaign: domain.RestructuringCampaign) -> "RestructuringCampaign":
        return cls(
            id=strawberry.ID(campaign.id),
            title=campaign.title,
            directive_number=campaign.directive_number,
            launched_at=campaign.launched_at,
            launched_by=campaign.launched_by,
            organisation_id=campaign.organisation_id,
        )
