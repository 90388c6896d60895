"""Composition root: wires Mongo, the use cases, the consumer and the subgraph."""

import sys
from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from kit.clock import Clock, KeptDay
from kit.http import create_service_app, serve
from kit.pseudonyms import KeyDigests, configured
from kit.runtime import Runtime

from evaluations import events
from evaluations.config import Settings
from evaluations.domain import Policy
from evaluations.handlers import subscriptions
from evaluations.repository import MongoRepositories
from evaluations.schema import schema
from evaluations.schema.context import EvaluationsContext
from evaluations.service import (
    AssignmentService,
    EvaluationService,
    Finalisations,
    HostFeedbackService,
    PolicyFindings,
    Reports,
    RosterService,
    SupervisionService,
    UseCases,
    WorkplaceResults,
)
from evaluations.service.ports import Repositories
from evaluations.service.ward_places import WardPlaces
from evaluations.service.workplace import DEVELOPMENT_DIGESTS

REAL_TIME = Clock()  # in Viet Nam, no day set: for the tests and benches that wire use cases


def use_cases(
    repositories: Repositories,
    policy: Policy,
    clock: Callable[[], datetime] = REAL_TIME.now,
    key_digests: KeyDigests = DEVELOPMENT_DIGESTS,
) -> UseCases:
    """The use cases over the repositories of one database (the app's, a test's, a bench's)."""
    r = repositories
    roster = RosterService(r.roster, r.organisations, r.evaluations)
    evaluations = EvaluationService(r.evaluations, roster, clock)
    workplace = WorkplaceResults(r.assessments, roster, clock, key_digests)
    findings = PolicyFindings(policy, r.evaluations, r.assessments, roster)
    return UseCases(
        roster=roster,
        assignments=AssignmentService(r.assignments, roster, clock),
        supervision=SupervisionService(r.feedback, roster, clock),
        hosting=HostFeedbackService(r.host_feedback, roster, clock),
        workplace=workplace,
        evaluations=evaluations,
        findings=findings,
        finalisations=Finalisations(
            r.evaluations,
            r.assessments,
            evaluations,
            roster,
            findings,
            WardPlaces(r.evaluations, findings, r.excellent_places),
            clock,
        ),
        reports=Reports(evaluations, workplace, roster, findings, r.summary_counts),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime(settings, personal=events.PERSONAL_DATA)
    # the kit's database tells the relay of every write that leaves events to publish
    repositories = MongoRepositories(runtime.db)
    runtime.relay_events_of(
        repositories.assessments.collection, repositories.evaluations.collection
    )
    kept_day = KeptDay(runtime.db, Clock(settings.partyorg_today))
    key_digests = configured(settings.member_key_secret, settings.production)
    wired = use_cases(
        repositories, Policy(settings.policy_options), kept_day.clock.now, key_digests
    )
    runtime.subscribe(subscriptions(wired.roster, kept_day))

    async def start() -> None:
        await repositories.create_indexes()
        await kept_day.take_up()

    return create_service_app(runtime, schema, wired, EvaluationsContext, on_startup=start)


def run() -> None:
    settings = Settings()
    serve(create_app(settings), settings, sys.argv[1:])


if __name__ == "__main__":
    run()
