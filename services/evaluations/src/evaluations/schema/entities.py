"""The entities of other subgraphs this one extends: an organisation's evaluation summary, a
member's evaluations, tasks, job results and evaluating cell."""

import strawberry

from evaluations import domain
from evaluations.authorisation import Operation
from evaluations.schema.context import Context, field
from evaluations.schema.evaluations import Evaluation, EvaluationSummary, SummaryDetails
from evaluations.schema.records import Assignment, WorkplaceAssessment

READ = Operation.READ_EVALUATION


@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID

    @field(
        description="The evaluations of its cells for a period: a cell, ward or district "
        "(null, FORBIDDEN, outside the caller's scope)"
    )
    async def evaluation_summary(self, info: Context, period: str) -> EvaluationSummary | None:
        await info.context.access.require(Operation.READ_SUMMARY, self.id)
        reports = info.context.use_cases.reports
        counts = await reports.summary_counts(self.id, period)
        details = SummaryDetails(lambda: reports.evaluation_summary(self.id, period))
        return EvaluationSummary.of(counts, reports.rule_set_of(period), details)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Organisation":
        return cls(id=id)


@strawberry.federation.type(keys=["id"], description="A party member [đảng viên]")
class PartyMember:
    id: strawberry.ID

    @field(
        description="The member's evaluations: for a period (2019-10, 2019), a DRAFT until "
        "started; without one, every evaluation started. Only those the caller may read."
    )
    async def evaluations(self, info: Context, period: str | None = None) -> list[Evaluation]:
        found = await info.context.use_cases.evaluations.evaluations_of(self.id, period)
        readable = await info.context.access.keep(READ, found, lambda e: (e.cell_id, e.member_id))
        return [Evaluation.of(evaluation) for evaluation in readable]

    @field(description="The tasks the cell gave the member, for a period or all")
    async def assignments(self, info: Context, period: str | None = None) -> list[Assignment]:
        found = await info.context.use_cases.assignments.assignments_of(self.id, period)
        readable = await info.context.access.keep(READ, found, lambda a: (a.cell_id, a.member_id))
        return [Assignment.of(a) for a in readable]

    @field(description="The member's job results for a period, newest first")
    async def workplace_assessments(self, info: Context, period: str) -> list[WorkplaceAssessment]:
        access = info.context.access
        cell_id = await access.evaluating_cell(self.id, domain.Period.parse(period))
        if not await access.allows(READ, cell_id, self.id):
            return []
        found = await info.context.use_cases.workplace.of_member(self.id, period)
        return [WorkplaceAssessment.of(a, cell_id) for a in found]

    @field(
        description="The cell that evaluates the member for a period (null, FORBIDDEN, outside "
        "the caller's scope)"
    )
    async def evaluated_by(self, info: Context, period: str) -> Organisation | None:
        access = info.context.access
        cell_id = await access.evaluating_cell(self.id, domain.Period.parse(period))
        await access.require(READ, cell_id, self.id)
        return Organisation(id=strawberry.ID(cell_id)) if cell_id else None

    @field(
        description="The cells that host the member on a TEMPORARY stay [sinh hoạt tạm thời] "
        "during a period — the home cell still ranks them (null, FORBIDDEN, outside the "
        "caller's scope)"
    )
    async def hosted_by(self, info: Context, period: str) -> list[Organisation] | None:
        access, asked = info.context.access, domain.Period.parse(period)
        entry = await access.entry(self.id)
        await access.require(READ, entry.cell_for(asked) if entry else None, self.id)
        hosts = entry.hosts_for(asked) if entry else []
        return [Organisation(id=strawberry.ID(cell_id)) for cell_id in hosts]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "PartyMember":
        return cls(id=id)
