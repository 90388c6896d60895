"""An evaluation, what it rests on, and the summary of an organisation's period; the entities
they point to (`PartyMember`, `Organisation`) are entities.py's, which builds on these types."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import strawberry

from evaluations import domain
from evaluations.authorisation import Operation
from evaluations.domain import Evaluation as EvaluationRecord
from evaluations.schema.context import Context, field
from evaluations.schema.enums import EvaluationState, Rating
from evaluations.schema.loaders import loaders_of
from evaluations.schema.policy import (
    EvaluationStep,
    PolicyFinding,
    PolicyOverride,
    RatingReopening,
    RuleSet,
)
from evaluations.schema.records import (
    Assignment,
    HostCellFeedback,
    SupervisionFeedback,
    WorkplaceAssessment,
)
from evaluations.schema.refs import OrganisationRef, PartyMemberRef, member_ref, organisation_ref
from evaluations.service import reports

READ = Operation.READ_EVALUATION


@strawberry.federation.type(
    keys=["id"], description="A member's quality ranking [xếp loại chất lượng đảng viên]"
)
class Evaluation:
    id: strawberry.ID
    period: str = strawberry.field(description="A month (2019-10) or a year (2019)")
    state: EvaluationState  # type: ignore[valid-type]
    self_rating: Rating | None  # type: ignore[valid-type]
    self_comment: str | None
    proposed_rating: Rating | None  # type: ignore[valid-type]
    proposed_score: int | None
    proposal_note: str | None
    final_rating: Rating | None  # type: ignore[valid-type]
    score: int | None = strawberry.field(description="On the 100-point scale, where it is used")
    finalised_at: datetime | None
    overrides: list[PolicyOverride]
    history: list[EvaluationStep]
    reopenings: list[RatingReopening] = strawberry.field(
        description="Finalised ratings the ward committee reopened, oldest first"
    )
    record: strawberry.Private[EvaluationRecord]

    @field(description="The member evaluated")
    def member(self) -> PartyMemberRef:
        return member_ref(self.record.member_id)

    @field(description="The cell that evaluates the member for this period")
    def organisation(self) -> OrganisationRef:
        return organisation_ref(self.record.cell_id)

    @field(description="The rule set in force for the period")
    def rule_set(self, info: Context) -> RuleSet:
        return RuleSet.of(info.context.use_cases.findings.rule_set_of(self.record.period))

    @field(description="What the rules in force say of the rating as it stands")
    async def policy_findings(self, info: Context) -> list[PolicyFinding]:
        overrides = {o.rule: o.reason for o in self.record.overrides}
        findings = await loaders_of(info).policy_findings(self.record)
        return [PolicyFinding.of(f, overrides.get(f.rule)) for f in findings]

    @field(description="Criterion (1): the tasks the cell gave for the period")
    async def assignments(self, info: Context) -> list[Assignment]:
        found = await loaders_of(info).assignments.load(self._member_and_period)
        return [Assignment.of(a) for a in found]

    @field(description="Criterion (2): job results for the period, newest first")
    async def workplace_assessments(self, info: Context) -> list[WorkplaceAssessment]:
        found = await loaders_of(info).assessments.load(self._member_and_period)
        return [WorkplaceAssessment.of(a, self.record.cell_id) for a in found]

    @strawberry.field
    async def supervision_feedback(self, info: Context) -> list[SupervisionFeedback]:
        found = await loaders_of(info).feedback.load(self._member_and_period)
        return [SupervisionFeedback.of(f) for f in found]

    @field(
        description="What the cells that hosted the member on a TEMPORARY stay during the "
        "period say of them [sinh hoạt tạm thời], oldest first"
    )
    async def host_cell_feedback(self, info: Context) -> list[HostCellFeedback]:
        found = await loaders_of(info).host_feedback.load(self._member_and_period)
        return [HostCellFeedback.of(f) for f in found]

    @property
    def _member_and_period(self) -> tuple[str, domain.Period]:
        return self.record.member_id, self.record.period

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "Evaluation":
        return cls.of(await info.context.access.evaluation(READ, id))

    @classmethod
    def of(cls, evaluation: EvaluationRecord) -> "Evaluation":
        return cls(
            id=strawberry.ID(evaluation.id),
            period=str(evaluation.period),
            state=evaluation.state,
            self_rating=evaluation.self_rating,
            self_comment=evaluation.self_comment,
            proposed_rating=evaluation.proposed_rating,
            proposed_score=evaluation.proposed_score,
            proposal_note=evaluation.proposal_note,
            final_rating=evaluation.final_rating,
            score=evaluation.score,
            finalised_at=evaluation.finalised_at,
            overrides=[
                PolicyOverride(rule=o.rule, reason=o.reason, by=o.by, at=o.at)
                for o in evaluation.overrides
            ],
            history=[
                EvaluationStep(state=s.state, at=s.at, by=s.by, note=s.note, subject=s.subject)
                for s in evaluation.history
            ],
            reopenings=[
                RatingReopening(
                    rating=r.rating,
                    score=r.score,
                    reason=r.reason,
                    at=r.at,
                    by=r.by,
                    subject=r.subject,
                )
                for r in evaluation.reopenings
            ],
            record=evaluation,
        )


@strawberry.type
class RatingCount:
    rating: Rating  # type: ignore[valid-type]
    count: int
    share: float = strawberry.field(description="Of the finalised evaluations, 0 to 1")


@strawberry.type
class SummaryFinding:
    evaluation: Evaluation
    finding: PolicyFinding


class SummaryDetails:
    """Who lacks job results, by name, and what the rules find: read from the members (every
    roster entry of the cells), so only when a field asks, and once for all of them; the
    summary's counts are the kept counts'."""

    def __init__(self, read: Callable[[], Awaitable[reports.EvaluationSummary]]) -> None:
        self.read = read
        self.lock = asyncio.Lock()
        self.found: reports.EvaluationSummary | None = None

    async def get(self) -> reports.EvaluationSummary:
        async with self.lock:
            if self.found is None:
                self.found = await self.read()
            return self.found


@strawberry.type(description="What the cells of an organisation made of a period")
class EvaluationSummary:
    period: str
    rule_set: RuleSet
    evaluated: int = strawberry.field(description="Members evaluated by these cells")
    drafts: int
    proposals_waiting: int = strawberry.field(description="PROPOSED, waiting for the ward")
    finalised: int
    ratings: list[RatingCount]
    missing_workplace_assessment_count: int
    details: strawberry.Private[SummaryDetails]

    @strawberry.field
    async def findings(self) -> list[SummaryFinding]:
        return [
            SummaryFinding(
                evaluation=Evaluation.of(f.evaluation),
                finding=PolicyFinding.of(f.finding, f.overridden_because),
            )
            for f in (await self.details.get()).findings
        ]

    @field(description="Ward cadres with no workplace assessment for the period")
    async def missing_workplace_assessment(self) -> list[PartyMemberRef]:
        missing = (await self.details.get()).missing_workplace_assessment
        return [member_ref(member_id) for member_id in missing]

    @classmethod
    def of(
        cls, counts: reports.SummaryCountsRead, rule_set: domain.RuleSet, details: SummaryDetails
    ) -> "EvaluationSummary":
        finalised = counts.by_state[domain.EvaluationState.FINALISED]
        return cls(
            period=str(counts.period),
            rule_set=RuleSet.of(rule_set),
            evaluated=counts.evaluated,
            drafts=counts.by_state[domain.EvaluationState.DRAFT],
            proposals_waiting=counts.by_state[domain.EvaluationState.PROPOSED],
            finalised=finalised,
            ratings=[
                RatingCount(
                    rating=r,
                    count=counts.by_rating[r],
                    share=counts.by_rating[r] / finalised if finalised else 0.0,
                )
                for r in domain.Rating
            ],
            missing_workplace_assessment_count=counts.missing_workplace_assessment,
            details=details,
        )
