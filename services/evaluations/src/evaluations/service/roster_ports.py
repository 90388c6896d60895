"""The values the roster's writes take, and the organisations read model, as the use cases
need them from storage."""

from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum
from typing import NamedTuple, Protocol

from evaluations.domain import (
    KnownOrganisation,
    Placement,
    RosterEntry,
    Stay,
)
from evaluations.domain.roster import FormerAncestry

Move = tuple[str, Placement, str]
"""A member received by transfer: the member's id, the new placement, the event's id."""

Hosting = tuple[str, Stay, str]
"""A member taken in for a TEMPORARY stay: the member's id, the stay, the event's id."""


class Replaced(Enum):
    WRITTEN = "WRITTEN"
    APPLIED_BEFORE = "APPLIED_BEFORE"  # the event's: nothing written
    CHANGED_MEANWHILE = "CHANGED_MEANWHILE"  # the placements read are gone: read again


class Enrolment(NamedTuple):
    """A member put on the roster by an event (its version of the profile, and its id)."""

    entry: RosterEntry
    version: int
    event_id: str


class Profile(NamedTuple):
    """A member's name and workplace role as of a version of the member (from an event)."""

    member_id: str
    full_name: str
    workplace_role: str | None
    version: int
    # the keyed digests of the card number and citizen ID (None: an event that gives none)
    key_digests: tuple[str, ...] | None = None


class OrganisationDirectory(Protocol):
    async def get(self, organisation_id: str) -> KnownOrganisation | None: ...

    async def many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]: ...

    async def cells_within(self, organisation_id: str, on: date | None = None) -> list[str]:
        """The ids of the cells in an organisation's subtree (itself, when it is a cell), on
        that day when given."""

    async def below(self, organisation_ids: Sequence[str]) -> dict[str, list[KnownOrganisation]]:
        """The organisations under each, now or before a restructuring."""

    async def remember_former(self, former: Mapping[str, FormerAncestry]) -> None:
        """Keep where each stood before a restructuring, once."""

    async def within(self, root_ids: Sequence[str]) -> list[str]:
        """The ids of every organisation in these subtrees, roots included."""

    async def remember(self, organisation: KnownOrganisation) -> None:
        """Keep the newest version of an organisation."""

    async def remember_many(self, organisations: Sequence[KnownOrganisation]) -> None:
        """Keep the newest version of each, in bulk."""
