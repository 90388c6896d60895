"""Mutations: thin over the use cases (their inputs in inputs.py)."""

import asyncio
from collections.abc import Collection

import strawberry

from evaluations.authorisation import Operation
from evaluations.domain import NotFound, Period, evaluation_id
from evaluations.schema.context import (
    Context,
    mutation,
)
from evaluations.schema.evaluations import Evaluation
from evaluations.schema.inputs import (
    AddHostCellFeedbackInput,
    AddSupervisionFeedbackInput,
    AssignTaskInput,
    FinaliseRatingInput,
    ProposeRatingInput,
    RecordAssignmentResultInput,
    ReopenRatingInput,
    SelfAssessInput,
)
from evaluations.schema.records import (
    Assignment,
    HostCellFeedback,
    SupervisionFeedback,
)
from evaluations.schema.workplace import (
    SubmissionItemResult,
    SubmitWorkplaceAssessmentsInput,
    WorkplaceAssessmentSubmission,
)
from evaluations.service.workplace import AssessmentSubmission, Outcome


@strawberry.type
class Mutation:
    @mutation(description="The cell gives a member a task for a period.")
    async def assign_task(self, info: Context, input: AssignTaskInput) -> Assignment:
        access = info.context.access
        cell_id = await access.evaluating_cell(input.member_id, Period.parse(input.period))
        await access.require(Operation.ASSIGN_TASK, cell_id)
        assignment = await info.context.use_cases.assignments.assign_task(input.command())
        return Assignment.of(assignment)

    @mutation(description="The cell records how a task went.")
    async def record_assignment_result(
        self, info: Context, input: RecordAssignmentResultInput
    ) -> Assignment:
        found = await info.context.use_cases.assignments.assignment(input.assignment_id)
        await info.context.access.require(
            Operation.RECORD_ASSIGNMENT_RESULT, found.cell_id if found else None
        )
        if found is None:
            raise NotFound(f"No assignment {input.assignment_id}.", id=input.assignment_id)
        assignment = await info.context.use_cases.assignments.record_assignment_result(
            input.assignment_id, input.result, input.note
        )
        return Assignment.of(assignment)

    @mutation(
        description="Job results in bulk, from people or city systems (WORKPLACE_ASSESSOR, "
        "INTEGRATION), each member named by id, party card number or citizen ID: each item is "
        "checked on its own — one whose member is outside the caller's grants is REJECTED "
        "with FORBIDDEN, an unknown key NOT_FOUND, a key two members hold or an item saying "
        "again what an earlier one of the bulk says CONFLICT, each with its field — and a "
        "resend by the same caller with the same external ids stores nothing twice "
        "(ALREADY_RECORDED)."
    )
    async def submit_workplace_assessments(
        self, info: Context, input: SubmitWorkplaceAssessmentsInput
    ) -> WorkplaceAssessmentSubmission:
        access = info.context.access
        submit = Operation.SUBMIT_WORKPLACE_ASSESSMENTS
        access.require_some_right(submit)

        async def covered(cells: Collection[str | None]) -> set[str | None]:
            return await access.covered(submit, cells)

        results = await info.context.use_cases.workplace.submit(
            input.submitter or info.context.actor,
            [
                AssessmentSubmission(
                    external_id=item.external_id,
                    member_id=item.member_id,
                    period=item.period,
                    assessor_role=item.assessor_role,
                    assessor_name=item.assessor_name,
                    rating=item.rating,
                    comment=item.comment,
                    card_number=item.card_number,
                    citizen_id=item.citizen_id,
                )
                for item in input.items
            ],
            submitted_by=info.context.principal.subject,
            covered=covered,
        )
        return WorkplaceAssessmentSubmission(
            recorded=sum(r.outcome is Outcome.RECORDED for r in results),
            already_recorded=sum(r.outcome is Outcome.ALREADY_RECORDED for r in results),
            rejected=sum(r.outcome is Outcome.REJECTED for r in results),
            items=[SubmissionItemResult.of(r) for r in results],
        )

    @mutation(description="A fellow member of the residential cell comments on a cadre.")
    async def add_supervision_feedback(
        self, info: Context, input: AddSupervisionFeedbackInput
    ) -> SupervisionFeedback:
        access, period = info.context.access, Period.parse(input.period)
        # the giver's cell too: nothing is told of members outside the caller's scope
        for cell_id in await asyncio.gather(
            access.evaluating_cell(input.member_id, period),
            access.evaluating_cell(input.by_member_id, period),
        ):
            await access.require(Operation.ADD_SUPERVISION_FEEDBACK, cell_id)
        feedback = await info.context.use_cases.supervision.add_supervision_feedback(
            input.member_id, input.by_member_id, input.period, input.comment
        )
        return SupervisionFeedback.of(feedback)

    @mutation(
        description="The host cell of a TEMPORARY stay [sinh hoạt tạm thời] — its secretary or "
        "its ward committee — comments on the member for a period it hosted them; the home "
        "cell, which ranks the member, reads it on the evaluation (hostCellFeedback)."
    )
    async def add_host_cell_feedback(
        self, info: Context, input: AddHostCellFeedbackInput
    ) -> HostCellFeedback:
        await info.context.access.require(Operation.ADD_HOST_CELL_FEEDBACK, input.organisation_id)
        feedback = await info.context.use_cases.hosting.add_host_feedback(
            input.command(), input.by or info.context.actor, info.context.principal.subject
        )
        return HostCellFeedback.of(feedback)

    @mutation(description="The member's own assessment of a period (MEMBER, own only).")
    async def self_assess(self, info: Context, input: SelfAssessInput) -> Evaluation:
        await info.context.access.require(Operation.SELF_ASSESS, None, input.member_id)
        evaluation = await info.context.use_cases.evaluations.self_assess(
            input.command(), info.context.principal.subject
        )
        return Evaluation.of(evaluation)

    @mutation(description="The cell proposes a member's rating for a period.")
    async def propose_rating(self, info: Context, input: ProposeRatingInput) -> Evaluation:
        period = Period.parse(input.period)
        await info.context.access.evaluation(
            Operation.PROPOSE_RATING, evaluation_id(input.member_id, period)
        )
        evaluation = await info.context.use_cases.evaluations.propose_rating(
            input.command(), input.by or info.context.actor, info.context.principal.subject
        )
        return Evaluation.of(evaluation)

    @mutation(
        description="The ward committee decides the rating; refused (POLICY_VIOLATION) against "
        "a blocking finding unless overridden with a reason."
    )
    async def finalise_rating(self, info: Context, input: FinaliseRatingInput) -> Evaluation:
        await info.context.access.evaluation(Operation.FINALISE_RATING, input.evaluation_id)
        evaluation = await info.context.use_cases.finalisations.finalise_rating(
            input.command(), input.by or info.context.actor, info.context.principal.subject
        )
        return Evaluation.of(evaluation)

    @mutation(
        description="The ward committee reopens a FINALISED rating with its reason: PROPOSED "
        "again, the old rating kept in reopenings, to be finalised anew under the rules then in "
        "force (the EXCELLENT quota included). WARD_COMMITTEE covering the evaluating cell; "
        "INVALID_TRANSITION when not finalised, BAD_USER_INPUT without a reason."
    )
    async def reopen_rating(self, info: Context, input: ReopenRatingInput) -> Evaluation:
        await info.context.access.evaluation(Operation.REOPEN_RATING, input.evaluation_id)
        evaluation = await info.context.use_cases.finalisations.reopen_rating(
            input.evaluation_id,
            input.reason,
            input.by or info.context.actor,
            info.context.principal.subject,
        )
        return Evaluation.of(evaluation)
