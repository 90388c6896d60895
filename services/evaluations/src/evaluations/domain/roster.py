"""Who evaluates a member, period by period, and the organisations it is told of."""

from dataclasses import dataclass, field, replace
from datetime import date

from evaluations.domain.periods import Period

# cán bộ, công chức, người hoạt động không chuyên trách: ranked with their job results (383-CV/QU)
ROLES_WITH_WORKPLACE_RESULTS = frozenset({"CADRE", "CIVIL_SERVANT", "NON_SPECIALISED"})


@dataclass(frozen=True)
class Placement:
    """From `since` on (or from the start, when None), the member is evaluated by `cell_id`;
    an empty `cell_id` means by no cell of the district (transferred out)."""

    cell_id: str
    since: date | None
    transfer_id: str | None = None


@dataclass(frozen=True)
class Stay:
    """A TEMPORARY stay [sinh hoạt tạm thời] in a host cell, from `since` to `until` (open when
    None): the home cell still evaluates the member; the host may give its feedback."""

    cell_id: str
    since: date
    until: date | None
    transfer_id: str

    def overlaps(self, period: Period) -> bool:
        return self.since <= period.ends_on and (
            self.until is None or period.starts_on <= self.until
        )


@dataclass
class RosterEntry:
    """Who evaluates a member, period by period, kept from the members service's events."""

    member_id: str
    full_name: str
    workplace_role: str | None
    placements: list[Placement] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    # the keyed digests of the card number and citizen ID city systems name the member by
    key_digests: tuple[str, ...] = ()

    @property
    def workplace_results_required(self) -> bool:
        return self.workplace_role in ROLES_WITH_WORKPLACE_RESULTS

    def cell_for(self, period: Period) -> str | None:
        """The cell in charge of a period: the one the member belongs to when it ends.

        A transfer received during a period moves that period and the later ones to the new
        cell; the periods that ended before it stay with the old cell.
        """
        current = None
        for placement in sorted(self.placements, key=lambda p: p.since or date.min):
            if placement.since is None or placement.since <= period.ends_on:
                current = placement.cell_id
        return current or None

    def hosts_for(self, period: Period) -> list[str]:
        """The cells that hosted the member on a TEMPORARY stay during the period."""
        return sorted({stay.cell_id for stay in self.stays if stay.overlaps(period)})

    def redated(self, transfer_id: str, since: date) -> "RosterEntry | None":
        """The entry with the transfer's placement from a corrected reception date (None when
        the transfer placed nobody here, or from that day already)."""
        if not any(p.transfer_id == transfer_id and p.since != since for p in self.placements):
            return None
        placements = [
            Placement(p.cell_id, since, transfer_id) if p.transfer_id == transfer_id else p
            for p in self.placements
        ]
        return replace(self, placements=placements)

    def cells(self) -> set[str]:
        return {placement.cell_id for placement in self.placements if placement.cell_id}


@dataclass(frozen=True)
class KnownOrganisation:
    """The read model of an organisation, kept from the organisations service's events."""

    id: str
    code: str
    name: str
    kind: str
    cell_type: str | None
    parent_id: str | None
    ancestor_ids: tuple[str, ...]
    status: str
    version: int = 0

    @property
    def is_residential_cell(self) -> bool:
        return self.kind == "CELL" and self.cell_type == "RESIDENTIAL"


def grassroots_of(cell: KnownOrganisation, ancestors: list[KnownOrganisation]) -> str:
    """The grassroots party organisation of a cell: its ward committee, else the cell itself."""
    wards = [a.id for a in ancestors if a.kind == "WARD_COMMITTEE" and a.id in cell.ancestor_ids]
    return wards[-1] if wards else cell.id
