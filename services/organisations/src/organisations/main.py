"""Composition root: wires Mongo, the outbox relay, the consumer, the clock and the subgraph."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import Runtime

from organisations.clock import SettableClock
from organisations.config import Settings
from organisations.handlers import subscriptions
from organisations.repository import (
    MongoCampaignRepository,
    MongoCaseRepository,
    MongoDirectiveRepository,
    MongoOrganisationRepository,
)
from organisations.repository.outbox import OutboxWrites
from organisations.schema import schema
from organisations.service import DirectiveService, DissolutionService, HierarchyService

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, clock: SettableClock | None = None) -> FastAPI:
    settings = settings or Settings()
    clock = clock or SettableClock(settings.partyorg_today)
    runtime = Runtime(settings)
    outbox = OutboxWrites()
    organisations = MongoOrganisationRepository(runtime.db, outbox)
    directives = MongoDirectiveRepository(runtime.db, outbox)
    campaigns = MongoCampaignRepository(runtime.db, outbox)
    cases = MongoCaseRepository(runtime.db, outbox)
    hierarchy = HierarchyService(organisations)
    directive_service = DirectiveService(directives, hierarchy)
    dissolution = DissolutionService(campaigns, cases, hierarchy, directive_service, clock)
    runtime.relay_events_of(
        *(repository.collection for repository in (organisations, directives, campaigns, cases))
    )
    runtime.subscribe(subscriptions(dissolution))

    async def context() -> dict[str, Any]:
        return {
            "hierarchy": hierarchy,
            "directives": directive_service,
            "dissolution": dissolution,
            "clock": clock,
            "development": settings.environment == "development",
        }

    async def create_indexes() -> None:
        for repository in (organisations, directives, campaigns, cases):
            await repository.create_indexes()

    app = create_service_app(runtime, schema, context, on_startup=create_indexes)
    served = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with served(app):
            task = asyncio.create_task(
                keep_up(dissolution, settings.dissolution_check_seconds), name="dissolution-check"
            )
            try:
                yield
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan
    app.state.dissolution = dissolution
    app.state.clock = clock
    return app


async def keep_up(dissolution: DissolutionService, every_seconds: float) -> None:
    """Finish interrupted campaign launches and dissolve cells on their effective date."""
    while True:
        try:
            await dissolution.complete_pending_work()
        except Exception:
            log.exception("dissolution check failed; retrying at the next tick")
        await asyncio.sleep(every_seconds)


def run() -> None:
    import uvicorn

    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    run()
