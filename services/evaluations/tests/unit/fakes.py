"""In-memory fakes of the repositories, and a small Ba Đình tree to evaluate in."""

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from evaluations.domain import (
    Assignment,
    Conflict,
    Evaluation,
    EvaluationState,
    HostCellFeedback,
    KnownOrganisation,
    Period,
    Placement,
    Rating,
    RosterEntry,
    Stay,
    SupervisionFeedback,
    WorkplaceAssessment,
)
from evaluations.domain.counts import CountedCells
from evaluations.domain.roster import FormerAncestry
from evaluations.service.ports import QuotaPlaces
from evaluations.service.roster_ports import Enrolment, Profile, Replaced
from kit.pages import Page, page_after

Event = dict[str, Any]


class InMemoryRoster:
    def __init__(self) -> None:
        self.entries: dict[str, RosterEntry] = {}
        self.versions: dict[str, int] = {}
        self.applied: set[str] = set()

    async def get(self, member_id: str) -> RosterEntry | None:
        return copy.deepcopy(self.entries.get(member_id))

    async def many(self, member_ids: Sequence[str]) -> list[RosterEntry]:
        return [copy.deepcopy(self.entries[i]) for i in member_ids if i in self.entries]

    async def in_cells(self, cell_ids: Sequence[str]) -> list[RosterEntry]:
        return [copy.deepcopy(e) for e in self.entries.values() if e.cells() & set(cell_ids)]

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        if event_id in self.applied:
            return
        self.applied.add(event_id)
        stored = self.entries.setdefault(entry.member_id, RosterEntry(entry.member_id, "", None))
        stored.placements.extend(entry.placements)
        if entry.full_name:
            await self.update_profile(
                entry.member_id,
                entry.full_name,
                entry.workplace_role,
                version,
                entry.key_digests or None,
            )

    async def enrol_many(self, enrolments: Sequence[Enrolment]) -> None:
        for enrolment in enrolments:
            await self.enrol(*enrolment)

    async def update_profile(
        self,
        member_id: str,
        full_name: str,
        workplace_role: str | None,
        version: int,
        key_digests: Sequence[str] | None = None,
    ) -> None:
        stored = self.entries.get(member_id)
        if stored is not None and self.versions.get(member_id, -1) < version:
            stored.full_name, stored.workplace_role = full_name, workplace_role
            if key_digests is not None:
                stored.key_digests = tuple(key_digests)
            self.versions[member_id] = version

    async def update_profiles(self, profiles: Sequence[Profile]) -> None:
        for profile in profiles:
            await self.update_profile(*profile)

    async def with_keys(self, digests: Sequence[str]) -> list[RosterEntry]:
        return [
            copy.deepcopy(e) for e in self.entries.values() if set(e.key_digests) & set(digests)
        ]

    async def move(self, member_id: str, placement: Placement, event_id: str) -> None:
        stored = self.entries.setdefault(member_id, RosterEntry(member_id, "", None))
        if event_id in self.applied or any(
            p.transfer_id == placement.transfer_id for p in stored.placements
        ):
            return
        self.applied.add(event_id)
        stored.placements.append(placement)

    async def move_many(
        self,
        moves: Sequence[tuple[str, Placement, str]],
        before: Mapping[str, RosterEntry] | None = None,
    ) -> None:
        for member_id, placement, event_id in moves:
            await self.move(member_id, placement, event_id)

    async def leaving(
        self, member_ids: Sequence[str], cell_ids: Sequence[str]
    ) -> dict[str, RosterEntry]:
        return {e.member_id: e for e in await self.many(member_ids)}

    async def host(self, member_id: str, stay: Stay, event_id: str) -> None:
        stored = self.entries.setdefault(member_id, RosterEntry(member_id, "", None))
        if event_id in self.applied or stay in stored.stays:
            return
        self.applied.add(event_id)
        stored.stays.append(stay)

    async def replace_placements(
        self, entry: RosterEntry, was: RosterEntry, event_id: str
    ) -> Replaced:
        stored = self.entries.get(entry.member_id)
        if event_id in self.applied:
            return Replaced.APPLIED_BEFORE
        if stored is None or stored.placements != was.placements:
            return Replaced.CHANGED_MEANWHILE
        self.applied.add(event_id)
        stored.placements = list(entry.placements)
        return Replaced.WRITTEN


