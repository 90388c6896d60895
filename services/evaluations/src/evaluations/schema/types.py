"""The records a ranking rests on, the evaluation and the summary; the entities they point to
(`PartyMember`, `Organisation`) are entities.py's, which builds on these types."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from evaluations import domain
from evaluations.authorisation import Operation
from evaluations.domain import Evaluation as EvaluationRecord
from evaluations.schema.context import Context, field
from evaluations.schema.enums import AssessorRole, AssignmentResult, EvaluationState, Rating
from evaluations.schema.loaders import loaders_of
from evaluations.schema.policy import (
    EvaluationStep,
    PolicyFinding,
    PolicyOverride,
    RatingReopening,
    RuleSet,
)
from evaluations.service import reports

if TYPE_CHECKING:
    from evaluations.schema.entities import Organisation, PartyMember

READ = Operation.READ_EVALUATION
PartyMemberRef = Annotated["PartyMember", strawberry.lazy("evaluations.schema.entities")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("evaluations.schema.entities")]


def member_ref(member_id: str) -> "PartyMember":
    from evaluations.schema.entities import PartyMember  # it builds on this module's types

    return PartyMember(id=strawberry.ID(member_id))


def organisation_ref(organisation_id: str) -> "Organisation":
    from evaluations.schema.entities import Organisation  # it builds on this module's types

    return Organisation(id=strawberry.ID(organisation_id))


@strawberry.type(description="A task the cell gave a member [nhiệm vụ chi bộ giao]")
class Assignment:
    id: strawberry.ID
    period: str
    task: str
    assigned_on: date
    due_on: date | None
    result: AssignmentResult | None  # type: ignore[valid-type]
    note: str | None
    member_id: strawberry.Private[str]
    cell_id: strawberry.Private[str]

    @strawberry.field
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @field(description="The cell that gave the task")
    def organisation(self) -> OrganisationRef:
        return organisation_ref(self.cell_id)

    @classmethod
    def of(cls, assignment: domain.Assignment) -> "Assignment":
        return cls(
            id=strawberry.ID(assignment.id),
            period=str(assignment.period),
            task=assignment.task,
            assigned_on=assignment.assigned_on,
            due_on=assignment.due_on,
            result=assignment.result,
            note=assignment.note,
            member_id=assignment.member_id,
            cell_id=assignment.cell_id,
        )


@strawberry.type(
    description="A job result shared with the cell [kết quả thực hiện chức trách, nhiệm vụ]"
)
class WorkplaceAssessment:
    id: strawberry.ID
    external_id: str
    submitter: str = strawberry.field(description="The sender, as it names itself")
    submitted_by: str = strawberry.field(
        description="The sender, as authenticated: its token's subject"
    )
    period: str
    assessor_role: AssessorRole  # type: ignore[valid-type]
    assessor_name: str
    rating: Rating  # type: ignore[valid-type]
    comment: str | None
    recorded_at: datetime
    member_id: strawberry.Private[str]
    cell_id: strawberry.Private[str | None]  # the evaluating cell, for the access log

    @strawberry.field
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @classmethod
    def of(
        cls, assessment: domain.WorkplaceAssessment, cell_id: str | None
    ) -> "WorkplaceAssessment":
        return cls(
            id=strawberry.ID(assessment.id),
            external_id=assessment.external_id,
            submitter=assessment.submitter,
            submitted_by=assessment.submitted_by,
            period=str(assessment.period),
            assessor_role=assessment.assessor_role,
            assessor_name=assessment.assessor_name,
            rating=assessment.rating,
            comment=assessment.comment,
            recorded_at=assessment.recorded_at,
            member_id=assessment.member_id,
            cell_id=cell_id,
        )


@strawberry.type(description="A fellow cell member's comment on a cadre [ý kiến giám sát]")
class SupervisionFeedback:
    id: strawberry.ID
    period: str
    comment: str
    given_at: datetime
    member_id: strawberry.Private[str]
    by_member_id: strawberry.Private[str]
    cell_id: strawberry.Private[str]

    @field(description="The member the feedback is about")
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @field(description="The fellow member who gave it")
    def by(self) -> PartyMemberRef:
        return member_ref(self.by_member_id)

    @classmethod
    def of(cls, feedback: domain.SupervisionFeedback) -> "SupervisionFeedback":
        return cls(
            id=strawberry.ID(feedback.id),
            period=str(feedback.period),
            comment=feedback.comment,
            given_at=feedback.given_at,
            member_id=feedback.member_id,
            by_member_id=feedback.by_member_id,
            cell_id=feedback.cell_id,
        )


@strawberry.type(
    description="The host cell's feedback on a member it took in for a TEMPORARY stay [nhận "
    "xét của chi bộ nơi sinh hoạt tạm thời], for the home cell that ranks them"
)
class HostCellFeedback:
    id: strawberry.ID
    period: str
    comment: str
    by: str = strawberry.field(description="Who wrote it for the host cell, as written")
    given_at: datetime
    member_id: strawberry.Private[str]
    host_cell_id: strawberry.Private[str]

    @field(description="The member the feedback is about")
    def member(self) -> PartyMemberRef:
        return member_ref(self.member_id)

    @field(description="The host cell that gave it")
    def organisation(self) -> OrganisationRef:
        return organisation_ref(self.host_cell_id)

    @classmethod
    def of(cls, feedback: domain.HostCellFeedback) -> "HostCellFeedback":
        return cls(
            id=strawberry.ID(feedback.id),
            period=str(feedback.period),
            comment=feedback.comment,
            by=feedback.given_by,
            given_at=feedback.given_at,
            member_id=feedback.member_id,
            host_cell_id=feedback.host_cell_id,
        )


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
        return cls.of(await info.context.guard.evaluation(READ, id))

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
    findings: list[SummaryFinding]
    missing_ids: strawberry.Private[list[str]]

    @field(description="Ward cadres with no workplace assessment for the period")
    def missing_workplace_assessment(self) -> list[PartyMemberRef]:
        return [member_ref(member_id) for member_id in self.missing_ids]

    @classmethod
    def of(cls, summary: reports.EvaluationSummary) -> "EvaluationSummary":
        return cls(
            period=str(summary.period),
            rule_set=RuleSet.of(summary.rule_set),
            evaluated=summary.evaluated,
            drafts=summary.by_state[domain.EvaluationState.DRAFT],
            proposals_waiting=summary.by_state[domain.EvaluationState.PROPOSED],
            finalised=summary.finalised,
            ratings=[
                RatingCount(rating=r, count=summary.by_rating[r], share=summary.share(r))
                for r in domain.Rating
            ],
            missing_workplace_assessment_count=len(summary.missing_workplace_assessment),
            findings=[
                SummaryFinding(
                    evaluation=Evaluation.of(f.evaluation),
                    finding=PolicyFinding.of(f.finding, f.overridden_because),
                )
                for f in summary.findings
            ],
            missing_ids=summary.missing_workplace_assessment,
        )
