"""Composition root: wires Mongo, the consumer and the subgraph."""

from typing import Any

from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import Runtime

from evaluations.config import Settings
from evaluations.domain.policy import Policy
from evaluations.handlers import subscriptions
from evaluations.repository import MongoRepositories
from evaluations.schema import schema
from evaluations.service.evaluations import EvaluationService


def evaluation_service(repositories: MongoRepositories, policy: Policy) -> EvaluationService:
    """The use cases over the repositories of one database (the app's, a test's, a bench's)."""
    return EvaluationService(
        repositories.roster,
        repositories.organisations,
        repositories.assignments,
        repositories.assessments,
        repositories.feedback,
        repositories.evaluations,
        policy,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime(settings)
    repositories = MongoRepositories(runtime.db, runtime.relay.notify)
    runtime.relay_events_of(
        repositories.assessments.collection, repositories.evaluations.collection
    )
    service = evaluation_service(repositories, Policy(settings.policy_options))
    runtime.subscribe(subscriptions(service))

    async def context() -> dict[str, Any]:
        return {"service": service}

    return create_service_app(runtime, schema, context, on_startup=repositories.create_indexes)


def run() -> None:
    import uvicorn

    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    run()
