"""Use cases of the evaluations service."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from evaluations import events
from evaluations.domain import (
    Assignment,
    AssignmentResult,
    DomainError,
    EvaluationState,
    Forbidden,
    KnownOrganisation,
    NotFound,
    Period,
    Placement,
    Rating,
    RosterEntry,
    SupervisionFeedback,
    WorkplaceAssessment,
    grassroots_of,
    required_text,
)
from evaluations.domain.evaluation import Evaluation, evaluation_id
from evaluations.domain.policy import Finding, Policy, PolicyFacts, RuleSet
from evaluations.service.ports import (
    AssignmentRepository,
    Enrolment,
    EvaluationRepository,
    Event,
    FeedbackRepository,
    Move,
    OrganisationDirectory,
    Roster,
    WorkplaceAssessmentRepository,
)
from evaluations.service.workplace import (
    AssessmentSubmission,
    CoveredCells,
    SubmissionResult,
    WorkplaceResults,
    everywhere,
)


class FinalisedRatings:
    """The final rating of each FINALISED evaluation of a ward's cells for a period, by id."""

    def __init__(self, by_evaluation: Mapping[str, Rating]) -> None:
        self.by_evaluation = by_evaluation
        self.counts = Counter(by_evaluation.values())

    def besides(self, evaluation_id: str) -> dict[Rating, int]:
        """The counts per rating of the others: the evaluation's own rating subtracted when it
        is one of them."""
        counts = dict(self.counts)
        if (own := self.by_evaluation.get(evaluation_id)) is not None:
            counts[own] -= 1
        return counts


