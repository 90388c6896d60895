"""Loading a synthetic Hà Nội through the gateway, two ways:

- in bulk, with the import mutations (importOrganisations, importMembers, importCandidates:
  up to 5,000 rows a call, idempotent by code / card number, an outcome per row);
- one by one, with createOrganisation, registerMember and addCandidate: the baseline, and
  the only way while the gateway has no import mutations.

Either way the members service learns of a new cell from the organisations service's events:
a member of a cell it has not heard of yet is NOT_FOUND, and is sent again a moment later.
"""

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from bench.scale.hanoi import CandidateRow, MemberRow, OrganisationRow
from infra.demo.client import DemoFailed, DemoGateway

T = TypeVar("T")
BULK_MUTATIONS = ("importOrganisations", "importMembers", "importCandidates")
MAX_ROWS = 5_000
UNKNOWN_CELL_PATIENCE_SECONDS = 600.0

BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id } }"
CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
ADD_CANDIDATE = "mutation ($input: AddCandidateInput!) { addCandidate(input: $input) { id } }"
REPORT = "{ created updated unchanged rejected rows { row key outcome id code field message } }"
IMPORT = {
    name: f"mutation ($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) "
    f"{REPORT} }}"
    for name in BULK_MUTATIONS
}


def bulk_import_available(supergraph: Path) -> bool:
    text = supergraph.read_text()
    return all(f"{name}(" in text for name in BULK_MUTATIONS)


