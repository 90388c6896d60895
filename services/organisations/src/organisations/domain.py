"""Party organisations and their invariants. Standard library only."""

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class DomainError(Exception):
    """A request the domain refuses; `code` is what clients see in `extensions.code`."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


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


@dataclass
class Organisation:
    id: str
    code: str
    name: str
    kind: OrganisationKind
    parent_id: str | None = None
    cell_type: CellType | None = None
    coverage: list[str] = field(default_factory=list)
    status: OrganisationStatus = OrganisationStatus.ACTIVE
    dissolved_on: date | None = None

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
        """A new organisation placed under its parent, checked against the hierarchy's rules."""
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise DomainError("An organisation needs a code and a name.")
        if kind is OrganisationKind.CELL and cell_type is None:
            raise DomainError("A cell needs a cellType: AGENCY, RESIDENTIAL or OTHER.")
        if kind is not OrganisationKind.CELL and (cell_type is not None or coverage):
            raise DomainError("Only cells have a cellType and coverage.")
        if coverage and cell_type is not CellType.RESIDENTIAL:
            raise DomainError("Only residential cells cover residential groups.")
        if parent is None and kind is not OrganisationKind.CITY_COMMITTEE:
            raise DomainError(f"A {kind.value} needs a parent organisation.")
        if parent is not None:
            parent.accept_child(kind)
        return cls(
            id=id,
            code=code,
            name=name,
            kind=kind,
            parent_id=parent.id if parent else None,
            cell_type=cell_type,
            coverage=sorted({group.strip() for group in coverage or [] if group.strip()}),
        )

    def accept_child(self, kind: OrganisationKind) -> None:
        if kind.rank <= self.kind.rank:
            raise DomainError(
                f"A {kind.value} cannot be placed under a {self.kind.value}: "
                "a parent must be of a higher kind.",
                parentKind=self.kind.value,
            )
        if self.status is OrganisationStatus.DISSOLVED:
            raise DomainError(f"{self.name} is dissolved and takes no new organisations.")
