"""Members in bulk through the gateway: `importMembers` of 1,000 and 5,000 rows in one call,
and `partyorg import` of a 5,000-row .xlsx, against the one-by-one `registerMember` baseline
(8 requests in flight), same run, same suite.

    uv run python bench/import/run.py [--sizes 1000 5000] [--baseline 300] [--in-flight 8]

Starts the three services and the gateway as processes on free ports (databases and an
exchange of their own, against the local FerretDB and RabbitMQ, as the e2e tests do), imports
a city, a district, a ward and 160 cells with `importOrganisations`, then registers members
each way into 20 cells of its own, last with `partyorg import` of an .xlsx of the largest size (the
staff's tool: read, checked, sent 1,000 rows a call). For each it prints members/s when
answered (stored with their events), when the broker has delivered every `member.registered`
event to a queue of the bench's own, and when the evaluations service has applied them all
(the import end to end: its count of applied events, then each member looked up on its roster
by id, untimed unless one is not there yet), and the ratio to the baseline. It reads nothing
else from the store meanwhile (bench/arrivals.py: a count would read the whole collection).
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from kit.mongo import Document
from kit.testing import STAFF, delete_from_broker
from openpyxl import load_workbook
from pymongo import AsyncMongoClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for infra

from bench.arrivals import EventsApplied, Registered, on_the_roster
from infra.local.suite import DEFAULT_PORTS, SERVICES, Suite, free_port

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")

CELLS = 20  # a way's members are spread over cells of their own, as a district's over its cells
WAYS = 8
PARTYORG = str(Path(sys.executable).with_name("partyorg"))  # the staff's command-line tool
IMPORT_TREE = """
mutation ($rows: [OrganisationImportRow!]!) {
  importOrganisations(input: {rows: $rows}) { created rejected }
}
"""
IMPORT_MEMBERS = """
mutation ($rows: [MemberImportRow!]!) {
  importMembers(input: {rows: $rows}) { created rejected rows { code message } }
}
"""
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
KNOWN = "query ($code: String!) { organisationByCode(code: $code) { id } }"


class Client:
    def __init__(self, suite: Suite) -> None:
        self.url = suite.gateway_url
        # idle connections dropped before the server's keep-alive (5 s) closes them under us
        limits = httpx.Limits(keepalive_expiry=2)
        self.http = httpx.AsyncClient(
            headers=suite.authorization(STAFF), timeout=300, limits=limits
        )

    async def ok(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = (
            await self.http.post(self.url, json={"query": query, "variables": variables})
        ).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data


def member(n: int, tag: str, cell_code: str) -> dict[str, Any]:
    return {
        "cardNumber": f"{tag}.{n:06d}",
        "fullName": f"Nguyễn Văn Thử {n}",
        "dateOfBirth": "1980-05-17",
        "gender": "MALE",
        "standing": "OFFICIAL",
        "admittedOn": "2008-03-02",
        "officialOn": "2009-03-02",
        "residence": {"address": "Giảng Võ, Ba Đình", "residentialGroup": "Tổ 1"},
        "workplace": {"name": "UBND phường Giảng Võ", "role": "CIVIL_SERVANT"},
        "organisationCode": cell_code,
    }


async def tree(client: Client, tag: str) -> dict[str, str]:
    """The cells' codes and ids, once the members service knows them."""
    rows = [
        {"row": 1, "code": f"{tag}-HN", "name": "Thành ủy", "kind": "CITY_COMMITTEE"},
        {"row": 2, "code": f"{tag}-D", "name": "Quận ủy", "kind": "DISTRICT_COMMITTEE",
         "parentCode": f"{tag}-HN"},
        {"row": 3, "code": f"{tag}-W", "name": "Đảng ủy phường", "kind": "WARD_COMMITTEE",
         "parentCode": f"{tag}-D"},
        *({"row": 4 + n, "code": f"{tag}-C{n:02d}", "name": f"Chi bộ {n}", "kind": "CELL",
           "cellType": "OTHER", "parentCode": f"{tag}-W"} for n in range(CELLS * WAYS)),
    ]  # fmt: skip
    await client.ok(IMPORT_TREE, {"rows": rows})
    cells = {}
    for n in range(CELLS * WAYS):
        code = f"{tag}-C{n:02d}"
        cells[code] = (await client.ok(KNOWN, {"code": code}))["organisationByCode"]["id"]
    probe = [{"row": n, **member(n, f"probe-{tag}", code)} for n, code in enumerate(cells)]
    for _ in range(300):  # until the members service has heard of every cell
        found = await client.http.post(
            client.url,
            json={
                "query": IMPORT_MEMBERS.replace("rows: $rows", "rows: $rows, dryRun: true"),
                "variables": {"rows": probe},
            },
        )
        if found.json()["data"]["importMembers"]["rejected"] == 0:
            return cells
        await asyncio.sleep(0.1)
    raise RuntimeError("the members service never heard of the cells")


