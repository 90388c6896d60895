"""In-memory fakes of the repositories: the use cases without FerretDB or RabbitMQ."""

import copy
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from kit.clock import Clock
from kit.identity import Principal
from kit.pages import Page
from kit.search import finds
from organisations.domain import (
    Campaign,
    Conflict,
    Directive,
    DissolutionCase,
    Organisation,
    Stage,
)
from organisations.schema import schema
from organisations.schema.context import OrganisationsContext
from organisations.service import (
    DirectiveService,
    DissolutionReads,
    DissolutionService,
    HierarchyService,
    Papers,
    UseCases,
)
from organisations.service.ports import Change, OrganisationFilter

Event = dict[str, Any]


class Outbox:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def of_type(self, suffix: str) -> list[Event]:
        return [e for e in self.events if e["type"].endswith(suffix)]


class InMemoryOrganisations:
    def __init__(self, outbox: Outbox) -> None:
        self.stored: dict[str, Organisation] = {}
        self.outbox = outbox

    async def get(self, organisation_id: str) -> Organisation | None:
        found = self.stored.get(organisation_id)
        return copy.deepcopy(found) if found else None

    async def get_many(self, ids: Sequence[str]) -> list[Organisation]:
        return [copy.deepcopy(self.stored[i]) for i in ids if i in self.stored]

    async def by_code(self, code: str) -> Organisation | None:
        return next((copy.deepcopy(o) for o in self.stored.values() if o.code == code), None)

    async def add(self, organisation: Organisation, events: Sequence[Event]) -> None:
        if any(o.code == organisation.code for o in self.stored.values()):
            raise Conflict("code taken")
        self.stored[organisation.id] = copy.deepcopy(organisation)
        self.outbox.events.extend(events)

    async def save(self, changes: Sequence[Change]) -> None:
        for change in changes:
            if self.stored[change.organisation.id].version != change.read_version:
                raise Conflict("changed meanwhile")
            self.stored[change.organisation.id] = copy.deepcopy(change.organisation)
            self.outbox.events.extend(change.events)

    async def page(
        self, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]:
        found = sorted(
            (
                o
                for o in self.stored.values()
                if (criteria.kind is None or o.kind is criteria.kind)
                and (criteria.cell_type is None or o.cell_type is criteria.cell_type)
                and (criteria.parent_id is None or o.parent_id == criteria.parent_id)
                and (criteria.within_id is None or criteria.within_id in o.ancestor_ids)
            ),
            key=lambda o: o.code,
        )
        items = [copy.deepcopy(o) for o in found[:first]]
        return Page(items, [o.code for o in items], len(found) > first, len(found), after)

    async def ever_matching(self, criteria: OrganisationFilter) -> list[Organisation]:
        def codes(o: Organisation) -> str:
            return " ".join([o.code, *(f.code for f in o.former_codes)])

        found = [
            o
            for o in self.stored.values()
            if (criteria.kind is None or o.kind is criteria.kind)
            and (criteria.cell_type is None or o.cell_type is criteria.cell_type)
            and (criteria.search is None or finds(criteria.search, f"{o.name} {codes(o)}"))
        ]
        return sorted((copy.deepcopy(o) for o in found), key=lambda o: o.code)

    async def ever_under(self, parent_id: str) -> list[Organisation]:
        found = [
            o
            for o in self.stored.values()
            if any(p.parent_id == parent_id for p in o.parent_history)
        ]
        return sorted((copy.deepcopy(o) for o in found), key=lambda o: o.code)

    async def descendants(self, root_ids: Collection[str]) -> list[Organisation]:
        return [
            copy.deepcopy(o)
            for o in self.stored.values()
            if not set(root_ids).isdisjoint(o.ancestor_ids)
        ]

    async def covering(self, parent_id: str, groups: Sequence[str]) -> list[Organisation]:
        return [
            copy.deepcopy(o)
            for o in self.stored.values()
            if o.parent_id == parent_id and o.is_active and set(o.coverage) & set(groups)
        ]


class InMemoryDirectives:
    def __init__(self, outbox: Outbox) -> None:
        self.stored: dict[str, Directive] = {}
        self.outbox = outbox

    async def get(self, directive_id: str) -> Directive | None:
        return self.stored.get(directive_id)

    async def get_many(self, ids: Sequence[str]) -> list[Directive]:
        return [self.stored[i] for i in ids if i in self.stored]

    async def by_number_key(self, key: str) -> Directive | None:
        return next((d for d in self.stored.values() if d.number.key == key), None)

    async def all(self) -> list[Directive]:
        return list(self.stored.values())

    async def add(self, directive: Directive, events: Sequence[Event]) -> None:
        if directive.id in self.stored:
            raise Conflict("number taken")
        self.stored[directive.id] = directive
        self.outbox.events.extend(events)


