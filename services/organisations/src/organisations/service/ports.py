"""What the use cases need from storage: repository Protocols, implemented over PyMongo."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kit.pages import Page

from organisations.domain import (
    Campaign,
    CellType,
    Directive,
    DissolutionCase,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    RestructuringCampaign,
    RestructuringCase,
    RestructuringKind,
    RestructuringStage,
    Stage,
)

Event = dict[str, Any]


@dataclass(frozen=True)
class OrganisationFilter:
    kind: OrganisationKind | None = None
    cell_type: CellType | None = None
    status: OrganisationStatus | None = None
    parent_id: str | None = None
    within_id: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class Change:
    """An organisation to store over the version it was read at, with its events."""

    organisation: Organisation
    read_version: int
    events: Sequence[Event]


class OrganisationRepository(Protocol):
    async def get(self, organisation_id: str) -> Organisation | None: ...

    async def get_many(self, ids: Sequence[str]) -> list[Organisation]: ...

    async def by_code(self, code: str) -> Organisation | None:
        """The organisation with this code now, or that carried it before a restructuring."""

    async def ever_under(self, parent_id: str) -> list[Organisation]:
        """Every organisation that stood under `parent_id` at some time, by code."""

    async def ever_matching(self, criteria: OrganisationFilter) -> list[Organisation]:
        """Every organisation of the criteria's kind and cell type that its search finds by
        any code it carried, by code (status and place left to the day asked)."""

    async def add(self, organisation: Organisation, events: Sequence[Event]) -> None:
        """Store a new organisation with its events; raises Conflict on a taken code."""

    async def save(self, changes: Sequence[Change]) -> None:
        """Store each change in one document write, the first (the organisation) before the
        rest; Conflict when one was changed meanwhile, and none written when the first was."""

    async def page(
        self, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]: ...

    async def descendants(self, root_ids: Collection[str]) -> list[Organisation]:
        """The organisations below any of these, in one query."""

    async def covering(self, parent_id: str, groups: Sequence[str]) -> list[Organisation]:
        """The active organisations under `parent_id` covering any of these groups."""


class DirectiveRepository(Protocol):
    async def get(self, directive_id: str) -> Directive | None: ...

    async def get_many(self, ids: Sequence[str]) -> list[Directive]: ...

    async def by_number_key(self, key: str) -> Directive | None: ...

    async def all(self) -> list[Directive]: ...

    async def add(self, directive: Directive, events: Sequence[Event]) -> None:
        """Store a new directive; raises Conflict on a taken number."""


class CampaignRepository(Protocol):
    async def get(self, campaign_id: str) -> Campaign | None: ...

    async def find(
        self, district_committee_id: str | None, directive_id: str | None
    ) -> list[Campaign]: ...

    async def add(self, campaign: Campaign, events: Sequence[Event]) -> None:
        """Store a new campaign; raises Conflict when it was launched already."""

    async def mark_cases_opened(self, campaign_id: str) -> None: ...

    async def with_unopened_cases(self) -> list[Campaign]: ...


class CaseRepository(Protocol):
    async def get(self, case_id: str) -> DissolutionCase | None: ...

    async def get_many(self, case_ids: Sequence[str]) -> list[DissolutionCase]: ...

    async def find(
        self,
        campaign_id: str | None = None,
        stage: Stage | None = None,
        ward_committee_id: str | None = None,
        cell_ids: Sequence[str] | None = None,
        campaign_ids: Sequence[str] | None = None,
    ) -> list[DissolutionCase]: ...

    async def open_all(self, opened: Sequence[tuple[DissolutionCase, Sequence[Event]]]) -> None:
        """Store new cases, each with its own events; cases already stored stay as they are."""

    async def save(
        self,
        case: DissolutionCase,
        read_version: int,
        events: Sequence[Event],
        applied_event_id: str | None = None,
    ) -> None:
        """Store the case over the version it was read at; Conflict when changed meanwhile."""

    async def mark_cell_dissolved(self, case_id: str) -> None: ...

    async def awaiting_cell_dissolution(self) -> list[DissolutionCase]: ...

    async def stage_counts(self, campaign_id: str) -> dict[Stage, int]:
        """How many of the campaign's cases stand at each stage, as kept with each change."""


class OrganisationImports(Protocol):
    """What a bulk import of organisations reads before it decides, and its bulk write."""

    async def by_codes(self, codes: Sequence[str]) -> list[Organisation]: ...

    async def covering(
        self, parent_ids: Sequence[str], groups: Sequence[str]
    ) -> list[Organisation]:
        """The active organisations under any of these parents covering any of these groups."""

    async def write(
        self, new: Sequence[tuple[Organisation, Event]], changed: Sequence[Change]
    ) -> set[str]:
        """Insert the new organisations and store the changed ones over the version they were
        read at, each with its events, in bulk; the ids of those not written (a code taken, or
        the organisation changed, meanwhile)."""


class RestructuringRepository(Protocol):
    async def get(self, case_id: str) -> RestructuringCase | None: ...

    async def get_many(self, case_ids: Sequence[str]) -> list[RestructuringCase]: ...

    async def find(
        self,
        campaign_id: str | None = None,
        stage: RestructuringStage | None = None,
        kind: RestructuringKind | None = None,
    ) -> list[RestructuringCase]: ...

    async def open_concerning(
        self, given: Sequence[str], received: Sequence[str]
    ) -> list[RestructuringCase]:
        """The cases not completed that give any of these organisations, or receive into one
        of those given: an organisation is given in one case at a time, and what is being
        given away receives nothing meanwhile."""

    async def add(self, case: RestructuringCase, events: Sequence[Event]) -> None: ...

    async def save(
        self, case: RestructuringCase, read_version: int, events: Sequence[Event]
    ) -> None:
        """Store the case over the version it was read at; Conflict when changed meanwhile."""

    async def mark_tree_applied(self, case_id: str) -> None: ...

    async def awaiting_tree(self) -> list[RestructuringCase]:
        """Completed cases whose outcome is not applied to the tree yet."""

    async def stage_counts(self, campaign_id: str) -> dict[RestructuringStage, int]:
        """How many of the campaign's cases stand at each stage, as kept with each change."""


class RestructuringCampaignRepository(Protocol):
    async def get(self, campaign_id: str) -> RestructuringCampaign | None: ...

    async def all(self) -> list[RestructuringCampaign]: ...

    async def add(self, campaign: RestructuringCampaign, events: Sequence[Event]) -> None: ...
