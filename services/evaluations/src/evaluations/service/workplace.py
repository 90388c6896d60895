"""Job results sent in bulk by people and city systems: each item checked on its own, and a
resend with the same external ids from the same sender stores nothing twice."""

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kit.errors import Forbidden

from evaluations import events
from evaluations.domain import (
    AssessorRole,
    Conflict,
    DomainError,
    NotFound,
    Period,
    Rating,
    RosterEntry,
    WorkplaceAssessment,
    required_text,
    workplace_assessment_id,
)
from evaluations.service.ports import WorkplaceAssessmentRepository
from evaluations.service.roster import RosterService


class Outcome(Enum):
    RECORDED = "RECORDED"
    ALREADY_RECORDED = "ALREADY_RECORDED"
    REJECTED = "REJECTED"


@dataclass(frozen=True)
class AssessmentSubmission:
    """One item of a bulk submission, as sent: each is checked on its own."""

    external_id: str
    member_id: str
    period: str
    assessor_role: str
    assessor_name: str
    rating: str
    comment: str | None = None


# Of these evaluating cells (None: the member has none, or is unknown), those the sender may
# send results for; the others' items are refused FORBIDDEN
CoveredCells = Callable[[Collection[str | None]], Awaitable[set[str | None]]]


async def everywhere(cells: Collection[str | None]) -> set[str | None]:
    return set(cells)


@dataclass(frozen=True)
class SubmissionResult:
    index: int
    external_id: str
    outcome: Outcome
    assessment: WorkplaceAssessment | None = None
    error: DomainError | Forbidden | None = None
    cell_id: str | None = None  # the member's evaluating cell for the period


@dataclass(frozen=True)
class _Parsed:
    index: int
    item: AssessmentSubmission
    external_id: str
    period: Period
    role: AssessorRole
    rating: Rating


class WorkplaceResults:
    def __init__(
        self,
        assessments: WorkplaceAssessmentRepository,
        roster: RosterService,
        clock: Callable[[], datetime],
    ) -> None:
        self.assessments = assessments
        self.roster = roster
        self.clock = clock

    async def submit(
        self,
        submitter: str,
        items: Sequence[AssessmentSubmission],
        *,
        submitted_by: str | None = None,
        covered: CoveredCells = everywhere,
    ) -> list[SubmissionResult]:
        """Record job results in bulk; each item stands alone, a resend stores nothing twice.

        `submitted_by` is who sent them as authenticated (by default the `submitter` they name
        themselves): it keys the idempotency. Items whose member's evaluating cell `covered`
        does not allow are refused before anything stored about them is looked at."""
        submitted_by = submitted_by or submitter
        now = self.clock()
        submitter = required_text(submitter, "submitter")
        results: dict[int, SubmissionResult] = {}
        parsed: list[_Parsed] = []
        for index, item in enumerate(items):
            try:
                parsed.append(self._parsed(index, item))
            except DomainError as error:
                results[index] = SubmissionResult(
                    index, item.external_id, Outcome.REJECTED, error=error
                )
        members = sorted({p.item.member_id for p in parsed})
        entries = {e.member_id: e for e in await self.roster.entries(members) if e is not None}
        cells = {
            p.index: entry.cell_for(p.period) if (entry := entries.get(p.item.member_id)) else None
            for p in parsed
        }
        allowed = await covered(set(cells.values()))
        accepted: dict[str, tuple[int, WorkplaceAssessment]] = {}
        for p in parsed:
            cell = cells[p.index]
            try:
                if cell not in allowed:
                    raise Forbidden
                assessment = self._checked(submitted_by, submitter, p, entries, now)
            except (DomainError, Forbidden) as error:
                results[p.index] = SubmissionResult(
                    p.index, p.item.external_id, Outcome.REJECTED, error=error
                )
                continue
            if assessment.id in accepted:
                results[p.index] = SubmissionResult(
                    p.index, p.external_id, Outcome.ALREADY_RECORDED, assessment, cell_id=cell
                )
                continue
            accepted[assessment.id] = (p.index, assessment)
        stored = await self.assessments.record(
            [(a, events.workplace_assessment_recorded(a)) for _, a in accepted.values()]
        )
        earlier = {a.id: a for a in await self.assessments.many(list(set(accepted) - stored))}
        for assessment_id, (index, assessment) in accepted.items():
            cell = cells[index]
            if assessment_id in stored:
                results[index] = SubmissionResult(
                    index, assessment.external_id, Outcome.RECORDED, assessment, cell_id=cell
                )
            elif same_assessment(earlier.get(assessment_id), assessment):
                results[index] = SubmissionResult(
                    index,
                    assessment.external_id,
                    Outcome.ALREADY_RECORDED,
                    earlier[assessment_id],
                    cell_id=cell,
                )
            else:
                results[index] = SubmissionResult(
                    index,
                    assessment.external_id,
                    Outcome.REJECTED,
                    error=Conflict(
                        f"External id {assessment.external_id} was already used by this sender "
                        "for a different assessment.",
                        field="externalId",
                    ),
                )
        return [results[index] for index in sorted(results)]

    async def of_member(self, member_id: str, period_text: str) -> list[WorkplaceAssessment]:
        """A member's job results for a period, newest first."""
        return await self.assessments.of_member(member_id, Period.parse(period_text))

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[WorkplaceAssessment]]:
        """Each member's, newest first, in one query (members with none left out)."""
        return await self.assessments.of_members(member_ids, period)

    async def latest_ratings(self, member_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        return await self.assessments.latest_ratings(member_ids, period)

    @staticmethod
    def _parsed(index: int, item: AssessmentSubmission) -> _Parsed:
        """What can be checked of the item alone, before anything stored is looked at."""
        return _Parsed(
            index,
            item,
            required_text(item.external_id, "externalId"),
            Period.parse(item.period),
            AssessorRole.parse(item.assessor_role),
            Rating.parse(item.rating),
        )

    @staticmethod
    def _checked(
        submitted_by: str,
        submitter: str,
        p: _Parsed,
        entries: dict[str, RosterEntry],
        now: datetime,
    ) -> WorkplaceAssessment:
        item = p.item
        if item.member_id not in entries:
            raise NotFound(
                f"No member {item.member_id} on the evaluations roster (yet).",
                memberId=item.member_id,
                field="memberId",
            )
        return WorkplaceAssessment(
            id=workplace_assessment_id(submitted_by, p.external_id),
            external_id=p.external_id,
            submitter=submitter,
            submitted_by=submitted_by,
            member_id=item.member_id,
            period=p.period,
            assessor_role=p.role,
            assessor_name=required_text(item.assessor_name, "assessorName"),
            rating=p.rating,
            comment=item.comment.strip() if item.comment and item.comment.strip() else None,
            recorded_at=now,
        )


def same_assessment(earlier: WorkplaceAssessment | None, new: WorkplaceAssessment) -> bool:
    if earlier is None:
        return False
    return (earlier.member_id, earlier.period, earlier.assessor_role, earlier.rating) == (
        new.member_id,
        new.period,
        new.assessor_role,
        new.rating,
    )
