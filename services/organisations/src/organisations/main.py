"""Composition root: wires Mongo, the outbox relay, the consumer and the subgraph."""

from typing import Any

from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import Runtime

from organisations.config import Settings
from organisations.repository import MongoOrganisationRepository
from organisations.schema import schema
from organisations.service import OrganisationService


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings())
    organisations = MongoOrganisationRepository(runtime.db, on_write=runtime.relay.notify)
    service = OrganisationService(organisations)
    runtime.relay_events_of(organisations.collection)

    async def context() -> dict[str, Any]:
        return {"service": service}

    return create_service_app(runtime, schema, context, on_startup=organisations.create_indexes)


def run() -> None:
    import uvicorn

    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    run()
