"""What the use cases need from storage: the repositories, as Protocols."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple, Protocol

from kit.pages import Page

from evaluations.domain import (
    Assignment,
    Evaluation,
    EvaluationState,
    HostCellFeedback,
    Period,
    Placement,
    Rating,
    RosterEntry,
    Stay,
    SupervisionFeedback,
    WorkplaceAssessment,
)
from evaluations.domain.counts import CountedCells
from evaluations.service.roster_ports import (
    Enrolment,
    Move,
    OrganisationDirectory,
    Profile,
    Replaced,
)

Event = dict[str, Any]


class Roster(Protocol):
    async def get(self, member_id: str) -> RosterEntry | None: ...

    async def in_cells(self, cell_ids: Sequence[str]) -> list[RosterEntry]: ...

    async def many(self, member_ids: Sequence[str]) -> list[RosterEntry]:
        """Those of these members that are on the roster, in one query."""

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        """Add a member's first placement and profile, once per event."""

    async def enrol_many(self, enrolments: Sequence[Enrolment]) -> None:
        """Enrol many members as `enrol` would each, in bulk."""

    async def update_profile(
        self,
        member_id: str,
        full_name: str,
        workplace_role: str | None,
        version: int,
        key_digests: Sequence[str] | None = None,
    ) -> None:
        """Keep the newest name, workplace role and key digests (None: leave those kept);
        older versions change nothing."""

    async def with_keys(self, digests: Sequence[str]) -> list[RosterEntry]:
        """The members holding any of these key digests, each once."""

    async def update_profiles(self, profiles: Sequence[Profile]) -> None:
        """`update_profile` of many members, in one bulk write."""

    async def move(self, member_id: str, placement: Placement, event_id: str) -> None:
        """Add a placement received by transfer, once per transfer."""

    async def move_many(
        self, moves: Sequence[Move], before: Mapping[str, RosterEntry] | None = None
    ) -> None:
        """`move` of many members, in one bulk write; `before`: their entries as read before
        (`leaving`), if they were."""

    async def leaving(
        self, member_ids: Sequence[str], cell_ids: Sequence[str]
    ) -> dict[str, RosterEntry]:
        """The entries of these members on the roster, read by the cells they are expected to
        leave (one query a cell), those not found there by id."""

    async def host(self, member_id: str, stay: Stay, event_id: str) -> None:
        """Note a TEMPORARY stay in a host cell, once per transfer; the placements stay."""

    async def replace_placements(
        self, entry: RosterEntry, was: RosterEntry, event_id: str
    ) -> Replaced:
        """Write the entry's placements over those it had (`was`), once per event."""


class AssignmentRepository(Protocol):
    async def get(self, assignment_id: str) -> Assignment | None: ...

    async def add(self, assignment: Assignment) -> None: ...

    async def save_result(self, assignment: Assignment) -> None: ...

    async def of_member(self, member_id: str, period: Period | None) -> list[Assignment]: ...

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[Assignment]]:
        """Each member's tasks for the period, in one query (members with none left out)."""


class WorkplaceAssessmentRepository(Protocol):
    async def record(self, assessments: Sequence[tuple[WorkplaceAssessment, Event]]) -> set[str]:
        """Store the ones not stored yet, each with its event; returns the ids newly stored."""

    async def many(self, assessment_ids: Sequence[str]) -> list[WorkplaceAssessment]: ...

    async def sent_by(
        self, submitted_by: str, periods: Sequence[Period]
    ) -> list[WorkplaceAssessment]:
        """What a sender has had recorded for these periods (one query a period)."""

    async def of_member(self, member_id: str, period: Period) -> list[WorkplaceAssessment]:
        """Newest first."""

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[WorkplaceAssessment]]:
        """Each member's, newest first, in one query (members with none left out)."""

    async def latest_ratings(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, Rating]: ...


class FeedbackRepository(Protocol):
    async def add(self, feedback: SupervisionFeedback) -> None: ...

    async def of_member(self, member_id: str, period: Period) -> list[SupervisionFeedback]: ...

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[SupervisionFeedback]]:
        """Each member's, oldest first, in one query (members with none left out)."""


class HostFeedbackRepository(Protocol):
    async def add(self, feedback: HostCellFeedback) -> None: ...

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[HostCellFeedback]]:
        """Each member's, oldest first, in one query (members with none left out)."""


