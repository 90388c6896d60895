"""Party organisations and the rules of their hierarchy."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from organisations.domain.errors import Conflict, DomainError


class OrganisationKind(Enum):
    CITY_COMMITTEE = "CITY_COMMITTEE"
    DISTRICT_COMMITTEE = "DISTRICT_COMMITTEE"
    WARD_COMMITTEE = "WARD_COMMITTEE"
    CELL = "CELL"

    @property
    def rank(self) -> int:
        return list(OrganisationKind).index(self)


class CellType(Enum):
    AGENCY = "AGENCY"
    RESIDENTIAL = "RESIDENTIAL"
    OTHER = "OTHER"


class OrganisationStatus(Enum):
    ACTIVE = "ACTIVE"
    DISSOLVED = "DISSOLVED"
    MERGED = "MERGED"
    SPLIT = "SPLIT"
    ENDED = "ENDED"  # kết thúc hoạt động: ceased with no successor


@dataclass(frozen=True)
class ParentPeriod:
    """Under which parent an organisation stood from `since` (None: from its start) until the
    next period; `case_id` names the restructuring case that moved it there, if any."""

    parent_id: str | None
    since: date | None = None
    case_id: str | None = None


@dataclass(frozen=True)
class LineageLink:
    """A predecessor or successor, on the date the restructuring took effect."""

    organisation_id: str
    on: date
    case_id: str


@dataclass(frozen=True)
class FormerCode:
    """A code the organisation carried until `until` (the day its new code took effect)."""

    code: str
    until: date


def clean_coverage(coverage: list[str] | None) -> list[str]:
    return sorted({group.strip() for group in coverage or [] if group.strip()})


@dataclass
class Organisation:
    id: str
    code: str
    name: str
    kind: OrganisationKind
    parent_id: str | None = None
    ancestor_ids: list[str] = field(default_factory=list)
    cell_type: CellType | None = None
    coverage: list[str] = field(default_factory=list)
    status: OrganisationStatus = OrganisationStatus.ACTIVE
    dissolved_on: date | None = None
    version: int = 1
    parent_history: list[ParentPeriod] = field(default_factory=list)
    predecessors: list[LineageLink] = field(default_factory=list)
    successors: list[LineageLink] = field(default_factory=list)
    former_codes: list[FormerCode] = field(default_factory=list)
    established_on: date | None = None
    ceased_on: date | None = None  # merged or split from this day

    def __post_init__(self) -> None:
        if not self.parent_history and self.parent_id is not None:
            self.parent_history = [ParentPeriod(self.parent_id)]

    @classmethod
    def register(
        cls,
        *,
        id: str,
        code: str,
        name: str,
        kind: OrganisationKind,
        parent: "Organisation | None",
        cell_type: CellType | None = None,
        coverage: list[str] | None = None,
    ) -> "Organisation":
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise DomainError("An organisation needs a code and a name.")
        if parent is None and kind is not OrganisationKind.CITY_COMMITTEE:
            raise DomainError(f"A {kind.value} needs a parent organisation.", field="parentId")
        organisation = cls(id=id, code=code, name=name, kind=kind)
        organisation._describe_cell(cell_type, clean_coverage(coverage))
        if parent is not None:
            organisation._place_under(parent)
        return organisation

    @property
    def ancestry(self) -> frozenset[str]:
        """Itself and every organisation above it: a grant on any of them covers it."""
        return frozenset((self.id, *self.ancestor_ids))

    @property
    def is_active(self) -> bool:
        return self.status is OrganisationStatus.ACTIVE

    def _describe_cell(self, cell_type: CellType | None, coverage: list[str]) -> None:
        if self.kind is OrganisationKind.CELL and cell_type is None:
            raise DomainError(
                "A cell needs a cellType: AGENCY, RESIDENTIAL or OTHER.", field="cellType"
            )
        if self.kind is not OrganisationKind.CELL and (cell_type is not None or coverage):
            raise DomainError("Only cells have a cellType and coverage.", field="cellType")
        if coverage and cell_type is not CellType.RESIDENTIAL:
            raise DomainError(
                "Only residential cells cover residential groups [tổ dân phố].", field="coverage"
            )
        self.cell_type = cell_type
        self.coverage = coverage

    def _place_under(self, parent: "Organisation", period: ParentPeriod | None = None) -> None:
        """Under `parent`: from `period` (a dated move), else as a correction of the current
        period (when the organisation has no dated history to keep)."""
        parent.accept_child(self.kind)
        if parent.id == self.id or self.id in parent.ancestor_ids:
            raise DomainError(
                f"{parent.name} lies within {self.name}: an organisation cannot be placed "
                "under itself or its own subtree.",
                field="parentId",
            )
        self.parent_id = parent.id
        self.ancestor_ids = [*parent.ancestor_ids, parent.id]
        if period is not None:
            self.parent_history.append(period)
        elif self.parent_history:
            last = self.parent_history[-1]
            self.parent_history[-1] = ParentPeriod(parent.id, last.since, last.case_id)
        else:
            self.parent_history = [ParentPeriod(parent.id)]

    # lineage and time

    def parent_on(self, day: date) -> str | None:
        """The parent this organisation stood under on `day`."""
        parent = None
        for period in self.parent_history:
            if period.since is None or period.since <= day:
                parent = period.parent_id
        return parent

    def existed_on(self, day: date) -> bool:
        return self.established_on is None or self.established_on <= day

    def status_on(self, day: date) -> OrganisationStatus:
        if self.dissolved_on is not None and self.dissolved_on <= day:
            return OrganisationStatus.DISSOLVED
        if self.ceased_on is not None and self.ceased_on <= day:
            return self.status
        return OrganisationStatus.ACTIVE

    def code_on(self, day: date) -> str:
        for former in sorted(self.former_codes, key=lambda f: f.until):
            if day < former.until:
                return former.code
        return self.code

    def moved_by(self, case_id: str) -> bool:
        return any(period.case_id == case_id for period in self.parent_history)

    def move_to(self, parent: "Organisation", on: date, case_id: str, code: str | None) -> None:
        """Hand the organisation (and its subtree) over to `parent` from `on`, under a new code
        when one is given; the old code keeps resolving."""
        if not self.is_active:
            raise DomainError(f"{self.name} is {self.status.value} and cannot be moved.")
        self._place_under(parent, ParentPeriod(parent.id, on, case_id))
        if code is not None and code.strip() and code.strip() != self.code:
            self.former_codes.append(FormerCode(self.code, on))
            self.code = code.strip()
        self.version += 1

    def cease(
        self, status: OrganisationStatus, on: date, successor_ids: list[str], case_id: str
    ) -> bool:
        """Merged into or split among `successor_ids` from `on`, or ended with none; False
        when already so."""
        ended_so = not successor_ids and self.status is status and self.ceased_on == on
        if ended_so or any(link.case_id == case_id for link in self.successors):
            return False
        if not self.is_active:
            raise DomainError(f"{self.name} is {self.status.value} already.")
        self.status = status
        self.ceased_on = on
        self.successors.extend(LineageLink(s, on, case_id) for s in successor_ids)
        self.version += 1
        return True

    def succeed(self, predecessor_ids: list[str], on: date, case_id: str) -> bool:
        """Name the organisations this one took over from `on`; False when already named."""
        if any(link.case_id == case_id for link in self.predecessors):
            return False
        self.predecessors.extend(LineageLink(p, on, case_id) for p in predecessor_ids)
        self.version += 1
        return True

    def accept_child(self, kind: OrganisationKind) -> None:
        if kind.rank <= self.kind.rank:
            raise DomainError(
                f"A {kind.value} cannot be placed under a {self.kind.value}: "
                "a parent must be of a higher kind.",
                field="parentId",
                parentKind=self.kind.value,
            )
        if not self.is_active:
            raise DomainError(
                f"{self.name} is {self.status.value} and takes no new organisations.",
                field="parentId",
                status=self.status.value,
            )

    def update(
        self,
        *,
        code: str | None = None,
        name: str | None = None,
        cell_type: CellType | None = None,
        coverage: list[str] | None = None,
        parent: "Organisation | None" = None,
    ) -> bool:
        """Apply the given changes; True when anything changed."""
        before = (self.code, self.name, self.cell_type, self.coverage, self.parent_id)
        if not self.is_active:
            raise DomainError(
                f"{self.name} is {self.status.value} and can no longer be changed.",
                status=self.status.value,
            )
        if code is not None:
            if not code.strip():
                raise DomainError("An organisation needs a code.", field="code")
            self.code = code.strip()
        if name is not None:
            if not name.strip():
                raise DomainError("An organisation needs a name.", field="name")
            self.name = name.strip()
        if cell_type is not None or coverage is not None:
            self._describe_cell(
                cell_type or self.cell_type,
                clean_coverage(coverage) if coverage is not None else self.coverage,
            )
        if parent is not None and parent.id != self.parent_id:
            self._place_under(parent)
        changed = before != (self.code, self.name, self.cell_type, self.coverage, self.parent_id)
        if changed:
            self.version += 1
        return changed

    def move_with_ancestor(self, moved: "Organisation") -> bool:
        """Follow an ancestor that moved: this organisation's ancestry now runs through it;
        False when it already did."""
        at = self.ancestor_ids.index(moved.id)
        ancestry = [*moved.ancestor_ids, *self.ancestor_ids[at:]]
        if ancestry == self.ancestor_ids:
            return False
        self.ancestor_ids = ancestry
        self.version += 1
        return True

    def dissolve(self, on: date) -> bool:
        """Mark the organisation dissolved from `on`; False when it already was."""
        if not self.is_active:
            return False
        self.status = OrganisationStatus.DISSOLVED
        self.dissolved_on = on
        self.version += 1
        return True


def require_coverage_free(organisation: Organisation, others: Iterable[Organisation]) -> None:
    """Each residential group is covered by one active cell of its ward, so that a member's
    default cell [chi bộ nơi cư trú] is never ambiguous."""
    if not organisation.coverage or organisation.parent_id is None:
        return
    for other in others:
        if other.id == organisation.id or other.parent_id != organisation.parent_id:
            continue
        groups = sorted(set(other.coverage) & set(organisation.coverage))
        if groups and other.is_active:
            raise Conflict(
                f"{', '.join(groups)} already covered by {other.name} ({other.code}).",
                field="coverage",
                coveredBy=other.id,
            )
