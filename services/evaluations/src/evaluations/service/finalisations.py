"""The ward committee's decision: one rating finalised (`finalise_rating`), or a cell's (or a
ward's) ratings for a period in one call, each answered on its own, by the same rules and in
one bulk write (`finalise`).

The EXCELLENT quota counts the ward's finalised ratings as the batch goes: the batch's other
ratings are finalised before its EXCELLENT ones, in the order given, so that the quota holds
at the end as it would after finalising them one by one in that order.

Replicas finalising at once: an EXCELLENT rating the quota counts takes its place in the
ward's places document (`ExcellentPlaces`) before it is written, by one conditional update,
and gives it back when the write fails or the rating is reopened; a replica that finds the
last place taken meanwhile reads the ward again, and the quota refuses."""

import copy
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime

from evaluations import events
from evaluations.domain import (
    Conflict,
    DomainError,
    Evaluation,
    EvaluationState,
    FinalisedRatings,
    InvalidTransition,
    NotFound,
    Period,
    Rating,
    RosterEntry,
    WorkplaceAssessment,
    evaluation_id,
    required_text,
)
from evaluations.service.commands import FinaliseRating, FinaliseRatings
from evaluations.service.evaluations import EvaluationService
from evaluations.service.findings import PolicyFindings
from evaluations.service.ports import EvaluationRepository, WorkplaceAssessmentRepository
from evaluations.service.rating_decisions import (
    Decided,
    FinalisationOutcome,
    FinalisationResult,
    MayFinalise,
    RatingDecision,
    anywhere,
    finalised_as,
    refusal_of,
    refused,
)
from evaluations.service.roster import RosterService
from evaluations.service.ward_places import COUNTED, PLACE_ATTEMPTS, WardPlaces