class InMemoryOrganisations:
    def __init__(self) -> None:
        self.organisations: dict[str, KnownOrganisation] = {}

    async def get(self, organisation_id: str) -> KnownOrganisation | None:
        return self.organisations.get(organisation_id)

    async def many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]:
        return [self.organisations[i] for i in organisation_ids if i in self.organisations]

    async def cells_within(self, organisation_id: str, on: date | None = None) -> list[str]:
        return [
            o.id
            for o in self.organisations.values()
            if o.kind == "CELL"
            and (o.id == organisation_id or organisation_id in o.ancestry_on(on))
        ]

    async def below(self, organisation_ids: Sequence[str]) -> dict[str, list[KnownOrganisation]]:
        return {
            i: [
                o
                for o in self.organisations.values()
                if i in o.ancestor_ids or any(i in f.ancestor_ids for f in o.former)
            ]
            for i in organisation_ids
        }

    async def remember_former(self, former: Mapping[str, FormerAncestry]) -> None:
        for i, f in former.items():
            known = self.organisations[i]
            if f not in known.former:
                self.organisations[i] = replace(known, former=(*known.former, f))

    async def within(self, root_ids: Sequence[str]) -> list[str]:
        return [
            o.id
            for o in self.organisations.values()
            if o.id in root_ids or set(o.ancestor_ids) & set(root_ids)
        ]

    async def remember(self, organisation: KnownOrganisation) -> None:
        known = self.organisations.get(organisation.id)
        if known is None or known.version <= organisation.version:
            former = known.former if known else ()
            self.organisations[organisation.id] = replace(organisation, former=former)

    async def remember_many(self, organisations: Sequence[KnownOrganisation]) -> None:
        for organisation in organisations:
            await self.remember(organisation)


class InMemoryAssignments:
    def __init__(self) -> None:
        self.assignments: dict[str, Assignment] = {}

    async def get(self, assignment_id: str) -> Assignment | None:
        return copy.deepcopy(self.assignments.get(assignment_id))

    async def add(self, assignment: Assignment) -> None:
        self.assignments[assignment.id] = copy.deepcopy(assignment)

    async def save_result(self, assignment: Assignment) -> None:
        self.assignments[assignment.id] = copy.deepcopy(assignment)

    async def of_member(self, member_id: str, period: Period | None) -> list[Assignment]:
        return [
            a
            for a in self.assignments.values()
            if a.member_id == member_id and (period is None or a.period == period)
        ]

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[Assignment]]:
        return {m: found for m in member_ids if (found := await self.of_member(m, period))}


class InMemoryAssessments:
    def __init__(self) -> None:
        self.assessments: dict[str, WorkplaceAssessment] = {}
        self.published: list[Event] = []

    async def record(self, assessments: Sequence[tuple[WorkplaceAssessment, Event]]) -> set[str]:
        new = set()
        for assessment, event in assessments:
            if assessment.id not in self.assessments:
                self.assessments[assessment.id] = assessment
                self.published.append(event)
                new.add(assessment.id)
        return new

    async def many(self, assessment_ids: Sequence[str]) -> list[WorkplaceAssessment]:
        return [self.assessments[i] for i in assessment_ids if i in self.assessments]

    async def sent_by(
        self, submitted_by: str, periods: Sequence[Period]
    ) -> list[WorkplaceAssessment]:
        return [
            a
            for a in self.assessments.values()
            if a.submitted_by == submitted_by and a.period in periods
        ]

    async def of_member(self, member_id: str, period: Period) -> list[WorkplaceAssessment]:
        found = [
            a for a in self.assessments.values() if a.member_id == member_id and a.period == period
        ]
        return sorted(found, key=lambda a: a.recorded_at, reverse=True)

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[WorkplaceAssessment]]:
        return {m: found for m in member_ids if (found := await self.of_member(m, period))}

    async def latest_ratings(self, member_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        latest = {}
        for assessment in sorted(self.assessments.values(), key=lambda a: a.recorded_at):
            if assessment.member_id in member_ids and assessment.period == period:
                latest[assessment.member_id] = assessment.rating
        return latest


class InMemoryFeedback:
    def __init__(self) -> None:
        self.feedback: list[SupervisionFeedback] = []

    async def add(self, feedback: SupervisionFeedback) -> None:
        self.feedback.append(feedback)

    async def of_member(self, member_id: str, period: Period) -> list[SupervisionFeedback]:
        return [f for f in self.feedback if f.member_id == member_id and f.period == period]

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[SupervisionFeedback]]:
        return {m: found for m in member_ids if (found := await self.of_member(m, period))}


