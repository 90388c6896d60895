"""What this service knows of organisations and dissolution cases, from their events."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from members.domain.errors import Conflict, DomainError


def normalised(text: str) -> str:
    """Lowercase, without diacritics or repeated spaces: how names and groups are compared."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().lower()


def ancestry(
    organisation_id: str, parent_id: str | None, ancestor_ids: Iterable[str]
) -> frozenset[str]:
    """An organisation's id with its parent's and its ancestors' ids (an organisation told
    before its ancestors were may know its parent only)."""
    return frozenset((organisation_id, *([parent_id] if parent_id else []), *ancestor_ids))


@dataclass
class KnownOrganisation:
    """The read model of an organisation, kept from the organisations service's events."""

    id: str
    code: str
    name: str
    kind: str
    cell_type: str | None
    parent_id: str | None
    status: str
    coverage: list[str] = field(default_factory=list)
    ancestor_ids: list[str] = field(default_factory=list)
    dissolved_on: date | None = None
    version: int = 0

    @property
    def ancestry(self) -> frozenset[str]:
        """Its id with its parent's and its ancestors' ids, as told."""
        return ancestry(self.id, self.parent_id, self.ancestor_ids)

    @property
    def is_cell(self) -> bool:
        return self.kind == "CELL"

    @property
    def is_active(self) -> bool:
        return self.status == "ACTIVE"

    @property
    def is_active_residential_cell(self) -> bool:
        return self.is_cell and self.is_active and self.cell_type == "RESIDENTIAL"

    def is_under(self, ancestor_id: str) -> bool:
        return ancestor_id == self.parent_id or ancestor_id in self.ancestor_ids

    def covers(self, residential_group: str) -> bool:
        wanted = normalised(residential_group)
        return any(normalised(group) == wanted for group in self.coverage)

    def require_open_to_newcomers(self, case: "DissolutionCase | None" = None) -> None:
        """Nobody joins the list of a DISSOLVED cell, nor of one whose people have all been
        relocated (CONFLICT: the cell's state, not the input, refuses); a cell whose
        dissolution is decided still takes them, and they get their transfer of the case."""
        if self.is_cell and self.status == "DISSOLVED":
            raise Conflict(
                f"{self.name} is DISSOLVED"
                + (f" since {self.dissolved_on.isoformat()}" if self.dissolved_on else "")
                + ": nobody is registered in a dissolved cell; register them in the cell "
                "that received its members.",
                organisationId=self.id,
                status=self.status,
            )
        if case is not None and case.relocated:
            raise Conflict(
                f"Everyone of {self.name} has been relocated by its dissolution case: nobody "
                "joins its list now.",
                organisationId=self.id,
                caseId=case.id,
            )
        self.require_active_cell()

    def require_active_cell(self) -> None:
        if not self.is_cell or not self.is_active:
            raise DomainError(
                f"{self.name} is not an active cell.", organisationId=self.id, status=self.status
            )


def ward_committee_of(cell: KnownOrganisation) -> str:
    """The ward Party Committee a cell belongs to: its parent (cells sit under their ward)."""
    if cell.parent_id is None:
        raise DomainError(f"{cell.name} has no parent organisation.", organisationId=cell.id)
    return cell.parent_id


# The regulation implementing the Party Charter, from the day it came into force: a transfer
# follows the one in force on the day it is requested or decided.
CHARTER_REGULATIONS = (
    (date(2016, 7, 25), "Quy định 29-QĐ/TW (2016)"),
    (date(2021, 7, 30), "Quy định 24-QĐ/TW (2021)"),
    (date(2025, 7, 1), "Quy định 294-QĐ/TW (2025)"),
)


def regulation_on(day: date) -> str:
    """The charter regulation in force on `day` (the oldest known before its date)."""
    in_force = [name for since, name in CHARTER_REGULATIONS if since <= day]
    return in_force[-1] if in_force else CHARTER_REGULATIONS[0][1]


def require_internal_destination(
    destination: KnownOrganisation, ward_committee_id: str, on: date
) -> None:
    """An INTERNAL transfer goes to an ACTIVE cell of the same grassroots party organisation
    (the ward committee), residential or not; a dissolution still proposes residential cells
    (`proposed_cell`)."""
    if not destination.is_cell or not destination.is_active:
        raise DomainError(
            f"{destination.name} is not an active cell: an internal transfer goes to an active "
            "cell of the same grassroots party organisation.",
            organisationId=destination.id,
            rule=f"{regulation_on(on)} (chuyển sinh hoạt đảng nội bộ)",
        )
    if not destination.is_under(ward_committee_id):
        raise DomainError(
            f"{destination.name} is outside the ward Party Committee: an internal transfer "
            "stays within the same grassroots party organisation.",
            organisationId=destination.id,
            wardCommitteeId=ward_committee_id,
            rule=f"{regulation_on(on)} (chuyển sinh hoạt đảng nội bộ)",
        )


def proposed_cell(
    residential_group: str | None, residential_cells: list[KnownOrganisation]
) -> KnownOrganisation | None:
    """The active residential cell whose coverage holds the person's residential group."""
    if not residential_group:
        return None
    return next(
        (
            cell
            for cell in residential_cells
            if cell.is_active_residential_cell and cell.covers(residential_group)
        ),
        None,
    )


@dataclass(frozen=True)
class DissolutionCase:
    """A dissolution case as the organisations service announced it."""

    id: str
    cell_id: str
    ward_committee_id: str
    campaign_id: str | None = None
    decided: bool = False
    effective_on: date | None = None
    relocated: bool = False
    decision_number: str | None = None
    decided_on: date | None = None
