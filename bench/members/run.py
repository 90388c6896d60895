"""Creating the transfers of a dissolved cell: one bulk insert against one write per member.

    uv run python bench/members/run.py [--members 1000] [--mongodb-url mongodb://127.0.0.1:27017/]

Runs the members service's own code (relocate_on_decision) on a fresh database, and compares
the write it makes with the one-by-one baseline, on the same transfer documents. Prints the
time and the number of round trips to the database of each.
"""

import argparse
import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from kit.clock import Clock
from kit.mongo import Document
from members import events
from members.consumed_events import Decision
from members.domain import (
    DissolutionCase,
    Gender,
    KnownOrganisation,
    PartyMember,
    Residence,
    Standing,
)
from members.domain.relocation import proposed_placements, relocation_transfers
from members.repository import (
    MongoCandidateRepository,
    MongoCaseBook,
    MongoMemberRepository,
    MongoOrganisationDirectory,
    MongoTransferRepository,
)
from members.repository.documents import transfer_document
from members.repository.members import stored
from members.service import Relocation
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)

WARD, CELL, GROUPS = "ward", "agency", 14


@dataclass
class RoundTrips(CommandListener):
    count: int = 0
    names: list[str] = field(default_factory=list)

    def started(self, event: CommandStartedEvent) -> None:
        self.count += 1
        self.names.append(event.command_name)

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass


def cell_members(size: int) -> list[PartyMember]:
    return [
        PartyMember(
            id=f"m{n:05d}",
            card_number=f"01.{n:06d}",
            full_name=f"Đảng viên số {n}",
            date_of_birth=date(1970, 1, 1),
            gender=Gender.MALE,
            standing=Standing.OFFICIAL,
            admitted_on=date(2000, 1, 1),
            official_on=date(2001, 1, 1),
            organisation_id=CELL,
            residence=Residence("Ba Đình", f"TDP {n % GROUPS + 1}"),
        )
        for n in range(size)
    ]


def residential_cells() -> list[KnownOrganisation]:
    return [
        KnownOrganisation(
            id=f"tdp{n}",
            code=f"TDP{n:02d}",
            name=f"Chi bộ tổ dân phố số {n}",
            kind="CELL",
            cell_type="RESIDENTIAL",
            parent_id=WARD,
            status="ACTIVE",
            coverage=[f"TDP {n}"],
            version=1,
        )
        for n in range(1, GROUPS + 1)
    ]


async def seeded(db: AsyncDatabase[Document], size: int) -> Relocation:
    organisations = MongoOrganisationDirectory(db)
    for cell in residential_cells():
        await organisations.remember(cell)
    await db["members"].insert_many([stored(m, {CELL: [CELL]}) for m in cell_members(size)])
    return Relocation(
        MongoTransferRepository(db),
        MongoMemberRepository(db),
        MongoCandidateRepository(db),
        organisations,
        MongoCaseBook(db),
        Clock(date(2019, 10, 1)),
    )


async def measure(label: str, trips: RoundTrips, work: object) -> tuple[float, int]:
    trips.count = 0
    started = time.perf_counter()
    await work  # type: ignore[misc]
    elapsed = time.perf_counter() - started
    print(f"{label:<58} {elapsed:8.3f} s {trips.count:7d} round trips")
    return elapsed, trips.count


async def one_by_one(db: AsyncDatabase[Document], size: int) -> None:
    """The baseline: what a handler writing each transfer on its own would do."""
    case = DissolutionCase(id="baseline", cell_id=CELL, ward_committee_id=WARD, decided=True)
    placements = proposed_placements(cell_members(size), [], residential_cells())
    transfers = relocation_transfers(case, placements, {}, {}, date(2019, 9, 27))
    for transfer in transfers:
        document = transfer_document(transfer)
        on_insert = {k: v for k, v in document.items() if k != "_id"}
        on_insert["pending_events"] = [events.transfer_created(transfer)]
        await db["transfers_baseline"].update_one(
            {"_id": transfer.id}, {"$setOnInsert": on_insert}, upsert=True
        )


async def main(size: int, url: str) -> None:
    trips = RoundTrips()
    client: AsyncMongoClient[Document] = AsyncMongoClient(url, event_listeners=[trips])
    name = f"bench_members_{uuid.uuid4().hex[:8]}"
    db = client[name]
    try:
        service = await seeded(db, size)
        decision = Decision(
            case=DissolutionCase(id="case", cell_id=CELL, ward_committee_id=WARD, decided=True),
            decided_on=date(2019, 9, 27),
            overrides={},
        )
        print(f"a dissolved cell of {size} members, {GROUPS} residential cells, {url}")
        ours, ours_trips = await measure(
            "relocate_on_decision (reads + one bulk insert)",
            trips,
            service.relocate_on_decision(decision),
        )
        await measure(
            "the same decision redelivered (creates nothing)",
            trips,
            service.relocate_on_decision(decision),
        )
        base, base_trips = await measure(
            "baseline: one upsert per transfer", trips, one_by_one(db, size)
        )
        created = await db["transfers"].count_documents({"case_id": "case"})
        print(f"transfers stored: {created} (expected {size})")
        print(
            f"speed-up over the baseline: x{base / ours:.1f} in time, "
            f"x{base_trips / ours_trips:.0f} fewer round trips"
        )
    finally:
        await client.drop_database(name)
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--mongodb-url", default="mongodb://127.0.0.1:27017/")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.mongodb_url))