@dataclass
class Timing:
    """Seconds from the start until answered, every event published, every member applied,
    and every member found on the roster by the lookups that followed (what `applied` was
    before the service's count was asked: the lookups' own time on top)."""

    answered: float
    published: float
    applied: float
    looked_up: float


async def timed(
    work: Callable[[], Awaitable[None]],
    registered: Registered,
    applying: EventsApplied,
    roster: Any,
    members: int,
) -> Timing:
    """`members`: how many members the bench has registered once this work is done (the
    broker has delivered the events of those before it, and the evaluations service has
    applied them). Applied: when the service counts them all applied; each is then looked up
    on the roster, and if one was not there yet, applied is when the last was found."""
    before, applied_before = len(registered.member_ids), await applying.count()
    started = time.perf_counter()
    await work()
    answered = time.perf_counter() - started
    ids = await registered.until(members)
    published = time.perf_counter() - started
    await applying.until(applied_before + members - before)
    applied = time.perf_counter() - started
    all_there = await on_the_roster(roster, ids[before:])
    looked_up = time.perf_counter() - started
    return Timing(answered, published, applied if all_there else looked_up, looked_up)


def line(way: str, members: int, timing: Timing, base_rate: float) -> str:
    rate = members / timing.answered
    return (
        f"{way:<34} {members:>8,} {timing.answered:>8.2f} s {rate:>10,.0f} "
        f"{rate / base_rate:>6.1f}x {timing.published:>8.2f} s "
        f"{members / timing.published:>10,.0f} {timing.applied:>8.2f} s "
        f"{members / timing.applied:>10,.0f} {timing.looked_up:>8.2f} s"
    )


async def bench(suite: Suite, sizes: list[int], baseline: int, in_flight: int) -> None:
    client = Client(suite)
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(
        suite.extra_env.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
    )
    roster = mongo[f"{suite.database_prefix}evaluations"]["roster"]
    tag = uuid.uuid4().hex[:6].upper()
    try:
        async with Registered(AMQP_URL, suite.exchange) as registered:
            await imports(suite, client, tag, registered, roster, sizes, baseline, in_flight)
    finally:
        await client.http.aclose()
        for service in SERVICES:
            await mongo.drop_database(f"{suite.database_prefix}{service}")
        await mongo.close()


