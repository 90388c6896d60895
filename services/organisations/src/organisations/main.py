"""Composition root: wires Mongo, the outbox relay, the consumer, the clock and the subgraph."""

import sys

from fastapi import FastAPI
from kit.clock import Clock, KeptDay
from kit.http import create_service_app, serve
from kit.runtime import Runtime

from organisations import events
from organisations.config import Settings
from organisations.handlers import subscriptions
from organisations.repository import (
    MongoCampaignRepository,
    MongoCaseRepository,
    MongoDirectiveRepository,
    MongoOrganisationRepository,
)
from organisations.repository.imports import MongoOrganisationImports
from organisations.repository.restructuring import MongoRestructuringRepository
from organisations.repository.restructuring_campaigns import MongoRestructuringCampaignRepository
from organisations.schema import schema
from organisations.schema.context import OrganisationsContext
from organisations.service import (
    DirectiveService,
    DissolutionReads,
    DissolutionService,
    HierarchyService,
    OrganisationImportService,
    Papers,
    RestructuringService,
    RestructuringTree,
    UseCases,
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    clock = clock or Clock(settings.partyorg_today)
    runtime = Runtime(settings, personal=events.PERSONAL_DATA)
    kept_day = KeptDay(runtime.db, clock)
    organisations = MongoOrganisationRepository(runtime.db)
    directives = MongoDirectiveRepository(runtime.db)
    campaigns = MongoCampaignRepository(runtime.db)
    cases = MongoCaseRepository(runtime.db)
    hierarchy = HierarchyService(organisations)
    imports = OrganisationImportService(MongoOrganisationImports(organisations))
    directive_service = DirectiveService(directives, hierarchy)
    dissolution = DissolutionService(campaigns, cases, hierarchy, directive_service, clock)
    dissolution_reads = DissolutionReads(campaigns, cases, directive_service, clock)
    restructuring_cases = MongoRestructuringRepository(runtime.db)
    restructuring_campaigns = MongoRestructuringCampaignRepository(runtime.db)
    restructuring = RestructuringService(
        restructuring_cases, restructuring_campaigns, RestructuringTree(organisations), clock
    )
    stores = (
        organisations,
        directives,
        campaigns,
        cases,
        restructuring_cases,
        restructuring_campaigns,
    )
    runtime.relay_events_of(*(store.collection for store in stores), kept_day.collection)
    runtime.subscribe(subscriptions(dissolution))

    papers = Papers(hierarchy, directive_service, dissolution_reads, settings.papers_place)
    wired = UseCases(
        hierarchy=hierarchy,
        directives=directive_service,
        dissolution=dissolution,
        dissolution_reads=dissolution_reads,
        imports=imports,
        restructuring=restructuring,
        clock=clock,
        kept_day=kept_day,
        papers=papers,
    )

    async def create_indexes() -> None:
        for store in stores:
            await store.create_indexes()
        await kept_day.take_up()

    # finish interrupted campaign launches and dissolve cells on their effective date, in
    # one replica at a time; another takes over three missed ticks after its holder stopped
    runtime.every(
        settings.dissolution_check_seconds,
        dissolution.complete_pending_work,
        name="dissolution-check",
        leased_for=3 * settings.dissolution_check_seconds,
    )
    # apply to the tree the outcome of restructurings interrupted after their completion, in
    # one replica at a time, as the dissolution check
    runtime.every(
        settings.dissolution_check_seconds,
        restructuring.complete_pending_work,
        name="restructuring-check",
        leased_for=3 * settings.dissolution_check_seconds,
    )
    app = create_service_app(
        runtime, schema, wired, OrganisationsContext, on_startup=create_indexes
    )
    app.state.dissolution = dissolution
    app.state.dissolution_reads = dissolution_reads
    app.state.clock = clock
    return app


def run() -> None:
    settings = Settings()
    serve(create_app(settings), settings, sys.argv[1:])


if __name__ == "__main__":
    run()
