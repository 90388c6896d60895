"""What the cells of an organisation made of a period: Organisation.evaluationSummary."""

from collections import Counter
from dataclasses import dataclass, field

from evaluations.domain import (
    Evaluation,
    EvaluationState,
    FinalisedRatings,
    Finding,
    Period,
    Rating,
    RuleSet,
    facts_of,
)
from evaluations.service.evaluations import EvaluationService
from evaluations.service.findings import PolicyFindings
from evaluations.service.ports import SummaryCounts
from evaluations.service.roster import RosterService
from evaluations.service.workplace import WorkplaceResults


@dataclass(frozen=True)
class FindingOnEvaluation:
    evaluation: Evaluation
    finding: Finding
    overridden_because: str | None


@dataclass
class EvaluationSummary:
    organisation_id: str
    period: Period
    rule_set: RuleSet
    evaluated: int = 0
    by_rating: Counter[Rating] = field(default_factory=Counter)
    by_state: Counter[EvaluationState] = field(default_factory=Counter)
    missing_workplace_assessment: list[str] = field(default_factory=list)
    findings: list[FindingOnEvaluation] = field(default_factory=list)

    @property
    def finalised(self) -> int:
        return self.by_state[EvaluationState.FINALISED]

    def share(self, rating: Rating) -> float:
        return self.by_rating[rating] / self.finalised if self.finalised else 0.0


@dataclass(frozen=True)
class SummaryCountsRead:
    """The counts of an organisation's summary as the kept counts give them."""

    period: Period
    evaluated: int
    by_state: Counter[EvaluationState]
    by_rating: Counter[Rating]
    missing_workplace_assessment: int
    documents_read: int


class Reports:
    def __init__(
        self,
        evaluations: EvaluationService,
        workplace: WorkplaceResults,
        roster: RosterService,
        findings: PolicyFindings,
        counts: SummaryCounts,
    ) -> None:
        self.evaluations = evaluations
        self.workplace = workplace
        self.roster = roster
        self.findings = findings
        self.counts = counts

    def rule_set_of(self, period_text: str) -> RuleSet:
        return self.findings.rule_set_for(period_text)

    async def summary_counts(self, organisation_id: str, period_text: str) -> SummaryCountsRead:
        """The summary's counts (evaluated, by state, by rating) from the counts the roster's
        and the evaluations' writes keep per cell: no member read."""
        period = Period.parse(period_text)
        cells = await self.roster.cells_within(organisation_id, period.ends_on)
        counted = await self.counts.counted(cells, period)
        drafts = counted.on_roster - counted.stored_on_roster
        by_state = Counter({EvaluationState(s): n for s, n in counted.by_state.items()})
        by_state[EvaluationState.DRAFT] += drafts
        return SummaryCountsRead(
            period=period,
            evaluated=sum(counted.by_state.values()) + drafts,
            by_state=by_state,
            by_rating=Counter({Rating(r): n for r, n in counted.by_rating.items()}),
            missing_workplace_assessment=counted.missing_workplace_assessment,
            documents_read=counted.documents_read,
        )

    async def evaluation_summary(self, organisation_id: str, period_text: str) -> EvaluationSummary:
        """Counts and shares per rating, who lacks job results, proposals waiting, findings."""
        period = Period.parse(period_text)
        evaluations, roster = await self.evaluations.evaluations_and_roster_in(
            organisation_id, period_text
        )
        entries = {e.member_id: roster[e.member_id] for e in evaluations if e.member_id in roster}
        summary = EvaluationSummary(organisation_id, period, self.findings.rule_set_of(period))
        summary.evaluated = len(evaluations)
        workplace = await self.workplace.latest_ratings(list(entries), period)
        ranked = sorted({e.cell_id for e in evaluations if e.state is not EvaluationState.DRAFT})
        of_ranked = await self.roster.grassroots_cells_of(ranked, period.ends_on)
        ward_cells = dict(zip(ranked, map(tuple, of_ranked), strict=True))
        wards: dict[tuple[str, ...], FinalisedRatings] = {}
        for cells in set(ward_cells.values()):
            wards[cells] = await self.findings.finalised_ratings(cells, period)
        for evaluation in evaluations:
            summary.by_state[evaluation.state] += 1
            if evaluation.final_rating is not None:
                summary.by_rating[evaluation.final_rating] += 1
            entry = entries.get(evaluation.member_id)
            if entry is None:
                continue
            if entry.workplace_results_required and entry.member_id not in workplace:
                summary.missing_workplace_assessment.append(entry.member_id)
            if evaluation.state is EvaluationState.DRAFT:
                continue
            facts = facts_of(
                evaluation,
                entry,
                evaluation.rating,
                evaluation.score,
                workplace.get(entry.member_id),
                wards[ward_cells[evaluation.cell_id]].besides(evaluation.id),
            )
            overrides = {o.rule: o.reason for o in evaluation.overrides}
            summary.findings.extend(
                FindingOnEvaluation(evaluation, finding, overrides.get(finding.rule))
                for finding in summary.rule_set.findings(facts)
            )
        return summary