async def imports(
    suite: Suite,
    client: Client,
    tag: str,
    registered: Registered,
    roster: Any,
    sizes: list[int],
    baseline: int,
    in_flight: int,
) -> None:
    """The baseline, then each way in turn, each timed and printed."""
    codes = list(await tree(client, tag))
    cell_ids = await client_ids(client, codes)
    applying = EventsApplied(suite.url("evaluations"))

    async def one_by_one() -> None:
        turns = asyncio.Semaphore(in_flight)

        async def register(n: int) -> None:
            row = member(n, f"{tag}-R", codes[n % CELLS])  # way 0: the first cells
            row.pop("organisationCode")
            async with turns:
                await client.ok(REGISTER, {"input": {**row, "organisationId": cell_ids[n % CELLS]}})

        await asyncio.gather(*(register(n) for n in range(baseline)))

    total = baseline
    base = await timed(one_by_one, registered, applying, roster, total)
    base_rate = baseline / base.answered
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    rate = f"{'members/s':>10}"
    print(f"{'way':<34} {'members':>8} {'answered':>10} {rate} {'ratio':>7}"
          f" {'published':>10} {rate} {'applied':>10} {rate} {'looked up':>10}")  # fmt: skip
    print(line(f"registerMember, {in_flight} in flight", baseline, base, base_rate))
    for way, size in enumerate(sizes, start=1):
        ours = codes[way * CELLS : (way + 1) * CELLS]
        rows = [{"row": n, **member(n, f"{tag}-B{size}", ours[n % CELLS])} for n in range(size)]

        async def in_bulk(rows: list[dict[str, Any]] = rows) -> None:
            report = (await client.ok(IMPORT_MEMBERS, {"rows": rows}))["importMembers"]
            assert report["created"] == len(rows), report["rows"][:3]

        total += size
        timing = await timed(in_bulk, registered, applying, roster, total)
        print(line("importMembers, one call", size, timing, base_rate), flush=True)
    size = max(sizes)
    ours = codes[(len(sizes) + 1) * CELLS : (len(sizes) + 2) * CELLS]
    sheet = spreadsheet(Path(suite.run_dir) / "dang_vien.xlsx", size, f"{tag}-X", ours)

    async def with_the_tool() -> None:
        await asyncio.to_thread(the_tool, suite, sheet)

    total += size
    timing = await timed(with_the_tool, registered, applying, roster, total)
    print(line("partyorg import .xlsx, 1,000 a call", size, timing, base_rate))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def spreadsheet(path: Path, size: int, tag: str, codes: list[str]) -> Path:
    """The list as ward staff fill it in: the tool's template, Vietnamese words and dates."""
    subprocess.run([PARTYORG, "template", "members", str(path)], check=True, capture_output=True)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    for n in range(size):
        sheet.append(
            [n + 1, f"{tag}.{n:06d}", f"Nguyễn Văn Thử {n}", "17/05/1980", "Nam", "Chính thức",
             "02/03/2008", "02/03/2009", codes[n % CELLS], "Giảng Võ, Ba Đình", "Tổ 1",
             "UBND phường Giảng Võ", "Công chức"]
        )  # fmt: skip
    book.save(path)
    return path


def the_tool(suite: Suite, sheet: Path) -> None:
    token = suite.authorization(STAFF)["authorization"].removeprefix("Bearer ")
    environment = {**os.environ, "PARTYORG_TOKEN": token, "PARTYORG_GATEWAY": suite.gateway_url}
    done = subprocess.run([PARTYORG, "import", str(sheet)], env=environment, capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr


async def client_ids(client: Client, codes: list[str]) -> list[str]:
    return [(await client.ok(KNOWN, {"code": code}))["organisationByCode"]["id"] for code in codes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--baseline", type=int, default=300)
    parser.add_argument("--in-flight", type=int, default=8)
    arguments = parser.parse_args()
    if len(arguments.sizes) > WAYS - 2:
        parser.error(f"at most {WAYS - 2} sizes")
    run_id = uuid.uuid4().hex[:8]
    suite = Suite(
        ports={name: free_port() for name in DEFAULT_PORTS},
        database_prefix=f"bench_import_{run_id}_",
        exchange=f"bench.import.{run_id}",
        run_dir=Path(tempfile.mkdtemp(prefix=f"partyorg-bench-import-{run_id}-")),
        extra_env={"LOG_LEVEL": "WARNING", "GATEWAY_SUBGRAPH_TIMEOUT": "60"},
    )
    try:
        suite.up()
        asyncio.run(bench(suite, arguments.sizes, arguments.baseline, arguments.in_flight))
    finally:
        suite.stop()
        asyncio.run(delete_from_broker(AMQP_URL, suite.exchange, SERVICES))


if __name__ == "__main__":
    main()