class EvaluationRepository(Protocol):
    async def get(self, evaluation_id: str) -> Evaluation | None: ...

    async def many(self, evaluation_ids: Sequence[str]) -> list[Evaluation]: ...

    async def save(self, evaluation: Evaluation, events: Sequence[Event]) -> None:
        """Store the change with its events; raises Conflict when it changed meanwhile."""

    async def save_many(self, changes: Sequence[tuple[Evaluation, Sequence[Event]]]) -> set[str]:
        """Store many changed evaluations with their events in one bulk write; the ids of those
        written (the others changed meanwhile)."""

    async def of_member(self, member_id: str) -> list[Evaluation]: ...

    async def in_cells(
        self, cell_ids: Sequence[str], period: Period, state: EvaluationState | None = None
    ) -> list[Evaluation]: ...

    async def page_in_cells(
        self,
        cell_ids: Sequence[str],
        period: Period,
        state: EvaluationState,
        first: int,
        after: str | None,
    ) -> Page[Evaluation]:
        """The stored evaluations of these cells in one state, a keyset page in member order."""

    async def finalised_ratings(self, cell_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        """The final rating of each FINALISED evaluation of these cells for the period, by id."""

    async def follow_transfer(self, member_id: str, cell_id: str, since: date) -> None:
        """Hand the unfinalised evaluations of periods ending on or after `since` to the cell."""

    async def follow_transfers(
        self, moves: Sequence[Move], before: Mapping[str, RosterEntry] | None = None
    ) -> None:
        """`follow_transfer` of many members: one update per receiving cell and day;
        `before`: their roster entries as they were before the moves, if read."""

    async def follow_roster(self, entry: RosterEntry) -> None:
        """Hand each unfinalised evaluation of the member to the cell the roster names for its
        period."""


class QuotaPlaces(NamedTuple):
    """The evaluations of a grassroots organisation's year the EXCELLENT quota counts: rated
    EXCELLENT, and GOOD (the quota allows a share of those), finalised or being finalised."""

    excellent: list[str]
    good: list[str]


class ExcellentPlaces(Protocol):
    """`QuotaPlaces` of each ward and year in one document, changed by conditional updates, so
    that replicas finalising at once cannot both take a ward's last EXCELLENT place, nor take
    one the GOOD ratings no longer allow."""

    async def of_ward(self, ward_id: str, period: Period) -> QuotaPlaces | None:
        """None: no finalisation of the ward's year has come here yet."""

    async def start(self, ward_id: str, period: Period, finalised: QuotaPlaces) -> None:
        """The ward's year begun from the ratings finalised so far (a replica that began it
        first keeps its start)."""

    async def take_excellent(
        self, ward_id: str, period: Period, evaluation_id: str, limit: int | None, good: int
    ) -> bool:
        """A place for the evaluation in one conditional update, if `good` GOOD are still
        counted and fewer than `limit` EXCELLENT (None: no limit, the quota overridden); an
        evaluation holding one keeps it."""

    async def count_good(self, ward_id: str, period: Period, evaluation_ids: Sequence[str]) -> None:
        """The evaluations counted GOOD (each once)."""

    async def give_back(
        self, ward_id: str, period: Period, evaluation_id: str, rating: Rating
    ) -> None:
        """The evaluation no longer counted with the rating."""


class SummaryCounts(Protocol):
    async def counted(self, cell_ids: Sequence[str], period: Period) -> CountedCells: ...


class Repositories(Protocol):
    """Every repository of the service over one database (the app's, a test's, a bench's)."""

    @property
    def roster(self) -> Roster: ...

    @property
    def organisations(self) -> OrganisationDirectory: ...

    @property
    def assignments(self) -> AssignmentRepository: ...

    @property
    def assessments(self) -> WorkplaceAssessmentRepository: ...

    @property
    def feedback(self) -> FeedbackRepository: ...

    @property
    def host_feedback(self) -> HostFeedbackRepository: ...

    @property
    def excellent_places(self) -> ExcellentPlaces: ...

    @property
    def evaluations(self) -> EvaluationRepository: ...

    @property
    def summary_counts(self) -> SummaryCounts: ...
