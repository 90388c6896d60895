"""What the rule set in force says of a rating, from what is stored: the member's job results
and the ward's other finalised ratings."""

from collections.abc import Sequence

from evaluations import events
from evaluations.domain import (
    Evaluation,
    ExcellentQuota,
    FinalisedRatings,
    Finding,
    Period,
    Policy,
    Rating,
    RosterEntry,
    RuleSet,
    WorkplaceAssessment,
    facts_of,
)
from evaluations.service.ports import EvaluationRepository, Event, WorkplaceAssessmentRepository
from evaluations.service.roster import RosterService


class PolicyFindings:
    def __init__(
        self,
        policy: Policy,
        evaluations: EvaluationRepository,
        assessments: WorkplaceAssessmentRepository,
        roster: RosterService,
    ) -> None:
        self.policy = policy
        self.evaluations = evaluations
        self.assessments = assessments
        self.roster = roster

    def rule_set_for(self, period_text: str) -> RuleSet:
        """The ranking rules in force for a period."""
        return self.rule_set_of(Period.parse(period_text))

    def rule_set_of(self, period: Period) -> RuleSet:
        return self.policy.rule_set_for(period)

    def excellent_quota(self, period: Period) -> ExcellentQuota | None:
        """The quota on EXCELLENT for the period, when the rule set in force has one."""
        return self.policy.excellent_quota(period)

    def finalised_event(self, evaluation: Evaluation) -> Event:
        return events.evaluation_finalised(evaluation, self.rule_set_of(evaluation.period).name)

    async def policy_findings(self, evaluation: Evaluation) -> list[Finding]:
        """What the rule set in force says of the evaluation's rating as it stands."""
        [entry] = await self.roster.entries([evaluation.member_id])
        if entry is None:
            return []
        return await self.of_rating(evaluation, entry, evaluation.rating, evaluation.score)

    async def of_rating(
        self, evaluation: Evaluation, entry: RosterEntry, rating: Rating | None, score: int | None
    ) -> list[Finding]:
        """What the rule set in force would say of giving the evaluation this rating."""
        assessed = await self.assessments.of_member(evaluation.member_id, evaluation.period)
        ward = await self.finalised_ratings(
            await self.roster.grassroots_cells(evaluation.cell_id, evaluation.period.ends_on),
            evaluation.period,
        )
        return self.findings_for(evaluation, entry, rating, score, assessed, ward)

    def findings_among(
        self,
        evaluation: Evaluation,
        entry: RosterEntry,
        assessed: Sequence[WorkplaceAssessment],
        ward: FinalisedRatings,
    ) -> list[Finding]:
        """`policy_findings` from what was read for many evaluations at once: the member's job
        results newest first, the finalised ratings of the ward's cells for the period."""
        return self.findings_for(
            evaluation, entry, evaluation.rating, evaluation.score, assessed, ward
        )

    def findings_for(
        self,
        evaluation: Evaluation,
        entry: RosterEntry,
        rating: Rating | None,
        score: int | None,
        assessed: Sequence[WorkplaceAssessment],
        ward: FinalisedRatings,
    ) -> list[Finding]:
        """What the rule set in force says of giving the evaluation this rating and score."""
        return self.policy.findings(
            facts_of(
                evaluation,
                entry,
                rating,
                score,
                assessed[0].rating if assessed else None,
                ward.besides(evaluation.id),
            )
        )

    async def finalised_ratings(self, cell_ids: Sequence[str], period: Period) -> FinalisedRatings:
        """The finalised ratings of a ward's cells for the period, to count the others' by."""
        return FinalisedRatings(await self.evaluations.finalised_ratings(cell_ids, period))
