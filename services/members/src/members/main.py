"""Composition root: wires Mongo, the outbox relay, the consumer and the subgraph."""

import sys

from fastapi import FastAPI
from kit.clock import Clock, KeptDay
from kit.http import create_service_app, serve
from kit.pseudonyms import configured
from kit.runtime import Runtime

from members import events
from members.clock import is_vietnamese_public_holiday
from members.config import Settings
from members.handlers import subscriptions
from members.repository import (
    MongoCandidateRepository,
    MongoCaseBook,
    MongoHandOverBook,
    MongoImportStore,
    MongoMemberRepository,
    MongoOrganisationDirectory,
    MongoTransferRepository,
)
from members.schema import schema
from members.schema.context import MembersContext
from members.service import (
    CandidateService,
    ImportService,
    MemberService,
    Papers,
    Relocation,
    Restructurings,
    TransferService,
    TransfersInBulk,
    UseCases,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime(settings, personal=events.PERSONAL_DATA)
    events.use_key_digests(configured(settings.member_key_secret, settings.production))
    kept_day = KeptDay(runtime.db, Clock(settings.partyorg_today))
    # writes are serialised per collection by the kit's database (FerretDB 1.24 loses
    # concurrent updates of one document), which makes the guarded updates below hold; it
    # tells the outbox relay of each write
    members = MongoMemberRepository(runtime.db)
    transfers = MongoTransferRepository(runtime.db)
    candidates = MongoCandidateRepository(runtime.db)
    cases = MongoCaseBook(runtime.db)
    organisations = MongoOrganisationDirectory(runtime.db)
    member_service = MemberService(
        members, organisations, cases, kept_day.clock, is_vietnamese_public_holiday
    )
    relocation = Relocation(transfers, members, candidates, organisations, cases, kept_day.clock)
    transfer_service = TransferService(
        transfers,
        members,
        candidates,
        organisations,
        relocation,
        kept_day.clock,
        is_vietnamese_public_holiday,
    )
    transfers_in_bulk = TransfersInBulk(transfer_service)
    candidate_service = CandidateService(candidates, members, organisations, cases, kept_day.clock)
    import_store = MongoImportStore(runtime.db)
    import_service = ImportService(import_store)
    runtime.relay_events_of(
        members.collection, transfers.collection, candidates.collection, cases.collection
    )
    hand_overs = MongoHandOverBook(runtime.db)
    restructurings = Restructurings(members, candidates, organisations, hand_overs)
    runtime.subscribe(
        subscriptions(member_service, relocation, transfers_in_bulk, kept_day, restructurings)
    )

    wired = UseCases(
        members=member_service,
        transfers=transfer_service,
        transfers_in_bulk=transfers_in_bulk,
        relocation=relocation,
        candidates=candidate_service,
        imports=import_service,
        papers=Papers(
            organisations, transfers, members, candidates, settings.papers_place, hand_overs
        ),
    )

    async def create_indexes() -> None:
        for repository in (
            members,
            transfers,
            candidates,
            organisations,
            cases,
            import_store,
            hand_overs,
        ):
            await repository.create_indexes()
        await kept_day.take_up()

    return create_service_app(runtime, schema, wired, MembersContext, on_startup=create_indexes)


def run() -> None:
    settings = Settings()
    serve(create_app(settings), settings, sys.argv[1:])


if __name__ == "__main__":
    run()