class InMemoryHostFeedback:
    def __init__(self) -> None:
        self.feedback: list[HostCellFeedback] = []

    async def add(self, feedback: HostCellFeedback) -> None:
        self.feedback.append(feedback)

    async def of_members(
        self, member_ids: Sequence[str], period: Period
    ) -> dict[str, list[HostCellFeedback]]:
        found = {
            m: [f for f in self.feedback if f.member_id == m and f.period == period]
            for m in member_ids
        }
        return {m: given for m, given in found.items() if given}


class InMemoryEvaluations:
    def __init__(self) -> None:
        self.evaluations: dict[str, Evaluation] = {}
        self.published: list[Event] = []

    async def get(self, evaluation_id: str) -> Evaluation | None:
        return copy.deepcopy(self.evaluations.get(evaluation_id))

    async def many(self, evaluation_ids: Sequence[str]) -> list[Evaluation]:
        return [copy.deepcopy(self.evaluations[i]) for i in evaluation_ids if i in self.evaluations]

    async def save(self, evaluation: Evaluation, events: Sequence[Event]) -> None:
        stored = self.evaluations.get(evaluation.id)
        if (stored.version if stored else 0) != evaluation.version:
            raise Conflict("changed meanwhile")
        evaluation.version += 1
        self.evaluations[evaluation.id] = copy.deepcopy(evaluation)
        self.published.extend(events)

    async def of_member(self, member_id: str) -> list[Evaluation]:
        return sorted(
            (e for e in self.evaluations.values() if e.member_id == member_id),
            key=lambda e: e.period,
        )

    async def in_cells(
        self, cell_ids: Sequence[str], period: Period, state: EvaluationState | None = None
    ) -> list[Evaluation]:
        return [
            copy.deepcopy(e)
            for e in self.evaluations.values()
            if e.cell_id in cell_ids and e.period == period and (state is None or e.state is state)
        ]

    async def page_in_cells(
        self,
        cell_ids: Sequence[str],
        period: Period,
        state: EvaluationState,
        first: int,
        after: str | None,
    ) -> Page[Evaluation]:
        found = await self.in_cells(cell_ids, period, state)
        return page_after(found, first, after, lambda e: (e.member_id, e.id))

    async def finalised_ratings(self, cell_ids: Sequence[str], period: Period) -> dict[str, Rating]:
        return {
            e.id: e.final_rating
            for e in self.evaluations.values()
            if e.cell_id in cell_ids
            and e.period == period
            and e.state is EvaluationState.FINALISED
            and e.final_rating is not None
        }

    async def save_many(self, changes: Sequence[tuple[Evaluation, Sequence[Event]]]) -> set[str]:
        written = set()
        for evaluation, events in changes:
            try:
                await self.save(evaluation, events)
            except Conflict:
                continue
            written.add(evaluation.id)
        return written

    async def follow_transfers(
        self,
        moves: Sequence[tuple[str, Placement, str]],
        before: Mapping[str, RosterEntry] | None = None,
    ) -> None:
        for member_id, placement, _ in moves:
            if placement.since is not None:
                await self.follow_transfer(member_id, placement.cell_id, placement.since)

    async def follow_roster(self, entry: RosterEntry) -> None:
        for e in self.evaluations.values():
            if e.member_id != entry.member_id or e.state is EvaluationState.FINALISED:
                continue
            cell_id = entry.cell_for(e.period)
            if cell_id and cell_id != e.cell_id:
                e.cell_id = cell_id
                e.version += 1

    async def follow_transfer(self, member_id: str, cell_id: str, since: date) -> None:
        for e in self.evaluations.values():
            if (
                e.member_id == member_id
                and e.state is not EvaluationState.FINALISED
                and e.period.ends_on >= since
            ):
                e.cell_id = cell_id
                e.version += 1


def organisation(
    id: str, kind: str, ancestors: tuple[str, ...], cell_type: str | None = None
) -> KnownOrganisation:
    return KnownOrganisation(
        id=id,
        code=id,
        name=id,
        kind=kind,
        cell_type=cell_type,
        parent_id=ancestors[-1] if ancestors else None,
        ancestor_ids=ancestors,
        status="ACTIVE",
        version=1,
    )


