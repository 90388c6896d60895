"""Composition root: wires Mongo, the consumer and the subgraph."""

from typing import Any

from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import Runtime

from evaluations.config import Settings
from evaluations.handlers import subscriptions
from evaluations.repository import MongoEvaluationRepository, MongoRoster
from evaluations.schema import schema
from evaluations.service import EvaluationService


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or Settings())
    roster = MongoRoster(runtime.db)
    service = EvaluationService(roster, MongoEvaluationRepository(runtime.db))
    runtime.subscribe(subscriptions(service))

    async def context() -> dict[str, Any]:
        return {"service": service}

    return create_service_app(runtime, schema, context, on_startup=roster.create_indexes)


def run() -> None:
    import uvicorn

    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    run()
