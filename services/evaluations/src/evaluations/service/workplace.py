"""Job results sent in bulk by people and city systems: each item checked on its own, and a
resend with the same external ids from the same sender stores nothing twice."""

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kit.errors import Forbidden
from kit.pseudonyms import DEVELOPMENT_SECRET, KeyDigests, KeyKind

from evaluations import events
from evaluations.domain import (
    AssessorRole,
    Conflict,
    DomainError,
    MemberKey,
    NotFound,
    Period,
    Rating,
    RosterEntry,
    WorkplaceAssessment,
    member_key,
    required_text,
    workplace_assessment_id,
)
from evaluations.service.ports import WorkplaceAssessmentRepository
from evaluations.service.roster import RosterService

DEVELOPMENT_DIGESTS = KeyDigests(DEVELOPMENT_SECRET)  # main gives the configured secret's


class Outcome(Enum):
    RECORDED = "RECORDED"
    ALREADY_RECORDED = "ALREADY_RECORDED"
    REJECTED = "REJECTED"


@dataclass(frozen=True)
class AssessmentSubmission:
    """One item of a bulk submission, as sent: each is checked on its own. The member is named
    by exactly one of `member_id`, `card_number` or `citizen_id`."""

    external_id: str
    member_id: str | None
    period: str
    assessor_role: str
    assessor_name: str
    rating: str
    comment: str | None = None
    card_number: str | None = None
    citizen_id: str | None = None


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
    key: MemberKey
    period: Period
    role: AssessorRole
    rating: Rating