def batched(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def residence_and_workplace(row: MemberRow | CandidateRow) -> dict[str, Any]:
    workplace = None
    if row.workplace_name:
        workplace = {"name": row.workplace_name, "role": row.workplace_role}
    return {
        "residence": {"address": row.address, "residentialGroup": row.residential_group},
        "workplace": workplace,
    }


def member_fields(row: MemberRow) -> dict[str, Any]:
    return {
        "cardNumber": row.card_number,
        "fullName": row.full_name,
        "dateOfBirth": row.date_of_birth.isoformat(),
        "gender": row.gender,
        "standing": row.standing,
        "admittedOn": row.admitted_on.isoformat(),
        "officialOn": row.official_on.isoformat() if row.official_on else None,
        **residence_and_workplace(row),
    }


def candidate_fields(row: CandidateRow) -> dict[str, Any]:
    return {
        "fullName": row.full_name,
        "dateOfBirth": row.date_of_birth.isoformat(),
        "gender": row.gender,
        "on": row.on.isoformat(),
        **residence_and_workplace(row),
    }


def organisation_fields(row: OrganisationRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "kind": row.kind,
        "cellType": row.cell_type,
        "coverage": list(row.coverage) or None,
    }


@dataclass
class Progress:
    label: str
    total: int
    done: int = 0
    started: float = 0.0
    shown_at: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.shown_at = time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.shown_at >= 10 or self.done == self.total:
            self.shown_at = now
            rate = self.done / max(now - self.started, 1e-9)
            print(f"  {self.label}: {self.done:,}/{self.total:,} ({rate:,.0f}/s)", file=sys.stderr)


@dataclass
class Retries:
    """Requests sent again: the gateway gave up waiting for a subgraph (the answer is lost,
    the write may have happened: a CONFLICT on the resend means it did)."""

    timed_out: int = 0


async def patiently(send: Callable[[], Awaitable[T]], retries: Retries) -> T | None:
    """`send` again while the cell it names is unknown to the members service (events travel)
    or the gateway timed out; None when a resend finds the row written by the first."""
    deadline = time.monotonic() + UNKNOWN_CELL_PATIENCE_SECONDS
    resent = False
    while True:
        try:
            return await send()
        except DemoFailed as error:
            message = str(error)
            if resent and "CONFLICT" in message:
                return None
            timed_out = "timed out" in message
            if not (timed_out or "NOT_FOUND" in message) or time.monotonic() > deadline:
                raise
            if timed_out:
                retries.timed_out += 1
                resent = True
            await asyncio.sleep(0.3)


class OneByOne:
    """The baseline: one mutation per organisation, member and candidate."""

    def __init__(self, gateway: DemoGateway, ids: dict[str, str], concurrency: int) -> None:
        self.gateway, self.ids = gateway, ids
        self.slots = asyncio.Semaphore(concurrency)
        self.retries = Retries()

    async def organisations(self, rows: Iterable[OrganisationRow]) -> None:
        for rank in batched_by_parent(rows):
            await asyncio.gather(*(self._organisation(row) for row in rank))

    async def _organisation(self, row: OrganisationRow) -> None:
        async with self.slots:
            if row.parent_code is None:
                found = (await self.gateway.execute(BY_CODE, {"code": row.code}))[
                    "organisationByCode"
                ]
                if found:  # the city committee, which the demo made already
                    self.ids[row.code] = str(found["id"])
                    return
            fields = organisation_fields(row) | {"parentId": self.ids.get(row.parent_code or "")}
            created = await self.gateway.execute(CREATE, {"input": fields})
            self.ids[row.code] = str(created["createOrganisation"]["id"])

    async def members(self, rows: Iterable[MemberRow], progress: Progress) -> None:
        for batch in batched(rows, 500):
            await asyncio.gather(*(self._member(row) for row in batch))
            progress.add(len(batch))

    async def _member(self, row: MemberRow) -> None:
        fields = member_fields(row) | {"organisationId": self.ids[row.organisation_code]}
        async with self.slots:
            await patiently(lambda: self.gateway.execute(REGISTER, {"input": fields}), self.retries)

    async def candidates(self, rows: Iterable[CandidateRow]) -> None:
        async def add(row: CandidateRow) -> None:
            fields = candidate_fields(row) | {"organisationId": self.ids[row.organisation_code]}
            async with self.slots:
                await patiently(
                    lambda: self.gateway.execute(ADD_CANDIDATE, {"input": fields}), self.retries
                )

        await asyncio.gather(*(add(row) for row in rows))


def batched_by_parent(rows: Iterable[OrganisationRow]) -> Iterator[list[OrganisationRow]]:
    """Runs of rows whose parents come in earlier runs: each run can be created at once."""
    run: list[OrganisationRow] = []
    codes: set[str] = set()
    for row in rows:
        if row.parent_code in codes:
            yield run
            run, codes = [], set()
        run.append(row)
        codes.add(row.code)
    if run:
        yield run


class InBulk:
    """The import mutations, `chunk` rows a call; rows naming a cell the members service has
    not heard of yet are sent again until it has, and a call the gateway timed out is sent
    again whole (rows written by the first come back UNCHANGED). The ids of the organisations
    it imports go into `ids` by code."""

    def __init__(
        self, gateway: DemoGateway, ids: dict[str, str], chunk: int, calls: int = 1
    ) -> None:
        self.gateway, self.ids, self.chunk = gateway, ids, min(chunk, MAX_ROWS)
        self.calls = calls
        self.rejected: list[dict[str, Any]] = []
        self.retries = Retries()

    async def _import(self, mutation: str, rows: list[dict[str, Any]]) -> None:
        deadline = time.monotonic() + UNKNOWN_CELL_PATIENCE_SECONDS
        while rows:
            variables = {"input": {"rows": rows, "dryRun": False}}
            try:
                report = (await self.gateway.execute(IMPORT[mutation], variables))[mutation]
            except DemoFailed as error:  # idempotent: what the first call wrote is UNCHANGED
                if "timed out" not in str(error) or time.monotonic() > deadline:
                    raise
                self.retries.timed_out += 1
                continue
            refused = {o["row"]: o for o in report["rows"] if o["outcome"] == "REJECTED"}
            if mutation == "importOrganisations":
                self.ids.update({o["key"]: o["id"] for o in report["rows"] if o["id"]})
            waiting = {n for n, o in refused.items() if o["code"] == "NOT_FOUND"}
            self.rejected += [o for n, o in refused.items() if n not in waiting]
            rows = [r for r in rows if r["row"] in waiting]
            if rows and time.monotonic() > deadline:
                self.rejected += [refused[r["row"]] for r in rows]
                return
            if rows:
                await asyncio.sleep(0.5)

    async def organisations(self, rows: Iterable[OrganisationRow]) -> None:
        numbered = enumerate(rows, 1)
        for batch in batched(numbered, self.chunk):
            fields = [
                organisation_fields(row) | {"row": n, "parentCode": row.parent_code}
                for n, row in batch
            ]
            await self._import("importOrganisations", fields)

    async def members(self, rows: Iterable[MemberRow], progress: Progress) -> None:
        """`calls` chunks at once, as `partyorg import --parallel` sends them."""
        turns = asyncio.Semaphore(self.calls)

        async def send(batch: list[tuple[int, MemberRow]]) -> None:
            fields = [
                member_fields(row) | {"row": n, "organisationCode": row.organisation_code}
                for n, row in batch
            ]
            async with turns:
                await self._import("importMembers", fields)
            progress.add(len(batch))

        await asyncio.gather(*map(send, batched(enumerate(rows, 1), self.chunk)))

    async def candidates(self, rows: Iterable[CandidateRow]) -> None:
        for batch in batched(enumerate(rows, 1), self.chunk):
            fields = [
                candidate_fields(row) | {"row": n, "organisationCode": row.organisation_code}
                for n, row in batch
            ]
            await self._import("importCandidates", fields)
