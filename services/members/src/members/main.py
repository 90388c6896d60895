"""Composition root: wires Mongo, the outbox relay, the consumer and the subgraph."""

from typing import Any

from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import Runtime

from members.config import Settings
from members.handlers import subscriptions
from members.repository import MongoMemberRepository, MongoOrganisationDirectory
from members.schema import schema
from members.service import MemberService


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings())
    members = MongoMemberRepository(runtime.db, on_write=runtime.relay.notify)
    service = MemberService(members, MongoOrganisationDirectory(runtime.db))
    runtime.relay_events_of(members.collection)
    runtime.subscribe(subscriptions(service))

    async def context() -> dict[str, Any]:
        return {"service": service}

    return create_service_app(runtime, schema, context, on_startup=members.create_indexes)


def run() -> None:
    import uvicorn

    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    run()