class WorkplaceResults:
    def __init__(
        self,
        assessments: WorkplaceAssessmentRepository,
        roster: RosterService,
        clock: Callable[[], datetime],
        key_digests: KeyDigests = DEVELOPMENT_DIGESTS,
    ) -> None:
        self.assessments = assessments
        self.roster = roster
        self.clock = clock
        self.key_digests = key_digests

    async def submit(
        self,
        submitter: str,
        items: Sequence[AssessmentSubmission],
        *,
        submitted_by: str | None = None,
        covered: CoveredCells = everywhere,
    ) -> list[SubmissionResult]:
        """Record job results in bulk; each item stands alone, a resend stores nothing twice.

        A member is named by id, or by the card number or citizen ID the sender holds (found
        on the roster by their keyed digests: an unknown key is NOT_FOUND, one two members
        hold CONFLICT, with the key's field). `submitted_by` is who sent them as
        authenticated (by default the `submitter` they name themselves): it keys the
        idempotency. Items whose member's evaluating cell `covered` does not allow are refused
        FORBIDDEN before anything stored about them is looked at. An item saying again what
        an earlier one of the bulk says (its external id, or its member, period and assessor
        role) is refused CONFLICT."""
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
        holders = await self._holders(parsed)
        cells = {
            (p.index, entry.member_id): entry.cell_for(p.period)
            for p in parsed
            for entry in holders[p.index]
        }
        allowed = await covered({None, *cells.values()})
        accepted: dict[str, tuple[int, WorkplaceAssessment, str | None]] = {}
        seen: dict[tuple[str, Period, AssessorRole], int] = {}
        external_ids: dict[str, int] = {}
        for p in parsed:
            try:
                entry = self._holder(p, holders[p.index], cells, allowed)
                cell = cells[p.index, entry.member_id]
                if p.external_id in external_ids:
                    raise _twice(p.external_id, external_ids[p.external_id], "externalId")
                external_ids[p.external_id] = p.index
                said = (entry.member_id, p.period, p.role)
                if said in seen:
                    raise _twice("The same member, period and assessor role", seen[said], p.key)
                seen[said] = p.index
                assessment = self._assessment(submitted_by, submitter, p, entry.member_id, now)
            except (DomainError, Forbidden) as error:
                results[p.index] = SubmissionResult(
                    p.index, p.item.external_id, Outcome.REJECTED, error=error
                )
                continue
            accepted[assessment.id] = (p.index, assessment, cell)
        # a resend: what this sender had recorded is read in one query a period, not
        # inserted again to be refused one by one
        periods = sorted({a.period for _, a, _ in accepted.values()}, key=str)
        earlier = {
            a.id: a
            for a in await self.assessments.sent_by(submitted_by, periods)
            if a.id in accepted
        }
        new = [(a, cell) for _, a, cell in accepted.values() if a.id not in earlier]
        wards = await self.roster.ward_committees_of({cell for _, cell in new if cell})
        stored = await self.assessments.record(
            [(a, events.workplace_assessment_recorded(a, c, c and wards[c])) for a, c in new]
        )
        raced = set(accepted) - stored - set(earlier)  # recorded meanwhile by another call
        earlier |= {a.id: a for a in await self.assessments.many(list(raced))}
        for assessment_id, (index, assessment, cell) in accepted.items():
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

    async def _holders(self, parsed: Sequence[_Parsed]) -> dict[int, list[RosterEntry]]:
        """Each item's members on the roster: the one of its id, or those holding its key's
        digest (none when unknown; more than one when two members' keys collide)."""
        by_id = [p.key.value for p in parsed if p.key.is_members_id]
        digests = {
            p.index: self.key_digests.of(KeyKind(p.key.field.value), p.key.value)
            for p in parsed
            if not p.key.is_members_id
        }
        entries = {e.member_id: e for e in await self.roster.entries(sorted(set(by_id))) if e}
        holders = await self.roster.holders_of(sorted(set(digests.values())))
        return {
            p.index: ([entries[p.key.value]] if p.key.value in entries else [])
            if p.key.is_members_id
            else holders[digests[p.index]]
            for p in parsed
        }

    @staticmethod
    def _holder(
        p: _Parsed,
        holders: list[RosterEntry],
        cells: dict[tuple[int, str], str | None],
        allowed: set[str | None],
    ) -> RosterEntry:
        """The one member the item names, if the sender may send results about them."""
        field = p.key.field.value
        if any(cells[p.index, entry.member_id] not in allowed for entry in holders) or (
            not holders and None not in allowed
        ):
            raise Forbidden(field=field)
        if not holders:
            raise NotFound(
                f"No member with this {field} on the evaluations roster (yet).", field=field
            )
        if len(holders) > 1:
            raise Conflict(f"More than one member holds this {field}.", field=field)
        return holders[0]

    @staticmethod
    def _parsed(index: int, item: AssessmentSubmission) -> _Parsed:
        """What can be checked of the item alone, before anything stored is looked at."""
        return _Parsed(
            index,
            item,
            required_text(item.external_id, "externalId"),
            member_key(item.member_id, item.card_number, item.citizen_id),
            Period.parse(item.period),
            AssessorRole.parse(item.assessor_role),
            Rating.parse(item.rating),
        )

    @staticmethod
    def _assessment(
        submitted_by: str, submitter: str, p: _Parsed, member_id: str, now: datetime
    ) -> WorkplaceAssessment:
        item = p.item
        return WorkplaceAssessment(
            id=workplace_assessment_id(submitted_by, p.external_id),
            external_id=p.external_id,
            submitter=submitter,
            submitted_by=submitted_by,
            member_id=member_id,
            period=p.period,
            assessor_role=p.role,
            assessor_name=required_text(item.assessor_name, "assessorName"),
            rating=p.rating,
            comment=item.comment.strip() if item.comment and item.comment.strip() else None,
            recorded_at=now,
        )

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


def same_assessment(earlier: WorkplaceAssessment | None, new: WorkplaceAssessment) -> bool:
    if earlier is None:
        return False
    return (earlier.member_id, earlier.period, earlier.assessor_role, earlier.rating) == (
        new.member_id,
        new.period,
        new.assessor_role,
        new.rating,
    )


def _twice(what: str, first: int, key: MemberKey | str) -> Conflict:
    field = key if isinstance(key, str) else key.field.value
    return Conflict(f"{what} is also in item {first} of this bulk.", field=field)
