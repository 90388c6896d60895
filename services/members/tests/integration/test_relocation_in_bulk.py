"""A cell of 1,000 members is relocated in a handful of round trips, not 1,000."""

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date

import pytest_asyncio
from kit.clock import Clock
from kit.event_batches import BATCHES, READY, SENT
from kit.mongo import Document
from kit.outbox import PENDING
from members.consumed_events import Decision
from members.domain import (
    DissolutionCase,
    Gender,
    KnownOrganisation,
    PartyMember,
    Residence,
    Standing,
    Transfer,
)
from members.repository import (
    MongoCandidateRepository,
    MongoCaseBook,
    MongoMemberRepository,
    MongoOrganisationDirectory,
    MongoTransferRepository,
)
from members.repository.members import stored
from members.service import Relocation, TransferService
from members.service.transfers_in_bulk import TransfersInBulk
from members_support import group_name
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)

CELL_SIZE = 1000
RECEIVED = "partyorg.members.transfer.received.v1"
WARD = "ward-bulk"


@dataclass
class RoundTrips(CommandListener):
    commands: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)  # "insert transfers", "update outbox"
    updates: Counter[str] = field(default_factory=Counter)  # statements, by collection
    finds: Counter[str] = field(default_factory=Counter)

    def started(self, event: CommandStartedEvent) -> None:
        name = event.command_name
        self.commands.append(name)
        if name in ("insert", "update"):
            self.writes.append(f"{name} {event.command[name]}")
        if name == "update":
            self.updates[event.command[name]] += len(event.command["updates"])
        if name == "find":
            self.finds[event.command[name]] += 1

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass


@dataclass
class Counted:
    db: AsyncDatabase[Document]
    round_trips: RoundTrips
    relocation: Relocation
    in_bulk: TransfersInBulk


@pytest_asyncio.fixture(loop_scope="session")
async def counted() -> AsyncIterator[Counted]:
    round_trips = RoundTrips()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        "mongodb://127.0.0.1:27017/", event_listeners=[round_trips]
    )
    name = f"test_bulk_{uuid.uuid4().hex[:10]}"
    db = client[name]
    members = MongoMemberRepository(db)
    organisations = MongoOrganisationDirectory(db)
    transfers, candidates, clock = (
        MongoTransferRepository(db),
        MongoCandidateRepository(db),
        Clock(date(2019, 10, 1)),
    )
    service = Relocation(transfers, members, candidates, organisations, MongoCaseBook(db), clock)
    in_bulk = TransfersInBulk(
        TransferService(
            transfers, members, candidates, organisations, service, clock, lambda _: False
        )
    )
    for number in range(1, 11):
        await organisations.remember(
            KnownOrganisation(
                id=f"tdp{number}",
                code=f"TDP{number}",
                name=f"Chi bộ tổ dân phố {number}",
                kind="CELL",
                cell_type="RESIDENTIAL",
                parent_id=WARD,
                status="ACTIVE",
                coverage=[group_name(number)],
                version=1,
            )
        )
    await db["members"].insert_many(
        [
            stored(
                PartyMember(
                    id=f"m{n:04d}",
                    card_number=f"BULK.{n:04d}",
                    full_name=f"Đảng viên số {n}",
                    date_of_birth=date(1970, 1, 1),
                    gender=Gender.FEMALE,
                    standing=Standing.OFFICIAL,
                    admitted_on=date(2000, 1, 1),
                    official_on=date(2001, 1, 1),
                    organisation_id="big-agency",
                    residence=Residence("Ba Đình", group_name(n % 12 + 1)),
                ),
                {"big-agency": ["big-agency", WARD]},
            )
            for n in range(CELL_SIZE)
        ]
    )
    await members.counts.recount(db["members"])  # each counted on the agency cell
    yield Counted(db, round_trips, service, in_bulk)
    await client.drop_database(name)
    await client.close()


DECISION = Decision(
    case=DissolutionCase(id="case-big", cell_id="big-agency", ward_committee_id=WARD, decided=True),
    decided_on=date(2019, 9, 25),
    overrides={},
)


async def test_a_thousand_transfers_are_created_in_one_bulk_write(counted: Counted) -> None:
    counted.round_trips.commands.clear()
    counted.round_trips.writes.clear()
    created = await counted.relocation.relocate_on_decision(DECISION)
    assert created == CELL_SIZE
    commands = counted.round_trips.commands
    writes = counted.round_trips.writes
    # ONE bulk insert of the 1,000 transfers, their events in one of outbox batches, marked
    # READY (500 events a batch): no update of a transfer
    assert [w for w in writes if "insert" in w] == ["insert outbox", "insert transfers"]
    assert writes.count("update outbox") == 2 and "update transfers" not in writes
    assert len(commands) <= 13, commands  # the case kept, and the decided cases' stamp moved on
    progress = await counted.relocation.progress("case-big")
    uncovered = sum(1 for n in range(CELL_SIZE) if n % 12 + 1 > 10)  # groups 11 and 12
    assert (progress.total, progress.needing_destination) == (CELL_SIZE, uncovered)


