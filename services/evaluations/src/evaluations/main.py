"""Composition root: wires Mongo, the consumer and the subgraph."""

from typing import Any

from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import Runtime

from evaluations.config import Settings
from evaluations.handlers import subscriptions
from evaluations.policy import Policy
from evaluations.repository import (
    MongoAssignments,
    MongoEvaluations,
    MongoOrganisationDirectory,
    MongoRoster,
    MongoSupervisionFeedback,
    MongoWorkplaceAssessments,
)
from evaluations.schema import schema
from evaluations.service import EvaluationService


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime(settings)
    roster = MongoRoster(runtime.db)
    organisations = MongoOrganisationDirectory(runtime.db)
    assignments = MongoAssignments(runtime.db)
    assessments = MongoWorkplaceAssessments(runtime.db, runtime.relay.notify)
    evaluations = MongoEvaluations(runtime.db, runtime.relay.notify)
    runtime.relay_events_of(assessments.collection, evaluations.collection)
    service = EvaluationService(
        roster,
        organisations,
        assignments,
        assessments,
        MongoSupervisionFeedback(runtime.db),
        evaluations,
        Policy(settings.policy_options),
    )
    runtime.subscribe(subscriptions(service))

    async def create_indexes() -> None:
        for repository in (roster, organisations, assignments, assessments, evaluations):
            await repository.create_indexes()

    async def context() -> dict[str, Any]:
        return {"service": service}

    return create_service_app(runtime, schema, context, on_startup=create_indexes)


def run() -> None:
    import uvicorn

    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    run()