class InMemoryExcellentPlaces:
    def __init__(self) -> None:
        self.places: dict[tuple[str, Period], QuotaPlaces] = {}

    async def of_ward(self, ward_id: str, period: Period) -> QuotaPlaces | None:
        found = self.places.get((ward_id, period))
        return QuotaPlaces(list(found.excellent), list(found.good)) if found else None

    async def start(self, ward_id: str, period: Period, finalised: QuotaPlaces) -> None:
        self.places.setdefault((ward_id, period), copy.deepcopy(finalised))

    async def take_excellent(
        self, ward_id: str, period: Period, evaluation_id: str, limit: int | None, good: int
    ) -> bool:
        places = self.places[(ward_id, period)]
        if evaluation_id in places.excellent:
            return True
        if limit is not None and (len(places.good) != good or len(places.excellent) >= limit):
            return False
        places.excellent.append(evaluation_id)
        return True

    async def count_good(self, ward_id: str, period: Period, evaluation_ids: Sequence[str]) -> None:
        good = self.places[(ward_id, period)].good
        good.extend(i for i in dict.fromkeys(evaluation_ids) if i not in good)

    async def give_back(
        self, ward_id: str, period: Period, evaluation_id: str, rating: Rating
    ) -> None:
        places = self.places.get((ward_id, period))
        held = (places.excellent if rating is Rating.EXCELLENT else places.good) if places else []
        if evaluation_id in held:
            held.remove(evaluation_id)


# Ba Đình district; Giảng Võ ward with its agency cell and two residential cells; Kim Mã ward
BA_DINH_TREE = [
    organisation("ba-dinh", "DISTRICT_COMMITTEE", ("ha-noi",)),
    organisation("giang-vo", "WARD_COMMITTEE", ("ha-noi", "ba-dinh")),
    organisation("gv-agency", "CELL", ("ha-noi", "ba-dinh", "giang-vo"), "AGENCY"),
    organisation("gv-tdp-1", "CELL", ("ha-noi", "ba-dinh", "giang-vo"), "RESIDENTIAL"),
    organisation("gv-tdp-2", "CELL", ("ha-noi", "ba-dinh", "giang-vo"), "RESIDENTIAL"),
    organisation("kim-ma", "WARD_COMMITTEE", ("ha-noi", "ba-dinh")),
    organisation("km-tdp-1", "CELL", ("ha-noi", "ba-dinh", "kim-ma"), "RESIDENTIAL"),
]


class InMemorySummaryCounts:
    """The counts, made from the fakes at each read: what the kept counts must equal."""

    def __init__(
        self,
        roster: InMemoryRoster,
        evaluations: InMemoryEvaluations,
        assessments: InMemoryAssessments,
    ) -> None:
        self.roster = roster
        self.evaluations = evaluations
        self.assessments = assessments

    async def counted(self, cell_ids: Sequence[str], period: Period) -> CountedCells:
        cells = set(cell_ids)
        assessed = {
            a.member_id for a in self.assessments.assessments.values() if a.period == period
        }
        counted = CountedCells()
        for entry in self.roster.entries.values():
            if entry.cell_for(period) in cells:
                counted.on_roster += 1
                counted.required_on_roster += entry.workplace_results_required
                counted.assessed_on_roster += (
                    entry.workplace_results_required and entry.member_id in assessed
                )
        for e in self.evaluations.evaluations.values():
            if e.period == period and e.cell_id in cells:
                counted.by_state[e.state.value] += 1
                if e.final_rating is not None:
                    counted.by_rating[e.final_rating.value] += 1
                entry = self.roster.entries.get(e.member_id)
                on_roster = bool(entry and entry.cell_for(period) in cells)
                counted.stored_on_roster += on_roster
                counted.unassessed_off_roster += bool(
                    entry
                    and not on_roster
                    and entry.workplace_results_required
                    and e.member_id not in assessed
                )
        return counted


@dataclass
class Fakes:
    """The repositories, in memory, over the Ba Đình tree."""

    roster: InMemoryRoster = field(default_factory=InMemoryRoster)
    organisations: InMemoryOrganisations = field(default_factory=InMemoryOrganisations)
    assignments: InMemoryAssignments = field(default_factory=InMemoryAssignments)
    assessments: InMemoryAssessments = field(default_factory=InMemoryAssessments)
    feedback: InMemoryFeedback = field(default_factory=InMemoryFeedback)
    host_feedback: InMemoryHostFeedback = field(default_factory=InMemoryHostFeedback)
    evaluations: InMemoryEvaluations = field(default_factory=InMemoryEvaluations)
    excellent_places: InMemoryExcellentPlaces = field(default_factory=InMemoryExcellentPlaces)

    def __post_init__(self) -> None:
        self.summary_counts = InMemorySummaryCounts(self.roster, self.evaluations, self.assessments)
        self.organisations.organisations = {o.id: o for o in BA_DINH_TREE}