class EvaluationService:
    def __init__(
        self,
        roster: Roster,
        organisations: OrganisationDirectory,
        assignments: AssignmentRepository,
        assessments: WorkplaceAssessmentRepository,
        feedback: FeedbackRepository,
        evaluations: EvaluationRepository,
        policy: Policy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.roster = roster
        self.organisations = organisations
        self.assignments = assignments
        self.assessments = assessments
        self.feedback = feedback
        self.evaluations = evaluations
        self.policy = policy or Policy()
        self.clock = clock
        # the quota counts the ward's other finalised ratings: two finalisations checked at
        # once would both see room for one more EXCELLENT, so they take turns
        self.finalising = asyncio.Lock()

    # the roster, from the members service's events

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        await self.roster.enrol(entry, version, event_id)

    async def enrol_many(self, enrolments: Sequence[Enrolment]) -> None:
        await self.roster.enrol_many(enrolments)

    async def update_profile(
        self, member_id: str, full_name: str, workplace_role: str | None, version: int
    ) -> None:
        await self.roster.update_profile(member_id, full_name, workplace_role, version)

    async def record_transfer(self, member_id: str, placement: Placement, event_id: str) -> None:
        await self.record_transfers([(member_id, placement, event_id)])

    async def record_transfers(self, moves: Sequence[Move]) -> None:
        """Members received by transfer: their new cell evaluates them from the day received,
        and their unfinalised evaluations of the periods since go with them."""
        if len({member_id for member_id, _, _ in moves}) < len(moves):
            # one member moved twice in a batch: their moves in order, one at a time
            for member_id, placement, event_id in moves:
                await self.roster.move(member_id, placement, event_id)
                await self.evaluations.follow_transfers([(member_id, placement, event_id)])
            return
        await self.roster.move_many(moves)
        await self.evaluations.follow_transfers(moves)

    async def learn_organisation(self, organisation: KnownOrganisation) -> None:
        await self.learn_organisations([organisation])

    async def learn_organisations(self, organisations: Sequence[KnownOrganisation]) -> None:
        """Keep them in order, with their ancestors when their events name none: those of the
        parent, known already or kept just before it."""
        parent_ids = [o.parent_id for o in organisations if o.parent_id and not o.ancestor_ids]
        known = {o.id: o for o in await self.organisations.many(parent_ids)} if parent_ids else {}
        kept = []
        for organisation in organisations:
            if not organisation.ancestor_ids and organisation.parent_id:
                parent = known.get(organisation.parent_id)
                ancestors = (
                    (*parent.ancestor_ids, parent.id) if parent else (organisation.parent_id,)
                )
                organisation = replace(organisation, ancestor_ids=tuple(ancestors))
            known[organisation.id] = organisation
            kept.append(organisation)
        await self.organisations.remember_many(kept)

    async def roster_entry(self, member_id: str) -> RosterEntry:
        entry = await self.roster.get(member_id)
        if entry is None:
            raise NotFound(
                f"No member {member_id} on the evaluations roster (yet).", memberId=member_id
            )
        return entry

    async def cell_for(self, member_id: str, period: Period) -> tuple[RosterEntry, str]:
        entry = await self.roster_entry(member_id)
        cell_id = entry.cell_for(period)
        if cell_id is None:
            raise NotFound(
                f"{entry.full_name} is evaluated by no cell for {period}.",
                memberId=member_id,
                period=str(period),
            )
        return entry, cell_id

    async def evaluated_by(self, member_id: str, period_text: str) -> str | None:
        entry = await self.roster.get(member_id)
        return entry.cell_for(Period.parse(period_text)) if entry else None

    # criterion (1): tasks the cell gives

    async def assign_task(
        self,
        member_id: str,
        period_text: str,
        task: str,
        assigned_on: date | None = None,
        due_on: date | None = None,
        cell_id: str | None = None,
    ) -> Assignment:
        """The cell gives a member a task for a period [phân công nhiệm vụ]."""
        period = Period.parse(period_text)
        _, evaluating_cell = await self.cell_for(member_id, period)
        if cell_id is not None and cell_id != evaluating_cell:
            raise Forbidden(
                f"Cell {cell_id} does not evaluate this member for {period}.",
                organisationId=cell_id,
                evaluatedBy=evaluating_cell,
            )
        assigned_on = assigned_on or self.clock().date()
        if due_on is not None and due_on < assigned_on:
            raise DomainError("A task is due on or after the day it is assigned.", field="dueOn")
        assignment = Assignment(
            id=str(uuid.uuid4()),
            member_id=member_id,
            cell_id=evaluating_cell,
            period=period,
            task=required_text(task, "task"),
            assigned_on=assigned_on,
            due_on=due_on,
        )
        await self.assignments.add(assignment)
        return assignment

    async def assignment(self, assignment_id: str) -> Assignment | None:
        return await self.assignments.get(assignment_id)

    async def record_assignment_result(
        self, assignment_id: str, result: AssignmentResult, note: str | None
    ) -> Assignment:
        """The cell records how a task went: DONE, PARTIAL or NOT_DONE, with a note."""
        assignment = await self.assignments.get(assignment_id)
        if assignment is None:
            raise NotFound(f"No assignment {assignment_id}.", id=assignment_id)
        assignment.record_result(result, note)
        await self.assignments.save_result(assignment)
        return assignment

    async def assignments_of(self, member_id: str, period_text: str | None) -> list[Assignment]:
        period = Period.parse(period_text) if period_text else None
        return await self.assignments.of_member(member_id, period)

    # criterion (2): job results shared by the ward's leaders and city systems

    async def submit_workplace_assessments(
        self,
        submitter: str,
        items: Sequence[AssessmentSubmission],
        *,
        submitted_by: str | None = None,
        covered: CoveredCells = everywhere,
    ) -> list[SubmissionResult]:
        """Record job results in bulk; each item stands alone, a resend stores nothing twice.

        `submitted_by` is who sent them as authenticated (by default the `submitter` they name
        themselves); only members whose evaluating cell `covered` allows are recorded."""
        return await WorkplaceResults(self.assessments, self.roster.many).submit(
            submitted_by or submitter, submitter, items, self.clock(), covered
        )

    async def workplace_assessments_of(
        self, member_id: str, period_text: str
    ) -> list[WorkplaceAssessment]:
        return await self.assessments.of_member(member_id, Period.parse(period_text))

    # supervision by fellow members of the residential cell

    async def add_supervision_feedback(
        self, member_id: str, by_member_id: str, period_text: str, comment: str
    ) -> SupervisionFeedback:
        """A fellow member of the same residential cell comments on a cadre member."""
        period = Period.parse(period_text)
        entry, cell_id = await self.cell_for(member_id, period)
        if by_member_id == member_id:
            raise Forbidden("Members do not supervise themselves.", field="byMemberId")
        _, by_cell_id = await self.cell_for(by_member_id, period)
        if by_cell_id != cell_id:
            raise Forbidden(
                f"Only members of the cell that evaluates {entry.full_name} for {period} "
                "may give supervision feedback.",
                organisationId=cell_id,
            )
        cell = await self.organisations.get(cell_id)
        if cell is None or not cell.is_residential_cell:
            raise DomainError(
                "Supervision feedback is given within a residential cell [chi bộ địa bàn dân cư].",
                organisationId=cell_id,
            )
        if not entry.workplace_results_required:
            raise DomainError(
                f"{entry.full_name} is not a ward cadre, civil servant or non-specialised "
                "worker: supervision feedback is about them.",
                memberId=member_id,
            )
        feedback = SupervisionFeedback(
            id=str(uuid.uuid4()),
            member_id=member_id,
            by_member_id=by_member_id,
            cell_id=cell_id,
            period=period,
            comment=required_text(comment, "comment"),
            given_at=self.clock(),
        )
        await self.feedback.add(feedback)
        return feedback

    async def feedback_of(self, member_id: str, period: Period) -> list[SupervisionFeedback]:
        return await self.feedback.of_member(member_id, period)

    # evaluations

    async def evaluation(self, evaluation_id_text: str) -> Evaluation:
        [found] = await self.evaluations_by_id([evaluation_id_text])
        if found is None:
            raise NotFound(f"No evaluation {evaluation_id_text}.", id=evaluation_id_text)
        return found

    async def evaluations_by_id(self, ids: Sequence[str]) -> list[Evaluation | None]:
        """Each evaluation as stored, else the DRAFT of a member the roster places in a cell for
        the period; None for an id that names neither. Two queries for any number of ids."""
        stored = {evaluation.id: evaluation for evaluation in await self.evaluations.many(ids)}
        wanted = {i: _member_and_period(i) for i in ids if i not in stored}
        members = sorted({member for member, _ in filter(None, wanted.values())})
        entries = {entry.member_id: entry for entry in await self.roster.many(members)}
        found: list[Evaluation | None] = []
        for i in ids:
            key = wanted.get(i)
            entry = entries.get(key[0]) if key else None
            cell_id = entry.cell_for(key[1]) if entry and key else None
            if i in stored:
                found.append(stored[i])
            elif key and cell_id:
                found.append(Evaluation.start(key[0], cell_id, key[1]))
            else:
                found.append(None)
        return found

    async def evaluations_of(self, member_id: str, period_text: str | None) -> list[Evaluation]:
        """A member's evaluations; for a given period, a DRAFT until the cell starts it."""
        if period_text is None:
            return await self.evaluations.of_member(member_id)
        period = Period.parse(period_text)
        entry = await self.roster.get(member_id)
        if entry is None or entry.cell_for(period) is None:
            stored = await self.evaluations.get(evaluation_id(member_id, period))
            return [stored] if stored else []
        return [await self._current(member_id, period)]

    async def evaluations_in(
        self,
        organisation_id: str,
        period_text: str,
        state: EvaluationState | None,
        member_id: str | None = None,
    ) -> list[Evaluation]:
        """The evaluations made by the cells of an organisation for a period, drafts included
        (with `member_id`, only that member's)."""
        if member_id is not None:
            cells = await self.organisations.cells_within(organisation_id) or [organisation_id]
            own = await self.evaluations_of(member_id, period_text)
            return [e for e in own if e.cell_id in cells and (state is None or e.state is state)]
        everyone, _ = await self.evaluations_and_roster_in(organisation_id, period_text)
        return [e for e in everyone if state is None or e.state is state]

    async def evaluations_and_roster_in(
        self, organisation_id: str, period_text: str
    ) -> tuple[list[Evaluation], dict[str, RosterEntry]]:
        """Every evaluation the cells of an organisation make for a period (drafts for those
        who have none yet), by member, and the roster entries of everyone ever in those cells
        (the roster read once)."""
        period = Period.parse(period_text)
        cells = await self.organisations.cells_within(organisation_id) or [organisation_id]
        stored, entries = await asyncio.gather(
            self.evaluations.in_cells(cells, period), self.roster.in_cells(cells)
        )
        started = {evaluation.member_id for evaluation in stored}
        drafts = [
            Evaluation.start(entry.member_id, cell_id, period)
            for entry in entries
            if (cell_id := entry.cell_for(period)) in cells and entry.member_id not in started
        ]
        everyone = sorted([*stored, *drafts], key=lambda e: e.member_id)
        return everyone, {entry.member_id: entry for entry in entries}

    async def _current(self, member_id: str, period: Period) -> Evaluation:
        stored = await self.evaluations.get(evaluation_id(member_id, period))
        _, cell_id = await self.cell_for(member_id, period)
        if stored is None:
            return Evaluation.start(member_id, cell_id, period)
        if stored.state is not EvaluationState.FINALISED:
            stored.cell_id = cell_id
        return stored

    async def self_assess(
        self,
        member_id: str,
        period_text: str,
        rating: Rating,
        comment: str | None,
        subject: str | None = None,
    ) -> Evaluation:
        """The member's own assessment of the period (forms 2A/2B/2C)."""
        evaluation = await self._current(member_id, Period.parse(period_text))
        evaluation.self_assess(rating, comment, self.clock(), subject)
        await self.evaluations.save(evaluation, [])
        return evaluation

    async def propose_rating(
        self,
        member_id: str,
        period_text: str,
        rating: Rating,
        score: int | None,
        note: str | None,
        by: str,
        subject: str | None = None,
    ) -> Evaluation:
        """The cell proposes the member's rating for the period; `by` is who proposes for the
        cell as written, `subject` the authenticated caller."""
        evaluation = await self._current(member_id, Period.parse(period_text))
        evaluation.propose(rating, score, note, required_text(by, "by"), self.clock(), subject)
        await self.evaluations.save(evaluation, [])
        return evaluation

    async def finalise_rating(
        self,
        evaluation_id_text: str,
        rating: Rating,
        score: int | None,
        overrides: dict[str, str],
        by: str,
        subject: str | None = None,
    ) -> Evaluation:
        """The ward committee decides the rating, checked by the rule set in force."""
        async with self.finalising:
            evaluation = await self.evaluation(evaluation_id_text)
            entry = await self.roster_entry(evaluation.member_id)
            findings = await self._findings(evaluation, entry, rating, score)
            self.finalise(evaluation, rating, score, findings, overrides, by, subject)
            await self.evaluations.save(evaluation, [self.finalised_event(evaluation)])
        return evaluation

    def finalise(
        self,
        evaluation: Evaluation,
        rating: Rating,
        score: int | None,
        findings: list[Finding],
        overrides: dict[str, str],
        by: str,
        subject: str | None,
    ) -> None:
        """The evaluation finalised in memory, if the findings allow it (see finalise_rating)."""
        evaluation.finalise(
            rating, score, findings, overrides, required_text(by, "by"), self.clock(), subject
        )

    def finalised_event(self, evaluation: Evaluation) -> Event:
        rule_set = self.policy.rule_set_for(evaluation.period)
        return events.evaluation_finalised(evaluation, rule_set.name)

    async def policy_findings(self, evaluation: Evaluation) -> list[Finding]:
        """What the rule set in force says of the evaluation's rating as it stands."""
        entry = await self.roster.get(evaluation.member_id)
        if entry is None:
            return []
        return await self._findings(evaluation, entry, evaluation.rating, evaluation.score)

    def rule_set_for(self, period_text: str) -> RuleSet:
        return self.policy.rule_set_for(Period.parse(period_text))

    async def _findings(
        self, evaluation: Evaluation, entry: RosterEntry, rating: Rating | None, score: int | None
    ) -> list[Finding]:
        assessed = await self.assessments.of_member(evaluation.member_id, evaluation.period)
        ward = await self.finalised_ratings(
            await self.grassroots_cells(evaluation.cell_id), evaluation.period
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

    async def grassroots_cells(self, cell_id: str) -> list[str]:
        """The cells of the grassroots party organisation (the ward) a cell belongs to."""
        [cells] = await self.grassroots_cells_of([cell_id])
        return cells

    async def grassroots_cells_of(self, cell_ids: Sequence[str]) -> list[list[str]]:
        """`grassroots_cells` of each cell, each ward's cells looked up once."""
        known = {cell.id: cell for cell in await self.organisations.many(cell_ids)}
        ancestor_ids = sorted({a for cell in known.values() for a in cell.ancestor_ids})
        ancestors = {a.id: a for a in await self.organisations.many(ancestor_ids)}
        ward_of = {
            i: grassroots_of(cell, [ancestors[a] for a in cell.ancestor_ids if a in ancestors])
            for i, cell in known.items()
        }
        wards = sorted(set(ward_of.values()))
        cells_of = dict(
            zip(
                wards,
                await asyncio.gather(*(self.organisations.cells_within(w) for w in wards)),
                strict=True,
            )
        )
        return [sorted({i, *cells_of[ward_of[i]]}) if i in ward_of else [i] for i in cell_ids]


def _member_and_period(evaluation_id_text: str) -> tuple[str, Period] | None:
    member_id, _, period_text = evaluation_id_text.rpartition(":")
    try:
        return (member_id, Period.parse(period_text)) if member_id else None
    except DomainError:
        return None


def facts_of(
    evaluation: Evaluation,
    entry: RosterEntry,
    rating: Rating | None,
    score: int | None,
    workplace_rating: Rating | None,
    others_finalised: dict[Rating, int],
) -> PolicyFacts:
    return PolicyFacts(
        period=evaluation.period,
        rating=rating,
        score=score,
        workplace_results_required=entry.workplace_results_required,
        workplace_rating=workplace_rating,
        ward_excellent=others_finalised.get(Rating.EXCELLENT, 0),
        ward_good=others_finalised.get(Rating.GOOD, 0),
    )
