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
        return self.cell_for_day(period.ends_on)

    def cell_for_day(self, day: date) -> str | None:
        """The cell the member belongs to on that day."""
        current = None
        for placement in sorted(self.placements, key=lambda p: p.since or date.min):
            if placement.since is None or placement.since <= day:
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

    def moved(self, placement: Placement) -> "RosterEntry":
        """The entry with the member received into another cell by this placement."""
        return replace(self, placements=[*self.placements, placement])


@dataclass(frozen=True)
class FormerAncestry:
    """Where an organisation stood before a restructuring placed it (or an organisation above
    it) under another parent: its ancestors, in force before `until`, the effective date."""

    case_id: str
    until: date
    ancestor_ids: tuple[str, ...]


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
    former: tuple[FormerAncestry, ...] = ()

    @property
    def is_residential_cell(self) -> bool:
        return self.kind == "CELL" and self.cell_type == "RESIDENTIAL"

    def ancestry_on(self, day: date | None) -> tuple[str, ...]:
        """Its ancestors on that day (now, when None): before a restructuring's effective
        date, those it had then."""
        if day is not None:
            for former in sorted(self.former, key=lambda f: f.until):
                if day < former.until:
                    return former.ancestor_ids
        return self.ancestor_ids


def grassroots_of(
    cell: KnownOrganisation, ancestors: list[KnownOrganisation], on: date | None = None
) -> str:
    """The grassroots party organisation of a cell on a day (now, when None): its ward
    committee then, else the cell itself."""
    ancestry = cell.ancestry_on(on)
    wards = [a.id for a in ancestors if a.kind == "WARD_COMMITTEE" and a.id in ancestry]
    return wards[-1] if wards else cell.id
