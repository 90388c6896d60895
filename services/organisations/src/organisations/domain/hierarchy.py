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

    def _place_under(self, parent: "Organisation") -> None:
        parent.accept_child(self.kind)
        if parent.id == self.id or self.id in parent.ancestor_ids:
            raise DomainError(
                f"{parent.name} lies within {self.name}: an organisation cannot be placed "
                "under itself or its own subtree.",
                field="parentId",
            )
        self.parent_id = parent.id
        self.ancestor_ids = [*parent.ancestor_ids, parent.id]

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
                f"{self.name} is dissolved and takes no new organisations.", field="parentId"
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
            raise DomainError(f"{self.name} is dissolved and can no longer be changed.")
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

    def move_with_ancestor(self, moved: "Organisation") -> None:
        """Follow an ancestor that moved: this organisation's ancestry now runs through it."""
        at = self.ancestor_ids.index(moved.id)
        self.ancestor_ids = [*moved.ancestor_ids, *self.ancestor_ids[at:]]
        self.version += 1

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
