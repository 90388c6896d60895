"""What the use cases need from storage and the world, as Protocols the adapters implement."""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from kit.pages import Page

from members.domain import (
    AdmissionCandidate,
    DissolutionCase,
    KnownOrganisation,
    PartyMember,
    Standing,
    Transfer,
    TransferState,
)
from members.domain.restructuring import HandOverSigned

Event = dict[str, Any]
T = TypeVar("T")


class Clock(Protocol):
    def today(self) -> date: ...


@dataclass(frozen=True)
class Scope:
    """What a caller may see of a list: the organisations (None: all of them), the subtrees
    they make up (their roots), and their own records (a MEMBER's person id)."""

    organisation_ids: frozenset[str] | None = None
    person_id: str | None = None
    roots: frozenset[str] = frozenset()


EVERYWHERE = Scope()


@dataclass(frozen=True)
class MemberFilter:
    """`away` True: only the members among `away_ids` (away on a TEMPORARY stay today); False:
    all but them."""

    organisation_id: str | None = None
    standing: Standing | None = None
    search: str | None = None
    scope: Scope = EVERYWHERE
    away: bool | None = None
    away_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TransferFilter:
    state: TransferState | None = None
    overdue_on: date | None = None
    organisation_id: str | None = None
    to_organisation_id: str | None = None
    case_id: str | None = None
    person_id: str | None = None
    scope: Scope = EVERYWHERE


@dataclass(frozen=True)
class TransferProgress:
    total: int
    members: int
    candidates: int
    needing_destination: int
    awaiting_introduction: int
    introduced: int
    received: int
    cancelled: int
    overdue: int
    # what the case's members_relocated tells, read with the rest
    received_members: int = 0
    received_candidates: int = 0
    last_received_on: date | None = None

    @property
    def open(self) -> int:
        return (
            self.needing_destination
            + self.awaiting_introduction
            + (self.introduced - self.received)
        )


@dataclass(frozen=True)
class Saving(Generic[T]):
    """A changed aggregate to store with its events, in a bulk write of many; `applying`: the
    transfer it applies, at most once; `read`: the aggregate as read, when the change is one
    of many alike (a bulk step): only what differs from it is written, with one update for
    all alike, their events in outbox batches."""

    aggregate: T
    events: Sequence[Event] = ()
    applying: str | None = None
    read: T | None = None


class MemberRepository(Protocol):
    async def get(self, member_id: str) -> PartyMember | None: ...

    async def get_many(self, member_ids: Sequence[str]) -> list[PartyMember]: ...

    async def get_by_card(self, card_number: str) -> PartyMember | None: ...

    async def with_keys(
        self, card_numbers: Sequence[str], citizen_ids: Sequence[str]
    ) -> list[PartyMember]:
        """The members holding any of these card numbers or citizen IDs, each once."""

    async def in_organisation(self, organisation_id: str) -> list[PartyMember]: ...

    async def ids_in_organisation(self, organisation_id: str) -> list[str]:
        """The ids of the members it counts, in no set order (a hand-over record's paper lists
        them by name)."""

    async def page(
        self, where: MemberFilter, first: int | None, after: str | None
    ) -> Page[PartyMember]:
        """Members matching `where`, in name order, `first` of them after the cursor."""

    async def count(self, organisation_ids: Collection[str]) -> int:
        """How many members are on the lists of these organisations, from kept counts."""

    async def add(self, member: PartyMember, events: Sequence[Event]) -> None:
        """Store a new member with its events; raises Conflict on a taken card number."""

    async def save(
        self, member: PartyMember, events: Sequence[Event], applying: str | None = None
    ) -> bool:
        """Store a changed member if no one changed it meanwhile (and `applying`, a transfer
        id, was not applied yet); False when the write did not happen."""

    async def save_many(
        self,
        savings: Sequence[Saving[PartyMember]],
        placed: Mapping[str, frozenset[str]] | None = None,
    ) -> set[str]:
        """`save` of many members in one bulk write; the ids of those written. `placed`: the
        ancestries of cells the tree known here does not show yet (a restructuring's)."""

    async def save_received(self, savings: Sequence[Saving[PartyMember]]) -> set[str]:
        """`save_many` of a dissolved cell's members, each received by the cell that covers
        their residential group."""

    async def follow_tree(self, ancestries: Mapping[str, frozenset[str]]) -> int:
        """These organisations stand elsewhere in the tree now (each with its ancestry): their
        members are found under their new ancestors; how many members changed."""

    async def waiting_for(
        self,
        person_of: Mapping[str, str],
        from_cells: Sequence[str] = (),
        applied_as: Mapping[str, str] | None = None,
    ) -> dict[str, PartyMember]:
        """Of these transfers (id → member id), the member of each not yet applied to them, by
        transfer id; `from_cells`: where they likely are (the cells the transfers leave);
        `applied_as`: what each may be kept as applied instead of its id (applied_as)."""


