"""The evaluations subgraph: types, queries and mutations, thin over the service."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import strawberry
from kit.errors import ErrorCodes
from strawberry.types import Info

from evaluations import domain, policy, reports
from evaluations.evaluation import Evaluation as EvaluationRecord
from evaluations.service import AssessmentSubmission, EvaluationService, Outcome

EvaluationState = strawberry.enum(
    domain.EvaluationState, description="DRAFT → PROPOSED (by the cell) → FINALISED (by the ward)"
)
Rating = strawberry.enum(
    domain.Rating,
    description="EXCELLENT [Hoàn thành xuất sắc nhiệm vụ], GOOD [Hoàn thành tốt nhiệm vụ], "
    "COMPLETED [Hoàn thành nhiệm vụ], NOT_COMPLETED [Không hoàn thành nhiệm vụ]",
)
AssessorRole = strawberry.enum(
    domain.AssessorRole,
    description="WARD_PARTY_SECRETARY [Bí thư Đảng ủy phường], PEOPLES_COMMITTEE_CHAIR "
    "[Chủ tịch UBND phường], MASS_ORGANISATION_HEAD [người đứng đầu tổ chức chính trị - xã hội], "
    "CITY_SYSTEM",
)
AssignmentResult = strawberry.enum(domain.AssignmentResult)
RuleBasis = strawberry.enum(
    policy.Basis, description="CONFIRMED by its source, DERIVED from it, or UNCONFIRMED"
)
SubmissionOutcome = strawberry.enum(Outcome)

Context = Info[dict[str, Any], None]
Resolver = TypeVar("Resolver", bound=Callable[..., Any])


def field(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.field(description=description)
    return decorate


def mutation(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.mutation(description=description)
    return decorate


def service_of(info: Context) -> EvaluationService:
    service: EvaluationService = info.context["service"]
    return service


@strawberry.type(description="A rule of a rule set, with its source")
class PolicyRule:
    id: str
    source: str
    basis: RuleBasis  # type: ignore[valid-type]
    blocking: bool


@strawberry.type(description="The ranking rules in force for a period")
class RuleSet:
    name: str
    effective_from: date
    sources: str
    uses_score: bool = strawberry.field(description="Ratings are given on the 100-point scale")
    rules: list[PolicyRule]

    @classmethod
    def of(cls, rule_set: policy.RuleSet) -> "RuleSet":
        return cls(
            name=rule_set.name,
            effective_from=rule_set.effective_from,
            sources=rule_set.sources,
            uses_score=rule_set.uses_score,
            rules=[
                PolicyRule(id=r.id, source=r.source, basis=r.basis, blocking=r.blocking)
                for r in rule_set.rules
            ],
        )


@strawberry.type(description="What a rule says of a rating; blocking ones stop finalisation")
class PolicyFinding:
    rule: str
    source: str
    message: str
    blocking: bool
    basis: RuleBasis  # type: ignore[valid-type]
    overridden_because: str | None = strawberry.field(
        description="The reason recorded when the ward committee finalised past this finding"
    )

    @classmethod
    def of(cls, finding: policy.Finding, overridden_because: str | None) -> "PolicyFinding":
        return cls(
            rule=finding.rule,
            source=finding.source,
            message=finding.message,
            blocking=finding.blocking,
            basis=finding.basis,
            overridden_because=overridden_because,
        )


@strawberry.type
class PolicyOverride:
    rule: str
    reason: str
    by: str
    at: datetime


@strawberry.type(description="One step of an evaluation's audit trail")
class EvaluationStep:
    state: EvaluationState  # type: ignore[valid-type]
    at: datetime
    by: str
    note: str | None


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
    def member(self) -> "PartyMember":
        return PartyMember(id=strawberry.ID(self.member_id))

    @field(description="The cell that gave the task")
    def organisation(self) -> "Organisation":
        return Organisation(id=strawberry.ID(self.cell_id))

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
    submitter: str
    period: str
    assessor_role: AssessorRole  # type: ignore[valid-type]
    assessor_name: str
    rating: Rating  # type: ignore[valid-type]
    comment: str | None
    recorded_at: datetime
    member_id: strawberry.Private[str]

    @strawberry.field
    def member(self) -> "PartyMember":
        return PartyMember(id=strawberry.ID(self.member_id))

    @classmethod
    def of(cls, assessment: domain.WorkplaceAssessment) -> "WorkplaceAssessment":
        return cls(
            id=strawberry.ID(assessment.id),
            external_id=assessment.external_id,
            submitter=assessment.submitter,
            period=str(assessment.period),
            assessor_role=assessment.assessor_role,
            assessor_name=assessment.assessor_name,
            rating=assessment.rating,
            comment=assessment.comment,
            recorded_at=assessment.recorded_at,
            member_id=assessment.member_id,
        )


@strawberry.type(description="A fellow cell member's comment on a cadre [ý kiến giám sát]")
class SupervisionFeedback:
    id: strawberry.ID
    period: str
    comment: str
    given_at: datetime
    member_id: strawberry.Private[str]
    by_member_id: strawberry.Private[str]

    @field(description="The member the feedback is about")
    def member(self) -> "PartyMember":
        return PartyMember(id=strawberry.ID(self.member_id))

    @field(description="The fellow member who gave it")
    def by(self) -> "PartyMember":
        return PartyMember(id=strawberry.ID(self.by_member_id))

    @classmethod
    def of(cls, feedback: domain.SupervisionFeedback) -> "SupervisionFeedback":
        return cls(
            id=strawberry.ID(feedback.id),
            period=str(feedback.period),
            comment=feedback.comment,
            given_at=feedback.given_at,
            member_id=feedback.member_id,
            by_member_id=feedback.by_member_id,
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
    record: strawberry.Private[EvaluationRecord]

    @field(description="The member evaluated")
    def member(self) -> "PartyMember":
        return PartyMember(id=strawberry.ID(self.record.member_id))

    @field(description="The cell that evaluates the member for this period")
    def organisation(self) -> "Organisation":
        return Organisation(id=strawberry.ID(self.record.cell_id))

    @field(description="The rule set in force for the period")
    def rule_set(self, info: Context) -> RuleSet:
        return RuleSet.of(service_of(info).policy.rule_set_for(self.record.period))

    @field(description="What the rules in force say of the rating as it stands")
    async def policy_findings(self, info: Context) -> list[PolicyFinding]:
        overrides = {o.rule: o.reason for o in self.record.overrides}
        findings = await service_of(info).policy_findings(self.record)
        return [PolicyFinding.of(f, overrides.get(f.rule)) for f in findings]

    @field(description="Criterion (1): the tasks the cell gave for the period")
    async def assignments(self, info: Context) -> list[Assignment]:
        found = await service_of(info).assignments_of(self.record.member_id, self.period)
        return [Assignment.of(a) for a in found]

    @field(description="Criterion (2): job results for the period, newest first")
    async def workplace_assessments(self, info: Context) -> list[WorkplaceAssessment]:
        found = await service_of(info).workplace_assessments_of(self.record.member_id, self.period)
        return [WorkplaceAssessment.of(a) for a in found]

    @strawberry.field
    async def supervision_feedback(self, info: Context) -> list[SupervisionFeedback]:
        found = await service_of(info).feedback_of(self.record.member_id, self.record.period)
        return [SupervisionFeedback.of(f) for f in found]

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "Evaluation":
        return cls.of(await service_of(info).evaluation(id))

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
                EvaluationStep(state=s.state, at=s.at, by=s.by, note=s.note)
                for s in evaluation.history
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
    def missing_workplace_assessment(self) -> list["PartyMember"]:
        return [PartyMember(id=strawberry.ID(member_id)) for member_id in self.missing_ids]

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


@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID

    @field(description="The evaluations of its cells for a period: a cell, ward or district")
    async def evaluation_summary(self, info: Context, period: str) -> EvaluationSummary:
        return EvaluationSummary.of(
            await reports.evaluation_summary(service_of(info), self.id, period)
        )

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Organisation":
        return cls(id=id)


@strawberry.federation.type(keys=["id"], description="A party member [đảng viên]")
class PartyMember:
    id: strawberry.ID

    @field(
        description="The member's evaluations: for a period (2019-10, 2019), a DRAFT until "
        "started; without one, every evaluation started"
    )
    async def evaluations(self, info: Context, period: str | None = None) -> list[Evaluation]:
        found = await service_of(info).evaluations_of(self.id, period)
        return [Evaluation.of(evaluation) for evaluation in found]

    @field(description="The tasks the cell gave the member, for a period or all")
    async def assignments(self, info: Context, period: str | None = None) -> list[Assignment]:
        return [Assignment.of(a) for a in await service_of(info).assignments_of(self.id, period)]

    @field(description="The member's job results for a period, newest first")
    async def workplace_assessments(self, info: Context, period: str) -> list[WorkplaceAssessment]:
        found = await service_of(info).workplace_assessments_of(self.id, period)
        return [WorkplaceAssessment.of(a) for a in found]

    @field(description="The cell that evaluates the member for a period")
    async def evaluated_by(self, info: Context, period: str) -> Organisation | None:
        cell_id = await service_of(info).evaluated_by(self.id, period)
        return Organisation(id=strawberry.ID(cell_id)) if cell_id else None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "PartyMember":
        return cls(id=id)


@strawberry.input
class AssignTaskInput:
    member_id: strawberry.ID
    period: str
    task: str
    assigned_on: date | None = None
    due_on: date | None = None
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The cell giving the task; checked against the roster"
    )


@strawberry.input
class RecordAssignmentResultInput:
    assignment_id: strawberry.ID
    result: AssignmentResult  # type: ignore[valid-type]
    note: str | None = None


@strawberry.input(description="One job result; checked on its own, so values are plain strings")
class WorkplaceAssessmentItem:
    external_id: str = strawberry.field(description="The submitter's id: a resend stores nothing")
    member_id: strawberry.ID
    period: str
    assessor_role: str = strawberry.field(description="An AssessorRole")
    assessor_name: str
    rating: str = strawberry.field(description="A Rating")
    comment: str | None = None


@strawberry.input
class SubmitWorkplaceAssessmentsInput:
    submitter: str = strawberry.field(description="The person or city system sending the bulk")
    items: list[WorkplaceAssessmentItem]


@strawberry.type
class ItemError:
    code: str
    message: str
    field: str | None


@strawberry.type
class SubmissionItemResult:
    index: int
    external_id: str
    outcome: SubmissionOutcome  # type: ignore[valid-type]
    assessment: WorkplaceAssessment | None
    error: ItemError | None


@strawberry.type
class WorkplaceAssessmentSubmission:
    recorded: int
    already_recorded: int
    rejected: int
    items: list[SubmissionItemResult]


@strawberry.input
class AddSupervisionFeedbackInput:
    member_id: strawberry.ID
    by_member_id: strawberry.ID
    period: str
    comment: str


@strawberry.input
class SelfAssessInput:
    member_id: strawberry.ID
    period: str
    rating: Rating  # type: ignore[valid-type]
    comment: str | None = None


@strawberry.input
class ProposeRatingInput:
    member_id: strawberry.ID
    period: str
    rating: Rating  # type: ignore[valid-type]
    by: str = strawberry.field(description="Who proposes for the cell")
    score: int | None = None
    note: str | None = None


@strawberry.input
class OverrideInput:
    rule: str = strawberry.field(description="The id of the blocking finding's rule")
    reason: str


@strawberry.input
class FinaliseRatingInput:
    evaluation_id: strawberry.ID
    rating: Rating  # type: ignore[valid-type]
    by: str = strawberry.field(description="Who decides for the ward committee")
    score: int | None = None
    overrides: list[OverrideInput] = strawberry.field(default_factory=list)


@strawberry.type
class Query:
    @strawberry.field
    async def evaluation(self, info: Context, id: strawberry.ID) -> Evaluation:
        return Evaluation.of(await service_of(info).evaluation(id))

    @field(
        description="The evaluations made by the cells of an organisation (cell, ward, "
        "district) for a period, drafts included"
    )
    async def evaluations(
        self,
        info: Context,
        organisation_id: strawberry.ID,
        period: str,
        state: EvaluationState | None = None,  # type: ignore[valid-type]
    ) -> list[Evaluation]:
        found = await service_of(info).evaluations_in(organisation_id, period, state)
        return [Evaluation.of(evaluation) for evaluation in found]

    @field(description="The ranking rules in force for a period")
    def rule_set(self, info: Context, period: str) -> RuleSet:
        return RuleSet.of(service_of(info).rule_set_for(period))


@strawberry.type
class Mutation:
    @mutation(description="The cell gives a member a task for a period.")
    async def assign_task(self, info: Context, input: AssignTaskInput) -> Assignment:
        assignment = await service_of(info).assign_task(
            input.member_id,
            input.period,
            input.task,
            input.assigned_on,
            input.due_on,
            input.organisation_id,
        )
        return Assignment.of(assignment)

    @mutation(description="The cell records how a task went.")
    async def record_assignment_result(
        self, info: Context, input: RecordAssignmentResultInput
    ) -> Assignment:
        assignment = await service_of(info).record_assignment_result(
            input.assignment_id, input.result, input.note
        )
        return Assignment.of(assignment)

    @mutation(
        description="Job results in bulk, from people or city systems: each item is checked on "
        "its own, and a resend with the same external ids stores nothing twice."
    )
    async def submit_workplace_assessments(
        self, info: Context, input: SubmitWorkplaceAssessmentsInput
    ) -> WorkplaceAssessmentSubmission:
        results = await service_of(info).submit_workplace_assessments(
            input.submitter,
            [
                AssessmentSubmission(
                    external_id=item.external_id,
                    member_id=item.member_id,
                    period=item.period,
                    assessor_role=item.assessor_role,
                    assessor_name=item.assessor_name,
                    rating=item.rating,
                    comment=item.comment,
                )
                for item in input.items
            ],
        )
        return WorkplaceAssessmentSubmission(
            recorded=sum(r.outcome is Outcome.RECORDED for r in results),
            already_recorded=sum(r.outcome is Outcome.ALREADY_RECORDED for r in results),
            rejected=sum(r.outcome is Outcome.REJECTED for r in results),
            items=[
                SubmissionItemResult(
                    index=r.index,
                    external_id=r.external_id,
                    outcome=r.outcome,
                    assessment=WorkplaceAssessment.of(r.assessment) if r.assessment else None,
                    error=ItemError(
                        code=r.error.code,
                        message=str(r.error),
                        field=str(r.error.details.get("field") or "") or None,
                    )
                    if r.error
                    else None,
                )
                for r in results
            ],
        )

    @mutation(description="A fellow member of the residential cell comments on a cadre.")
    async def add_supervision_feedback(
        self, info: Context, input: AddSupervisionFeedbackInput
    ) -> SupervisionFeedback:
        feedback = await service_of(info).add_supervision_feedback(
            input.member_id, input.by_member_id, input.period, input.comment
        )
        return SupervisionFeedback.of(feedback)

    @mutation(description="The member's own assessment of a period.")
    async def self_assess(self, info: Context, input: SelfAssessInput) -> Evaluation:
        evaluation = await service_of(info).self_assess(
            input.member_id, input.period, input.rating, input.comment
        )
        return Evaluation.of(evaluation)

    @mutation(description="The cell proposes a member's rating for a period.")
    async def propose_rating(self, info: Context, input: ProposeRatingInput) -> Evaluation:
        evaluation = await service_of(info).propose_rating(
            input.member_id, input.period, input.rating, input.score, input.note, input.by
        )
        return Evaluation.of(evaluation)

    @mutation(
        description="The ward committee decides the rating; refused (POLICY_VIOLATION) against "
        "a blocking finding unless overridden with a reason."
    )
    async def finalise_rating(self, info: Context, input: FinaliseRatingInput) -> Evaluation:
        evaluation = await service_of(info).finalise_rating(
            input.evaluation_id,
            input.rating,
            input.score,
            {o.rule: o.reason for o in input.overrides},
            input.by,
        )
        return Evaluation.of(evaluation)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Organisation, PartyMember, Evaluation],
    federation_version="2.5",
    extensions=[ErrorCodes],
)