class Finalisations:
    def __init__(
        self,
        evaluations: EvaluationRepository,
        assessments: WorkplaceAssessmentRepository,
        reading: EvaluationService,
        roster: RosterService,
        findings: PolicyFindings,
        places: WardPlaces,
        clock: Callable[[], datetime],
    ) -> None:
        self.evaluations = evaluations
        self.assessments = assessments
        self.reading = reading
        self.roster = roster
        self.findings = findings
        self.places = places
        self.clock = clock

    async def finalise_rating(
        self, command: FinaliseRating, by: str, subject: str | None = None
    ) -> Evaluation:
        """The ward committee decides the rating, checked by the rule set in force."""
        c, rating = command, command.rating
        evaluation = await self.reading.evaluation(c.evaluation_id)
        entry = await self.roster.entry(evaluation.member_id)
        [(ward_id, cells)] = await self.roster.grassroots_of(
            [evaluation.cell_id], evaluation.period.ends_on
        )
        assessed = await self.assessments.of_member(evaluation.member_id, evaluation.period)
        ward = await self.places.ward(ward_id, cells, evaluation.period)
        decided = RatingDecision(evaluation.member_id, rating, c.score, c.overrides)
        finalised, _ = await self._finalised(
            Decided(decided, evaluation, ward_id, tuple(cells)),
            rating,
            entry,
            assessed,
            ward,
            required_text(by, "by"),
            subject,
        )
        try:
            await self.evaluations.save(finalised, [self.findings.finalised_event(finalised)])
        except BaseException:
            await self.places.give_back_unless_written(ward_id, finalised)
            raise
        return finalised

    async def reopen_rating(
        self, evaluation_id_text: str, reason: str, by: str, subject: str | None = None
    ) -> Evaluation:
        """The ward committee takes back a finalised rating with its reason: PROPOSED again,
        the old rating kept; finalising it anew meets the rules (the EXCELLENT quota among
        them) as they stand then."""
        evaluation = await self.reading.evaluation(evaluation_id_text)
        was = evaluation.final_rating
        evaluation.reopen(reason, required_text(by, "by"), self.clock(), subject)
        period = evaluation.period
        counted = self.findings.excellent_quota(period) is not None and was in COUNTED
        if counted:
            [(ward_id, cells)] = await self.roster.grassroots_of(
                [evaluation.cell_id], period.ends_on
            )
            await self.places.ward(ward_id, cells, period)  # its places begun, to change them
        if counted and was is Rating.GOOD:  # less room for EXCELLENT: before the write
            await self.places.give_back(ward_id, period, evaluation.id, Rating.GOOD)
        try:
            await self.evaluations.save(evaluation, [events.evaluation_reopened(evaluation)])
        except BaseException:
            if (
                counted
                and was is Rating.GOOD
                and await self.places.stored_as(evaluation, Rating.GOOD)
            ):
                await self.places.count_good(ward_id, period, [evaluation.id])
            raise
        if counted and was is Rating.EXCELLENT:  # more room: after the write
            await self.places.give_back(ward_id, period, evaluation.id, Rating.EXCELLENT)
        return evaluation

    async def finalise(
        self,
        command: FinaliseRatings,
        by: str,
        subject: str | None = None,
        may_finalise: MayFinalise = anywhere,
    ) -> list[FinalisationResult]:
        """Finalise the ratings of the organisation's cells for the period: those decided, or
        (no decisions given) every PROPOSED one at the cell's proposal."""
        period, decisions = Period.parse(command.period), command.decisions
        cells = set(await self.roster.cells_within(command.organisation_id, period.ends_on))
        found: list[Evaluation | None]
        if decisions is None:  # every PROPOSED one, as read here (not read again)
            proposed = await self.evaluations.in_cells(
                sorted(cells), period, EvaluationState.PROPOSED
            )
            ordered = sorted(proposed, key=_by_id)
            decisions = [RatingDecision(e.member_id) for e in ordered]
            ids, found = [e.id for e in ordered], list(ordered)
        else:
            ids = [evaluation_id(d.member_id, period) for d in decisions]
            if len(set(ids)) != len(ids):
                raise DomainError("A member is listed twice.", field="ratings")
            found = await self.reading.evaluations_by_id(ids)
        allowed = await may_finalise({e.cell_id for e in found if e is not None})
        results: dict[str, FinalisationResult] = {}
        to_finalise: list[Decided] = []
        for decision, i, evaluation in zip(decisions, ids, found, strict=True):
            refusal = refusal_of(i, evaluation, cells, allowed)
            if refusal is not None:
                results[i] = refused(i, decision.member_id, refusal)
            elif evaluation is not None and finalised_as(evaluation, decision):
                results[i] = FinalisationResult(
                    i, decision.member_id, FinalisationOutcome.ALREADY_FINALISED, evaluation
                )
            elif evaluation is not None:
                to_finalise.append(Decided(decision, evaluation))
        results |= await self._finalise(period, to_finalise, by, subject)
        return [results[i] for i in ids]

    async def _finalise(
        self, period: Period, decided: list[Decided], by: str, subject: str | None
    ) -> dict[str, FinalisationResult]:
        if not decided:
            return {}
        members = [d.evaluation.member_id for d in decided]
        entries = {e.member_id: e for e in await self.roster.entries(members) if e is not None}
        assessed = await self.assessments.of_members(members, period)
        for d, (ward, cells) in zip(
            decided,
            await self.roster.grassroots_of(
                [d.evaluation.cell_id for d in decided], period.ends_on
            ),
            strict=True,
        ):
            d.ward, d.cells = ward, tuple(cells)
        cells_of = {d.ward: d.cells for d in decided}
        wards = {
            ward: await self.places.ward(ward, cells, period) for ward, cells in cells_of.items()
        }
        results: dict[str, FinalisationResult] = {}
        finalised: list[Evaluation] = []
        uncounted_good: dict[str, list[str]] = defaultdict(list)  # counted at once, by ward
        for d in sorted(decided, key=lambda d: d.rating is Rating.EXCELLENT):
            evaluation, rating = d.evaluation, d.rating
            try:
                entry = entries.get(evaluation.member_id)
                if entry is None:
                    raise NotFound(
                        f"No member {evaluation.member_id} on the evaluations roster (yet).",
                        memberId=evaluation.member_id,
                    )
                if rating is None:
                    raise InvalidTransition(
                        f"The evaluation {evaluation.id} has no proposed rating to finalise.",
                        state=evaluation.state.value,
                    )
                evaluation, wards[d.ward] = await self._finalised(
                    d,
                    rating,
                    entry,
                    assessed.get(entry.member_id, []),
                    wards[d.ward],
                    required_text(by, "by"),
                    subject,
                    uncounted_good,
                )
            except DomainError as refusal:
                results[evaluation.id] = refused(evaluation.id, evaluation.member_id, refusal)
                continue
            counted = wards[d.ward].by_evaluation
            wards[d.ward] = FinalisedRatings({**counted, evaluation.id: rating})
            finalised.append(evaluation)
        for ward, good in uncounted_good.items():
            await self.places.count_good(ward, period, good)
        written = await self.evaluations.save_many(
            [(evaluation, [self.findings.finalised_event(evaluation)]) for evaluation in finalised]
        )
        ward_of = {d.evaluation.id: d.ward for d in decided}
        for evaluation in finalised:
            i = evaluation.id
            if i not in written:
                await self.places.give_back_unless_written(ward_of[i], evaluation)
            results[i] = (
                FinalisationResult(
                    i, evaluation.member_id, FinalisationOutcome.FINALISED, evaluation
                )
                if i in written
                else refused(
                    i,
                    evaluation.member_id,
                    Conflict(
                        f"The evaluation {i} changed meanwhile: read it again and retry.", id=i
                    ),
                )
            )
        return results

    async def _finalised(
        self,
        d: Decided,
        rating: Rating,
        entry: RosterEntry,
        assessed: Sequence[WorkplaceAssessment],
        ward: FinalisedRatings,
        by: str,
        subject: str | None,
        uncounted_good: dict[str, list[str]] | None = None,
    ) -> tuple[Evaluation, FinalisedRatings]:
        """A copy of the evaluation finalised as decided and counted in the ward's places, and
        the ward as last read; when another replica took the last EXCELLENT place meanwhile
        (or a GOOD was reopened), the ward is read again and the quota refuses."""
        for _ in range(PLACE_ATTEMPTS):
            evaluation = copy.deepcopy(d.evaluation)
            findings = self.findings.findings_for(
                evaluation, entry, rating, d.score, assessed, ward
            )
            evaluation.finalise(
                rating, d.score, findings, d.decision.overrides, by, self.clock(), subject
            )
            if await self.places.take_place(d.ward, evaluation, uncounted_good):
                return evaluation, ward
            ward = await self.places.ward(d.ward, d.cells, evaluation.period)
        raise Conflict(
            f"The ward's EXCELLENT places for {d.evaluation.period} changed meanwhile: retry.",
            id=d.evaluation.id,
        )


def _by_id(evaluation: Evaluation) -> str:
    return evaluation.id