class TransferRepository(Protocol):
    async def get(self, transfer_id: str) -> Transfer | None: ...

    async def get_many(self, transfer_ids: Sequence[str]) -> list[Transfer]: ...

    async def add(self, transfer: Transfer, events: Sequence[Event]) -> None: ...

    async def add_many_once(
        self, transfers: Sequence[Transfer], events_of: Callable[[Transfer], Event]
    ) -> int:
        """Insert the transfers not stored yet, in one bulk write; returns how many were new."""

    async def save(self, transfer: Transfer, events: Sequence[Event]) -> bool: ...

    async def save_many(
        self, savings: Sequence[Saving[Transfer]], announce: bool = True
    ) -> set[str]:
        """`save` of many transfers in one bulk write; the ids of those written. With
        `announce` False, their events leave only once `announce` is called (or once the
        relay finds them abandoned)."""

    async def announce(self, transfer_ids: Sequence[str]) -> None: ...

    async def find(self, where: TransferFilter) -> list[Transfer]: ...

    async def open_for(self, person_id: str) -> Transfer | None: ...

    async def away_on(
        self, today: date, organisation_id: str | None, scope: Scope = EVERYWHERE
    ) -> set[str]:
        """The members away on a TEMPORARY stay on `today` (received by the host, its end date
        not passed), of the cell they left (any, when None), within the scope."""

    async def moving_elsewhere(self, person_ids: Sequence[str], case_id: str) -> set[str]:
        """Who of these people already has a transfer under way, not of this case."""

    async def progress(self, case_id: str, today: date) -> TransferProgress: ...


class CandidateRepository(Protocol):
    async def get(self, candidate_id: str) -> AdmissionCandidate | None: ...

    async def in_organisation(self, organisation_id: str) -> list[AdmissionCandidate]: ...

    async def ids_in_organisation(self, organisation_id: str) -> list[str]:
        """The ids of its candidates in progress, in the order of `in_organisation`."""

    async def get_many(self, candidate_ids: Sequence[str]) -> list[AdmissionCandidate]: ...

    async def find(
        self, organisation_id: str | None, search: str | None, scope: Scope = EVERYWHERE
    ) -> list[AdmissionCandidate]: ...

    async def add(self, candidate: AdmissionCandidate, events: Sequence[Event]) -> None: ...

    async def save(
        self, candidate: AdmissionCandidate, events: Sequence[Event], applying: str | None = None
    ) -> bool: ...

    async def save_many(self, savings: Sequence[Saving[AdmissionCandidate]]) -> set[str]: ...

    async def waiting_for(self, person_of: Mapping[str, str]) -> dict[str, AdmissionCandidate]:
        """Of these transfers (id → candidate id), the candidate of each not yet applied to them, by
        transfer id."""


class OrganisationDirectory(Protocol):
    """The read model of organisations, kept from the organisations service's events."""

    async def get(self, organisation_id: str) -> KnownOrganisation | None: ...

    async def get_many(self, organisation_ids: Sequence[str]) -> list[KnownOrganisation]: ...

    async def residential_cells_of(self, ward_committee_id: str) -> list[KnownOrganisation]: ...

    async def ancestries(self, organisation_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """Each known organisation's id with its parent's and ancestors' ids."""

    async def within(self, roots: Collection[str]) -> frozenset[str]:
        """The known organisations of these subtrees, roots included."""

    async def remember(self, organisation: KnownOrganisation) -> bool:
        """Keep this version unless a newer one is known; True when it was kept."""

    async def remember_many(
        self, organisations: Sequence[KnownOrganisation]
    ) -> dict[str, frozenset[str]]:
        """Keep each as `remember` does, in bulk; the ancestries of those known already, as
        they were before (what `ancestries` would have said)."""


class HandOverBook(Protocol):
    """The hand-over records of restructurings, with the people on each book."""

    async def get(self, case_id: str, organisation_id: str) -> HandOverSigned | None: ...

    async def keep(self, record: HandOverSigned) -> None:
        """Keep it once: a redelivery keeps the first list."""


class CaseBook(Protocol):
    """The dissolution cases this service has heard of, and whether their people are relocated."""

    async def get(self, case_id: str) -> DissolutionCase | None: ...

    async def remember(self, case: DissolutionCase) -> None: ...

    async def decided_for_cells(self, cell_ids: Collection[str]) -> list[DissolutionCase]:
        """The cases of these cells whose dissolution is decided (relocated or not)."""

    async def mark_relocated(self, case: DissolutionCase, event: Event) -> bool:
        """Flag the case relocated with its event in one write, once; True the first time."""


class ImportStore(Protocol):
    """What a bulk import reads before it decides, and its bulk writes."""

    async def organisations_by_code(self, codes: Sequence[str]) -> list[KnownOrganisation]: ...

    async def members_in(self, organisation_ids: Sequence[str]) -> list[PartyMember]:
        """The members of these cells (one equality query a cell: FerretDB 1.24 reads every
        document of the collection for an `$in` of card numbers, and pushes an equality down)."""

    async def members_by_card(self, card_numbers: Sequence[str]) -> list[PartyMember]: ...

    async def members_by_citizen_id(self, citizen_ids: Sequence[str]) -> list[PartyMember]:
        """The members holding these citizen IDs (a query each, on the unique index)."""

    async def candidates_in(self, organisation_ids: Sequence[str]) -> list[AdmissionCandidate]:
        """The candidates of these cells, whatever their stage (a query a cell)."""

    async def write_members(
        self,
        new: Sequence[tuple[PartyMember, Event]],
        changed: Sequence[tuple[PartyMember, Event]],
    ) -> set[str]:
        """Insert the new members and store the changed ones over the version before theirs,
        each with its event, in bulk; the ids of those not written (a card number taken, or the
        member changed, meanwhile)."""

    async def write_candidates(self, new: Sequence[tuple[AdmissionCandidate, Event]]) -> set[str]:
        """Insert the new candidates with their events in bulk; the ids of those not written."""
