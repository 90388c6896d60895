"""Job results sent in bulk by people and city systems: each item checked on its own, and a
resend with the same external ids stores nothing twice."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from evaluations import events
from evaluations.domain import (
    AssessorRole,
    Conflict,
    DomainError,
    NotFound,
    Period,
    Rating,
    WorkplaceAssessment,
    required_text,
    workplace_assessment_id,
)
from evaluations.ports import WorkplaceAssessmentRepository


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


@dataclass(frozen=True)
class SubmissionResult:
    index: int
    external_id: str
    outcome: Outcome
    assessment: WorkplaceAssessment | None = None
    error: DomainError | None = None


class WorkplaceResults:
    def __init__(
        self,
        assessments: WorkplaceAssessmentRepository,
        on_roster: Callable[[Sequence[str]], Awaitable[set[str]]],
    ) -> None:
        self.assessments = assessments
        self.on_roster = on_roster  # which of these members the roster knows, in one query

    async def submit(
        self, submitter: str, items: Sequence[AssessmentSubmission], now: datetime
    ) -> list[SubmissionResult]:
        submitter = required_text(submitter, "submitter")
        known = await self.on_roster(sorted({item.member_id for item in items}))
        results: dict[int, SubmissionResult] = {}
        accepted: dict[str, tuple[int, WorkplaceAssessment]] = {}
        for index, item in enumerate(items):
            try:
                assessment = self._checked(submitter, item, known, now)
            except DomainError as error:
                results[index] = SubmissionResult(
                    index, item.external_id, Outcome.REJECTED, error=error
                )
                continue
            if assessment.id in accepted:
                results[index] = SubmissionResult(
                    index, item.external_id, Outcome.ALREADY_RECORDED, assessment
                )
                continue
            accepted[assessment.id] = (index, assessment)
        stored = await self.assessments.record(
            [(a, events.workplace_assessment_recorded(a)) for _, a in accepted.values()]
        )
        earlier = {a.id: a for a in await self.assessments.many(list(set(accepted) - stored))}
        for assessment_id, (index, assessment) in accepted.items():
            if assessment_id in stored:
                results[index] = SubmissionResult(
                    index, assessment.external_id, Outcome.RECORDED, assessment
                )
            elif same_assessment(earlier.get(assessment_id), assessment):
                results[index] = SubmissionResult(
                    index, assessment.external_id, Outcome.ALREADY_RECORDED, earlier[assessment_id]
                )
            else:
                results[index] = SubmissionResult(
                    index,
                    assessment.external_id,
                    Outcome.REJECTED,
                    error=Conflict(
                        f"External id {assessment.external_id} was already used by {submitter} "
                        "for a different assessment.",
                        field="externalId",
                    ),
                )
        return [results[index] for index in sorted(results)]

    def _checked(
        self, submitter: str, item: AssessmentSubmission, known: set[str], now: datetime
    ) -> WorkplaceAssessment:
        external_id = required_text(item.external_id, "externalId")
        period = Period.parse(item.period)
        role = AssessorRole.parse(item.assessor_role)
        rating = Rating.parse(item.rating)
        if item.member_id not in known:
            raise NotFound(
                f"No member {item.member_id} on the evaluations roster (yet).",
                memberId=item.member_id,
                field="memberId",
            )
        return WorkplaceAssessment(
            id=workplace_assessment_id(submitter, external_id),
            external_id=external_id,
            submitter=submitter,
            member_id=item.member_id,
            period=period,
            assessor_role=role,
            assessor_name=required_text(item.assessor_name, "assessorName"),
            rating=rating,
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