class InMemoryCampaigns:
    def __init__(self, outbox: Outbox) -> None:
        self.stored: dict[str, Campaign] = {}
        self.outbox = outbox

    async def get(self, campaign_id: str) -> Campaign | None:
        return copy.deepcopy(self.stored.get(campaign_id))

    async def find(
        self, district_committee_id: str | None, directive_id: str | None
    ) -> list[Campaign]:
        return list(self.stored.values())

    async def add(self, campaign: Campaign, events: Sequence[Event]) -> None:
        if campaign.id in self.stored:
            raise Conflict("launched already")
        self.stored[campaign.id] = copy.deepcopy(campaign)
        self.outbox.events.extend(events)

    async def mark_cases_opened(self, campaign_id: str) -> None:
        self.stored[campaign_id].cases_opened = True

    async def with_unopened_cases(self) -> list[Campaign]:
        return [c for c in self.stored.values() if not c.cases_opened]


class InMemoryCases:
    def __init__(self, outbox: Outbox) -> None:
        self.stored: dict[str, DissolutionCase] = {}
        self.applied: set[str] = set()
        self.outbox = outbox

    async def get(self, case_id: str) -> DissolutionCase | None:
        return copy.deepcopy(self.stored.get(case_id))

    async def get_many(self, case_ids: Sequence[str]) -> list[DissolutionCase]:
        return [copy.deepcopy(self.stored[i]) for i in dict.fromkeys(case_ids) if i in self.stored]

    async def stage_counts(self, campaign_id: str) -> dict[Stage, int]:
        return dict(Counter(c.stage for c in self.stored.values() if c.campaign_id == campaign_id))

    async def find(
        self,
        campaign_id: str | None = None,
        stage: Stage | None = None,
        ward_committee_id: str | None = None,
        cell_ids: Sequence[str] | None = None,
        campaign_ids: Sequence[str] | None = None,
    ) -> list[DissolutionCase]:
        return [
            copy.deepcopy(c)
            for c in self.stored.values()
            if (campaign_id is None or c.campaign_id == campaign_id)
            and (campaign_ids is None or c.campaign_id in campaign_ids)
            and (stage is None or c.stage is stage)
            and (cell_ids is None or c.cell_id in cell_ids)
        ]

    async def open_all(self, opened: Sequence[tuple[DissolutionCase, Sequence[Event]]]) -> None:
        for case, events in opened:
            if case.id not in self.stored:
                self.stored[case.id] = copy.deepcopy(case)
                self.outbox.events.extend(events)

    async def save(
        self,
        case: DissolutionCase,
        read_version: int,
        events: Sequence[Event],
        applied_event_id: str | None = None,
    ) -> None:
        if self.stored[case.id].version != read_version or applied_event_id in self.applied:
            raise Conflict("changed meanwhile")
        if applied_event_id:
            self.applied.add(applied_event_id)
        self.stored[case.id] = copy.deepcopy(case)
        self.outbox.events.extend(events)

    async def mark_cell_dissolved(self, case_id: str) -> None:
        self.stored[case_id].cell_dissolved = True

    async def awaiting_cell_dissolution(self) -> list[DissolutionCase]:
        return [
            copy.deepcopy(c)
            for c in self.stored.values()
            if c.decision is not None and not c.cell_dissolved
        ]


class Services:
    def __init__(self) -> None:
        self.outbox = Outbox()
        self.clock = Clock(date(2019, 9, 5))
        self.organisations = InMemoryOrganisations(self.outbox)
        self.cases = InMemoryCases(self.outbox)
        self.hierarchy = HierarchyService(self.organisations)
        self.directives = DirectiveService(InMemoryDirectives(self.outbox), self.hierarchy)
        campaigns = InMemoryCampaigns(self.outbox)
        self.dissolution = DissolutionService(
            campaigns, self.cases, self.hierarchy, self.directives, self.clock
        )
        self.dissolution_reads = DissolutionReads(
            campaigns, self.cases, self.directives, self.clock
        )


def request_context(
    services: Services, principal: Principal, production: bool = False
) -> OrganisationsContext:
    """What a request's resolvers find, over the fakes: no import and no personal-data read
    (nothing to log) in the unit tests that execute the schema."""
    use_cases = UseCases(
        hierarchy=services.hierarchy,
        directives=services.directives,
        dissolution=services.dissolution,
        dissolution_reads=services.dissolution_reads,
        imports=None,  # type: ignore[arg-type]
        restructuring=None,  # type: ignore[arg-type]
        clock=services.clock,
        kept_day=None,  # type: ignore[arg-type]
        papers=Papers(
            services.hierarchy, services.directives, services.dissolution_reads, "Hà Nội"
        ),
    )
    return OrganisationsContext(
        use_cases=use_cases,
        principal=principal,
        access_log=None,  # type: ignore[arg-type]
        production=production,
    )


async def answer(
    services: Services, principal: Principal, query: str, **variables: Any
) -> tuple[Any, list[str]]:
    """What the schema answers the caller, over the fakes: the data and each error's code."""
    context = request_context(services, principal)
    result = await schema.execute(query, variables, context_value=context)
    return result.data, [str((e.extensions or {}).get("code")) for e in result.errors or []]
