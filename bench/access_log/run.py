"""What security costs a read: the members service's list of a cell, through its real app on
FerretDB, read (a) with ids only — the baseline: nothing personal, no log entry, whole-tree
caller; (b) with personal fields — one access-log entry per member written before the answer;
(c) the same as a ward committee, whose list is first narrowed to its subtree.

    uv run python bench/access_log/run.py [--members 200] [--rounds 15]

Prints the median time of each and its ratio to the baseline (rounds interleaved).
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest, eventually, isolated, serve
from members.config import Settings
from members.main import create_app

REGISTERED = "partyorg.organisations.organisation.registered.v1"
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
IDS = "query ($cell: ID!, $n: Int!) { members(organisationId: $cell, first: $n) { nodes { id } } }"
PERSONAL = """query ($cell: ID!, $n: Int!) { members(organisationId: $cell, first: $n) {
  nodes { id fullName cardNumber dateOfBirth residence { address } } } }"""


async def organisation(
    service: ServiceUnderTest, id: str, kind: str, parent: str, **more: Any
) -> None:
    await service.deliver(
        REGISTERED,
        {
            "organisationId": id,
            "code": id.upper(),
            "name": id,
            "kind": kind,
            "cellType": more.get("cell_type"),
            "parentId": parent,
            "ancestorIds": more.get("ancestors", [parent]),
            "status": "ACTIVE",
            "coverage": [],
            "dissolvedOn": None,
            "version": 1,
        },
    )


async def world(service: ServiceUnderTest, members: int) -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:6]
    ward, cell = f"ward-{suffix}", f"cell-{suffix}"
    await organisation(service, ward, "WARD_COMMITTEE", "bd", ancestors=["hn", "bd"])
    await organisation(
        service, cell, "CELL", ward, cell_type="RESIDENTIAL", ancestors=["hn", "bd", ward]
    )

    async def known() -> None:
        await service.execute_ok(IDS, {"cell": cell, "n": 1})

    await eventually(known, timeout=30)
    for n in range(members):
        await service.execute_ok(
            REGISTER,
            {
                "input": {
                    "cardNumber": f"77.{suffix}.{n:05d}",
                    "fullName": f"Đảng viên {n}",
                    "dateOfBirth": "1975-04-30",
                    "gender": "FEMALE",
                    "standing": "OFFICIAL",
                    "admittedOn": "2000-01-01",
                    "officialOn": "2001-01-01",
                    "organisationId": cell,
                    "residence": {"address": "Ba Đình", "residentialGroup": "TDP 1"},
                }
            },
        )
    return ward, cell


async def timed(run: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await run()
    return (time.perf_counter() - started) * 1000


async def main(members: int, rounds: int) -> None:
    async with serve(create_app, isolated(Settings)) as service:
        ward, cell = await world(service, members)
        committee = Principal("bench-ward", grants=(Grant(Role.WARD_COMMITTEE, ward),))
        variables = {"cell": cell, "n": members}
        cases: dict[str, Callable[[], Awaitable[Any]]] = {
            "ids only (baseline)": lambda: service.execute_ok(IDS, variables),
            "personal fields, logged": lambda: service.execute_ok(PERSONAL, variables),
            "personal, ward-scoped caller": lambda: service.execute_ok(
                PERSONAL, variables, principal=committee
            ),
        }
        for run in cases.values():  # warm up
            await run()
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, run in cases.items():
                times[name].append(await timed(run))
        baseline = statistics.median(times["ids only (baseline)"])
        print(f"members service, a list of {members} members, median of {rounds} rounds")
        for name, measured in times.items():
            median = statistics.median(measured)
            print(f"  {name:32} {median:8.1f} ms   ×{median / baseline:5.2f}")
        entries = await service.app.state.runtime.access_log.collection.count_documents({})
        print(f"  access-log entries written: {entries}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.rounds))