async def test_the_same_decision_again_creates_nothing(counted: Counted) -> None:
    await counted.relocation.relocate_on_decision(DECISION)
    assert await counted.relocation.relocate_on_decision(DECISION) == 0
    assert await counted.db["transfers"].count_documents({"case_id": "case-big"}) == CELL_SIZE


async def published_by_the_relay(db: AsyncDatabase[Document]) -> None:
    """No relay runs here: what it does once it has published the outbox batches (a bulk step
    waits for the batches before it, kit.batched_saves)."""
    await db[BATCHES].update_many({"state": READY}, {"$set": {"state": SENT}})


async def test_a_thousand_receptions_are_written_with_one_update_and_their_events_in_batches(
    counted: Counted,
) -> None:
    await counted.relocation.relocate_on_decision(DECISION)
    await published_by_the_relay(counted.db)
    found = await counted.in_bulk.selected(None, "case-big", None)
    going = [t for t in found if isinstance(t, Transfer) and t.to_organisation_id is not None]
    numbered = [(t, f"{n:04d}-GGT/ĐU") for n, t in enumerate(going, start=1)]
    introduced = await counted.in_bulk.issue_introductions(numbered, date(2019, 10, 1))
    ready = [o.transfer for o in introduced if o.transfer is not None]
    assert len(ready) == len(going) > 800
    await published_by_the_relay(counted.db)
    # a single write put an event on one of them, not published yet: it goes first
    first = ready[0]
    await counted.db["transfers"].update_one(
        {"_id": first.id}, {"$push": {PENDING: {"id": "earlier", "type": "earlier"}}}
    )
    counted.round_trips.updates.clear()
    counted.round_trips.finds.clear()

    answers = await counted.in_bulk.receive(ready, date(2019, 10, 8))

    assert [a.transfer_id for a in answers if a.refusal is None] == [t.id for t in ready]
    # received alike (state, day, version; whichever cell receives): one update for all but
    # the one with an event pending, saved on its own after it
    assert counted.round_trips.updates["transfers"] == 2
    stored = await counted.db["transfers"].find_one({"_id": first.id})
    assert stored is not None and stored["state"] == "RECEIVED"
    assert [e["type"] for e in stored[PENDING]] == ["earlier", RECEIVED]
    assert await counted.db["transfers"].count_documents({"state": "RECEIVED"}) == len(ready)
    # the people moved, one update for each receiving cell (each keeps the case as applied,
    # not its own transfer), no event left in a document to be removed one by one
    cells = len({t.to_organisation_id for t in ready})
    assert await counted.db["members"].count_documents({"organisation_id": "big-agency"}) == (
        CELL_SIZE - len(ready)
    )
    assert counted.round_trips.updates["members"] == cells
    # and counted on their new cells, one update for each receiving cell, their placements
    # read where they were (one query), not one by one
    assert counted.round_trips.updates["member_cells"] == cells
    assert counted.round_trips.finds["member_cells"] == 1
    counts = {d["_id"]: d["count"] async for d in counted.db["member_counts"].find({})}
    assert counts["big-agency"] == CELL_SIZE - len(ready)
    assert sum(n for cell, n in counts.items() if cell != "big-agency") == len(ready)
    pending = {f"{PENDING}.id": {"$exists": True}}
    assert await counted.db["members"].count_documents(pending) == 0
    assert await counted.db["transfers"].count_documents(pending) == 1
    unsent = [b async for b in counted.db[BATCHES].find({"state": {"$ne": SENT}})]
    assert {b["collection"] for b in unsent} == {"members", "transfers"}
    assert {b["state"] for b in unsent} == {READY}


async def test_receptions_looked_at_again_after_a_restart_move_nobody_twice(
    counted: Counted,
) -> None:
    await counted.relocation.relocate_on_decision(DECISION)
    found = await counted.in_bulk.selected(None, "case-big", None)
    going = [t for t in found if isinstance(t, Transfer) and t.to_organisation_id is not None]
    numbered = [(t, f"{n:04d}-GGT/ĐU") for n, t in enumerate(going, start=1)]
    introduced = await counted.in_bulk.issue_introductions(numbered, date(2019, 10, 1))
    ready = [o.transfer for o in introduced if o.transfer is not None]
    await counted.in_bulk.receive(ready, date(2019, 10, 8))
    versions = {d["_id"]: d["version"] async for d in counted.db["members"].find({})}
    counted.round_trips.updates.clear()

    # a new process (nothing settled in memory) hears of every reception again, and of one
    # moved the one-by-one way: the case kept as applied says they moved already
    restarted = TransfersInBulk(counted.in_bulk.service)
    await restarted.finish_receptions([t.id for t in ready])
    await counted.in_bulk.service.move_person(ready[0])

    assert counted.round_trips.updates["members"] == 0
    assert {d["_id"]: d["version"] async for d in counted.db["members"].find({})} == versions
    applied = await counted.db["members"].distinct("applied_transfers")
    assert applied == ["case:case-big"]
