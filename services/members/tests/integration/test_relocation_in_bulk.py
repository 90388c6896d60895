"""A cell of 1,000 members is relocated in a handful of round trips, not 1,000."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date

import pytest_asyncio
from kit.clock import Clock
from kit.mongo import Document
from members.consumed_events import Decision
from members.domain import (
    DissolutionCase,
    Gender,
    KnownOrganisation,
    PartyMember,
    Residence,
    Standing,
)
from members.repository import (
    MongoCandidateRepository,
    MongoCaseBook,
    MongoMemberRepository,
    MongoOrganisationDirectory,
    MongoTransferRepository,
)
from members.repository.members import stored
from members.service import Relocation
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
WARD = "ward-bulk"


@dataclass
class RoundTrips(CommandListener):
    commands: list[str] = field(default_factory=list)

    def started(self, event: CommandStartedEvent) -> None:
        self.commands.append(event.command_name)

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass


@dataclass
class Counted:
    db: AsyncDatabase[Document]
    round_trips: RoundTrips
    relocation: Relocation


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
    service = Relocation(
        MongoTransferRepository(db),
        members,
        MongoCandidateRepository(db),
        organisations,
        MongoCaseBook(db),
        Clock(date(2019, 10, 1)),
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
    yield Counted(db, round_trips, service)
    await client.drop_database(name)
    await client.close()


DECISION = Decision(
    case=DissolutionCase(id="case-big", cell_id="big-agency", ward_committee_id=WARD, decided=True),
    decided_on=date(2019, 9, 25),
    overrides={},
)


async def test_a_thousand_transfers_are_created_in_one_bulk_write(counted: Counted) -> None:
    counted.round_trips.commands.clear()
    created = await counted.relocation.relocate_on_decision(DECISION)
    assert created == CELL_SIZE
    commands = counted.round_trips.commands
    assert commands.count("insert") == 1  # ONE bulk insert of the 1,000 transfers
    assert len(commands) <= 10, commands
    progress = await counted.relocation.progress("case-big")
    uncovered = sum(1 for n in range(CELL_SIZE) if n % 12 + 1 > 10)  # groups 11 and 12
    assert (progress.total, progress.needing_destination) == (CELL_SIZE, uncovered)


async def test_the_same_decision_again_creates_nothing(counted: Counted) -> None:
    await counted.relocation.relocate_on_decision(DECISION)
    assert await counted.relocation.relocate_on_decision(DECISION) == 0
    assert await counted.db["transfers"].count_documents({"case_id": "case-big"}) == CELL_SIZE
