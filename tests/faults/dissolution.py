"""A cell of 1,000 members dissolved through the gateway, as bench/dissolution drives it (a
ward of 14 residential cells, the members imported, one call for the letters and one for the
receptions), with one service killed at a crash point on the way and started again; then
everything the dissolution stored and told, counted."""

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from kit.testing import eventually

from bench.dissolution.run import (
    ANNOUNCE,
    DECIDE,
    EVALUATED,
    PERIOD,
    Cell,
)
from infra.local.suite import Suite
from tests.e2e.test_dissolution_in_bulk import CASE, INTRODUCE, RECEIVE
from tests.faults.world import EventTally, applied_in_inbox, count_documents

MEMBERS = int(os.environ.get("FAULT_DISSOLUTION_MEMBERS", "1000"))
MEMBERS_PREFIX = "partyorg.members."
ORGANISATIONS_PREFIX = "partyorg.organisations."
DECIDED = ORGANISATIONS_PREFIX + "dissolution.decided.v1"
CLOSED = ORGANISATIONS_PREFIX + "dissolution.closed.v1"
CREATED = MEMBERS_PREFIX + "transfer.created.v1"
INTRODUCED = MEMBERS_PREFIX + "transfer.introduced.v1"
RECEIVED = MEMBERS_PREFIX + "transfer.received.v1"
UPDATED = MEMBERS_PREFIX + "member.updated.v1"
RELOCATED = MEMBERS_PREFIX + "dissolution.members_relocated.v1"
TOLD = (DECIDED, CREATED, INTRODUCED, RECEIVED, UPDATED, RELOCATED, CLOSED)
# what each consumer applies of what the dissolution tells
APPLIES = {
    "members": (DECIDED, RECEIVED),
    "evaluations": (UPDATED, RECEIVED),
    "organisations": (RELOCATED,),
}
WHERE = f"""
query ($agency: ID!, $ward: ID!) {{
  agency: organisation(id: $agency) {{ memberCount evaluationSummary(period: "{PERIOD}") {{
    evaluated }} }}
  ward: organisation(id: $ward) {{ memberCount evaluationSummary(period: "{PERIOD}") {{
    evaluated }} }}
}}
"""


def told_once_each(members: int) -> dict[str, int]:
    """The events a dissolution of `members` tells, by type, each once."""
    each = dict.fromkeys((CREATED, INTRODUCED, RECEIVED, UPDATED), members)
    return {DECIDED: 1, **each, RELOCATED: 1, CLOSED: 1}


@dataclass
class Dissolution:
    """The cell, its case, and the gateway's answers to each step that was killed under it."""

    cell: Cell
    case_id: str = ""

    @classmethod
    async def staffed(cls, cell: Cell) -> "Dissolution":
        await cell.build()
        await cell.staff()
        dissolution = cls(cell)
        dissolution.case_id = await cell.open_case()
        return dissolution

    async def call(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """A step's mutation, its errors kept (a service may die under it)."""
        gateway = self.cell.gateway
        body = {"query": query, "variables": variables or {"case": self.case_id}}
        answer: dict[str, Any] = (await gateway.client.post(gateway.url, json=body)).json()
        return answer

    async def decide(self) -> dict[str, Any]:
        """The decision, unless it was taken already (its answer lost with a killed service)."""
        if (await self.progress())["stage"] != "PLAN_APPROVED":
            return {}
        name, input_type, fields = DECIDE
        mutation = f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ stage }} }}"
        return await self.call(mutation, {"input": {"caseId": self.case_id, **fields}})

    async def announce_once_every_transfer_is_made(self) -> None:
        await self.cell.gateway.step(self.case_id, ANNOUNCE)

        async def all_made() -> None:
            progress = (await self.progress())["transferProgress"]
            assert progress["awaitingIntroduction"] == self.cell.size, progress

        await eventually(all_made, timeout=300, interval=1)

    async def progress(self) -> dict[str, Any]:
        """The case's stage and its transfers' progress (letters issued, received)."""
        data = await self.cell.gateway.execute(CASE, {"id": self.case_id})
        case: dict[str, Any] = data["dissolutionCase"]
        return case

    async def introduce(self) -> dict[str, Any]:
        return await self.call(INTRODUCE)

    async def receive(self) -> dict[str, Any]:
        return await self.call(RECEIVE)

    async def where_they_are(self) -> dict[str, Any]:
        ids = self.cell.ids
        return await self.cell.gateway.execute(WHERE, {"agency": ids["CQ"], "ward": ids["GV"]})

    async def evaluated(self) -> dict[str, Any]:
        ids = self.cell.ids
        return await self.cell.gateway.execute(EVALUATED, {"ward": ids["GV"], "agency": ids["CQ"]})

    def receiving_cells(self) -> list[str]:
        return [i for key, i in self.cell.ids.items() if key.startswith("TDP")]


def told_of_the_case(tally: EventTally) -> Counter[str]:
    """The distinct events the tally heard, by type."""
    return Counter(kind for kind in map(type_of, tally.bodies.values()) if kind in TOLD)


def type_of(body: bytes) -> str:
    return str(json.loads(body).get("type", ""))


async def counted(suite: Suite, dissolution: Dissolution, tally: EventTally) -> dict[str, int]:
    """Everything the dissolution stored and told, counted from the stores and the exchange."""
    case = {"case_id": dissolution.case_id}
    progress = (await dissolution.progress())["transferProgress"]
    receiving = {"$in": dissolution.receiving_cells()}
    where = await dissolution.where_they_are()
    counts = {
        "transfers": await count_documents(suite, "members", "transfers", case),
        "letters": progress["introduced"],
        "receptions": progress["received"],
        "events": tally.distinct,
        "again": tally.again,
        "members_in_receiving_cells": await count_documents(
            suite, "members", "members", {"organisation_id": receiving}
        ),
        "left_in_the_cell": await count_documents(
            suite, "members", "members", {"organisation_id": dissolution.cell.ids["CQ"]}
        ),
        "on_receiving_rosters": await count_documents(
            suite, "evaluations", "roster", {"cell_ids": receiving}
        ),
        "cell_count": where["agency"]["memberCount"],
        "ward_count": where["ward"]["memberCount"],
        "cell_evaluates": where["agency"]["evaluationSummary"]["evaluated"],
        "ward_evaluates": where["ward"]["evaluationSummary"]["evaluated"],
    }
    for service, kinds in APPLIES.items():
        ids = [i for i, body in tally.bodies.items() if type_of(body) in kinds]
        counts[f"{service}_applied"] = await applied_in_inbox(suite, service, ids)
    return counts


def expected_counts(members: int) -> dict[str, int]:
    """What `counted` must find after a dissolution of `members`, whatever was killed."""
    return {
        "transfers": members,
        "letters": members,
        "receptions": members,
        "events": sum(told_once_each(members).values()),
        "members_in_receiving_cells": members,
        "left_in_the_cell": 0,
        "on_receiving_rosters": members,
        "cell_count": 0,
        "ward_count": members,
        "cell_evaluates": 0,
        "ward_evaluates": members,
        "members_applied": 1 + members,
        "evaluations_applied": 2 * members,
        "organisations_applied": 1,
    }
