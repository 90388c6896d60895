"""partyorg at the size of a ward, a former district and Hà Nội, through the gateway.

    uv run python bench/scale/run.py --size ward|district|city [--repeat 30] [--no-write]
    (make bench-scale SIZE=ward)
    uv run python bench/scale/run.py --keep …            # keeps the databases; prints their prefix
    uv run python bench/scale/run.py --reuse scale_1a2b3c4d_ [--repeat 30] [--no-write]

Starts its own suite (three services and the gateway on free ports, databases and an exchange
of its own, on the local FerretDB and RabbitMQ, as tests/e2e do), loads the README's Ba Đình
2019 demo, then the synthetic Hà Nội (bench/scale/hanoi.py) a size at a time — Ba Đình ward,
then the former district's four wards, then the whole city — and after each step measures:

- import rate, members/s end to end: stored (the mutations answered) and applied (the
  evaluations service's roster holds everyone: the MemberRegistered events went through).
  The baseline is registerMember one by one on the first `--baseline-sample` members; the
  rest goes through importMembers when the gateway has it, else one by one again;
- the README tour's six screens and the ward and city screens (bench/scale/screens.py),
  p50 and p99 over `--repeat` sequential requests;
- the resident memory of each service process; how many documents each collection holds and
  how the store plans a filter on it (FerretDB: a sequential scan reads all of them);
- cost ratios against the first step.

Prints the tables and writes them to bench/scale/RESULTS.md (unless --no-write). Drops its
databases and broker objects at the end (unless --keep). With --reuse, loads nothing: the
services start on the databases a --keep run left and the screens are measured once (a
district takes ~20 minutes to load; its screens, a few), and the databases are kept.
"""

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: bench/scale is on the path, not the root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from kit.identity import Grant, Principal, Role
from kit.testing import delete_from_broker
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from bench.arrivals import EventsApplied, Registered, on_the_roster
from bench.scale.hanoi import SIZES, MemberRow, SyntheticHanoi
from bench.scale.loading import InBulk, OneByOne, Progress, bulk_import_available
from bench.scale.screens import (
    SCALE_SCREENS,
    Screen,
    ScreenFailed,
    Timing,
    time_screen,
    tour_screens,
)
from infra.demo.__main__ import load as load_demo
from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.demo.tokens import demo_principals
from infra.local.suite import DEFAULT_PORTS, ROOT, SERVICES, Suite, free_port

RESULTS = Path(__file__).with_name("RESULTS.md")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
WARD_CODE, CELL_CODE, CITY_CODE = "HN-P-BADINH", "HN-P-BADINH-DC01", "HN"


@dataclass
class ImportFigures:
    path: str  # "registerMember one by one", "importMembers", …
    rows: int
    stored_seconds: float
    applied_seconds: float  # until the other services hold them too
    what: str = "members"

    @property
    def stored_rate(self) -> float:
        return self.rows / self.stored_seconds

    @property
    def applied_rate(self) -> float:
        return self.rows / self.applied_seconds


@dataclass
class Step:
    name: str
    members: int  # members in the store after the step
    imports: list[ImportFigures] = field(default_factory=list)
    timings: dict[str, Timing] = field(default_factory=dict)
    memory: dict[str, tuple[int, int]] = field(default_factory=dict)  # VmRSS, VmHWM in kB
    collections: dict[str, int] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    load_average: float = 0.0  # over the last minute, when measured
    resent: int = 0  # one-by-one requests sent again after the gateway timed out


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        run_id = uuid.uuid4().hex[:8]
        self.suite = Suite(
            ports={name: free_port() for name in DEFAULT_PORTS},
            database_prefix=args.reuse or f"scale_{run_id}_",
            exchange=f"scale.{run_id}",
            run_dir=Path(tempfile.mkdtemp(prefix=f"partyorg-scale-{run_id}-")),
            extra_env={"LOG_LEVEL": "WARNING"},
        )
        self.mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL)
        self.bulk = bulk_import_available(ROOT / "gateway" / "supergraph.graphql")
        self.ids: dict[str, str] = {}
        self.steps: list[Step] = []
        self.loaded: set[str] = set()
        self.unfinished = ""
        self.applying = EventsApplied(self.suite.url("evaluations"))

    def database(self, service: str) -> Any:
        return self.mongo[f"{self.suite.database_prefix}{service}"]

    def client(self, principal: Principal) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=120, headers=self.suite.authorization(principal))

    async def wait_for_roster(
        self, registered: Registered, first: int, count: int, applied_before: int
    ) -> float:
        """Until the `count` members registered after the `first` are published, applied and
        on the roster; when they were applied (monotonic): when the evaluations service
        counted `count` more registrations applied than `applied_before`, or, if a lookup by
        id found one not there yet, when the last was found (bench/arrivals: a count would
        read the whole roster, and the lookups of a city take minutes of their own)."""
        ids = await registered.until(first + count, PATIENCE_SECONDS)
        await self.applying.until(applied_before + count, PATIENCE_SECONDS)
        applied = time.monotonic()
        if not await on_the_roster(self.database("evaluations")["roster"], ids[first:]):
            applied = time.monotonic()
        return applied

    async def wait_until_every_service_knows_every_organisation(self) -> None:
        created = await self.database("organisations")["organisations"].count_documents({})

        async def known() -> bool:
            for service in ("members", "evaluations"):
                collection = self.database(service)["known_organisations"]
                if await collection.count_documents({}) < created:
                    return False
            return True

        await until(known, f"members and evaluations know {created} organisations")

    async def run(self) -> None:
        loader = DemoGateway(self.suite.gateway_url, self.suite.authorization(DEMO_LOADER))
        try:
            if self.args.reuse:
                await self.measure_kept(loader)
                return
            print("loading the Ba Đình 2019 demo", file=sys.stderr)
            await load_demo(self.suite.gateway_url, self.suite.token_for(DEMO_LOADER))
            demo_members = await self.database("members")["members"].count_documents({})
            await self.remember_ids(loader)
            await self.remember_tour_principal(loader)
            self.steps.append(Step("demo", demo_members))
            await self.measure(self.steps[-1])
            sizes = list(SIZES)[: list(SIZES).index(self.args.size) + 1]
            async with Registered(AMQP_URL, self.suite.exchange) as registered:
                for size in sizes:
                    await self.load(size, loader, registered)
        finally:
            await loader.close()

    async def measure_kept(self, loader: DemoGateway) -> None:
        """The screens of the databases a --keep run left, measured once, nothing loaded."""
        members = await self.database("members")["members"].estimated_document_count()
        await self.remember_ids(loader)
        await self.remember_tour_principal(loader)
        self.steps.append(Step(f"kept {self.args.size}", members))
        await self.measure(self.steps[-1])

    async def remember_tour_principal(self, loader: DemoGateway) -> None:
        self.tour_principal = next(
            t.principal
            for t in await demo_principals(loader)
            if t.role is Role.CITY_COMMITTEE  # the README tour's caller since 2025
        )

    async def load(self, size: str, loader: DemoGateway, registered: Registered) -> None:
        hanoi = SyntheticHanoi(size, self.args.seed)
        hanoi.units = [u for u in hanoi.units if u.code not in self.loaded]
        self.loaded |= {u.code for u in hanoi.units}
        step = Step(size, self.steps[-1].members + hanoi.member_count)
        self.steps.append(step)  # its import figures are reported even if it stops half-way
        print(
            f"loading {size}: {len(hanoi.units)} units, {hanoi.member_count:,} members",
            file=sys.stderr,
        )
        one_by_one = OneByOne(loader, self.ids, self.args.concurrency)
        in_bulk = InBulk(loader, self.ids, self.args.chunk, self.args.import_calls)
        organisations = [r for r in hanoi.organisations() if r.code not in self.ids]
        started = time.monotonic()
        await (in_bulk if self.bulk else one_by_one).organisations(organisations)
        stored = time.monotonic() - started
        await self.wait_until_every_service_knows_every_organisation()
        path = "importOrganisations" if self.bulk else "createOrganisation one by one"
        step.imports.append(
            ImportFigures(
                path, len(organisations), stored, time.monotonic() - started, "organisations"
            )
        )
        await self.remember_ids(loader)
        members = hanoi.members()
        first_step = self.loaded == {u.code for u in hanoi.units}
        sample = min(self.args.baseline_sample, hanoi.member_count) if first_step else 0
        rest = hanoi.member_count - sample
        if sample:
            path = "registerMember one by one (baseline)"
            step.imports.append(
                await self.timed_import(path, one_by_one, members, sample, registered)
            )
        if rest:
            path = "importMembers" if self.bulk else "registerMember one by one"
            rest_loader = in_bulk if self.bulk else one_by_one
            step.imports.append(
                await self.timed_import(path, rest_loader, members, rest, registered)
            )
        await (in_bulk if self.bulk else one_by_one).candidates(hanoi.candidates())
        step.resent = one_by_one.retries.timed_out + in_bulk.retries.timed_out
        if in_bulk.rejected:
            print(f"  rejected rows: {in_bulk.rejected[:5]}", file=sys.stderr)
        await self.measure(step)

    async def timed_import(
        self,
        path: str,
        loader: OneByOne | InBulk,
        members: Iterator[MemberRow],
        count: int,
        registered: Registered,
    ) -> ImportFigures:
        first, applied_before = len(registered.member_ids), await self.applying.count()
        started = time.monotonic()
        await loader.members(take(members, count), Progress(path, count))
        stored = time.monotonic() - started
        applied = await self.wait_for_roster(registered, first, count, applied_before)
        return ImportFigures(path, count, stored, applied - started)

    async def remember_ids(self, loader: DemoGateway) -> None:
        for code in (CITY_CODE, WARD_CODE, CELL_CODE):
            found = (await loader.execute(BY_CODE, {"code": code}))["organisationByCode"]
            if found:
                self.ids[code] = str(found["id"])

    async def measure(self, step: Step) -> None:
        print(f"measuring after {step.name} ({step.members:,} members)", file=sys.stderr)
        variables = {
            "ward": self.ids.get(WARD_CODE, ""),
            "cell": self.ids.get(CELL_CODE, ""),
            "city": self.ids.get(CITY_CODE, ""),
        }
        callers = {
            "tour": self.tour_principal,
            "ward": principal("ward", Role.WARD_COMMITTEE, variables["ward"]),
            "city": principal("city", Role.DISTRICT_STANDING, variables["city"]),
        }
        screens: list[Screen] = tour_screens() + SCALE_SCREENS
        for screen in screens:
            if not all(variables[name] for name in screen.needs):
                continue
            async with self.client(callers[screen.caller]) as client:
                try:
                    step.timings[screen.name] = await time_screen(
                        client, self.suite.gateway_url, screen, variables, self.args.repeat
                    )
                except (ScreenFailed, httpx.HTTPError) as error:
                    step.failures[screen.name] = str(error)[:300]
                    print(f"  {screen.name} failed: {error}", file=sys.stderr)
        step.memory = {name: memory_of(p.pid) for name, p in self.suite.processes.items()}
        step.load_average = os.getloadavg()[0]
        await self.count_documents(step)

    async def count_documents(self, step: Step) -> None:
        for service in SERVICES:
            db = self.database(service)
            for name in sorted(await db.list_collection_names()):
                step.collections[f"{service}.{name}"] = await db[name].estimated_document_count()
        cell, ward = self.ids.get(CELL_CODE, ""), self.ids.get(WARD_CODE, "")
        filters = [
            ("members", "members", "organisation_id", cell),
            ("members", "members", "scope_ids", ward),
            ("members", "members", "search_words", "nguyen van"),
            ("evaluations", "roster", "cell_ids", cell),
        ]
        for service, collection, key, value in filters:
            plan = await self.database(service).command(
                "explain", {"find": collection, "filter": {key: value}}, verbosity="queryPlanner"
            )
            node = plan.get("queryPlanner", {}).get("Plan", {})
            step.plans[f"{service}.{collection} by {key}"] = node.get("Node Type", "?")

    async def clean_up(self) -> None:
        """The broker's and the store's objects of this run, gone (unless --keep)."""
        await delete_from_broker(AMQP_URL, self.suite.exchange, SERVICES)
        if self.args.keep or self.args.reuse:
            print(f"databases kept: --reuse {self.suite.database_prefix}", file=sys.stderr)
        else:
            for service in SERVICES:
                name = f"{self.suite.database_prefix}{service}"
                try:
                    await asyncio.wait_for(self.mongo.drop_database(name), CLEAN_UP_SECONDS)
                except (PyMongoError, TimeoutError) as error:
                    print(f"could not drop {name}: {error}", file=sys.stderr)
        await self.mongo.close()


BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id } }"
PATIENCE_SECONDS = 3600.0
CLEAN_UP_SECONDS = 60.0


async def until(done: Callable[[], Awaitable[bool]], what: str) -> None:
    """Polls `done` until it says so: the events have been applied."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not await done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {PATIENCE_SECONDS:.0f}s in vain until {what}")
        await asyncio.sleep(0.25)


def take(rows: Iterator[MemberRow], count: int) -> Iterator[MemberRow]:
    """The next `count` rows (range first, so that zip takes no row too many)."""
    for _, row in zip(range(count), rows, strict=False):
        yield row


def principal(subject: str, role: Role, organisation_id: str) -> Principal:
    return Principal(f"scale-{subject}", f"bench/scale {subject}", (Grant(role, organisation_id),))


def memory_of(pid: int) -> tuple[int, int]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def store() -> str:
    """The store behind MONGODB_URL: the FerretDB process listening on its port, if any."""
    port = MONGODB_URL.rstrip("/").rsplit(":", 1)[-1].split("/")[0]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if words and words[0].endswith("ferretdb") and f":{port}" in " ".join(words):
            handler = next((w for w in words if w.startswith("--handler=")), "--handler=?")
            return f"FerretDB ({handler})"
    return f"MongoDB-compatible store at {MONGODB_URL}"


def report(bench: Bench) -> str:
    steps, first = bench.steps, bench.steps[0]
    load1, _, _ = os.getloadavg()
    lines = [
        f"# bench/scale — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, size `{bench.args.size}`",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {load1:.1f} at the end. Store: {store()}.",
        f"Bulk import mutations in the supergraph: {'yes' if bench.bulk else 'no (pending)'}."
        f" Screens: {bench.args.repeat} sequential requests each after a warm-up.",
        "",
        "## Import rate, rows/s end to end",
        "",
        "Stored: the mutations answered. Applied: the other services hold them too (members and",
        "evaluations know the organisations; the evaluations roster holds the members).",
        "",
        "| step | path | rows | stored in s | stored/s | applied in s | applied/s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for step in steps:
        for f in step.imports:
            lines.append(
                f"| {step.name} | {f.path} | {f.rows:,} {f.what} | {f.stored_seconds:.1f} |"
                f" {f.stored_rate:,.0f} | {f.applied_seconds:.1f} | {f.applied_rate:,.0f} |"
            )
    if not bench.bulk:
        lines.append("| – | importMembers | pending: not in the gateway yet | | | | |")
    for step in steps:
        if step.resent:
            lines.append(f"\n{step.name}: {step.resent} calls timed out at the gateway, resent.")
    lines += [
        "",
        "## Screens through the gateway, ms (p50 / p99)",
        "",
        "| screen | " + " | ".join(f"{s.name} ({s.members:,})" for s in steps) + " | p50 ratio |",
        "|---|" + "---:|" * (len(steps) + 1),
    ]
    names = list(dict.fromkeys(name for step in steps for name in step.timings))
    for name in names:
        cells = [
            f"{s.timings[name].p50:.0f} / {s.timings[name].p99:.0f}" if name in s.timings else "–"
            for s in steps
        ]
        measured = [s.timings[name] for s in steps if name in s.timings]
        ratio = f"×{measured[-1].p50 / measured[0].p50:.1f}" if len(measured) > 1 else ""
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")
    lines += [
        "",
        "Answers (last step): "
        + "; ".join(f"{name}: {t.answer}" for name, t in steps[-1].timings.items() if t.answer),
        "",
    ]
    for step in steps:
        for name, failure in step.failures.items():
            lines.append(f"Failed after {step.name}: {name}: {failure}")
    if bench.unfinished:
        lines.append(f"**The run stopped before its last step**: {bench.unfinished}")
    lines += [
        "",
        "## Memory of each process, MB (resident now / peak)",
        "",
        "| process | " + " | ".join(s.name for s in steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for process in first.memory:
        cells = [
            f"{s.memory[process][0] / 1024:.0f} / {s.memory[process][1] / 1024:.0f}"
            if process in s.memory
            else "–"
            for s in steps
        ]
        lines.append(f"| {process} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Documents per collection (a Seq Scan reads them all, a Bitmap or Index Scan the"
        " matches)",
        "",
        "| collection | " + " | ".join(s.name for s in steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for collection in dict.fromkeys(c for s in steps for c in s.collections):
        cells = [f"{s.collections.get(collection, 0):,}" for s in steps]
        lines.append(f"| {collection} | " + " | ".join(cells) + " |")
    for step in [s for s in steps if s.plans][-1:]:
        found = "; ".join(f"{c}: {plan}" for c, plan in step.plans.items())
        lines += ["", f"Plans of the screens' filters after {step.name}: {found}", ""]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=SIZES, default="ward")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--baseline-sample", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--chunk", type=int, default=1_000, help="rows per import call")
    parser.add_argument(
        "--import-calls", type=int, default=3, help="import calls at once (members)"
    )
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse", metavar="PREFIX", help="measure the databases a --keep run left (its prefix)"
    )
    args = parser.parse_args()
    bench = Bench(args)
    bench.suite.up()
    try:
        await bench.run()
    except Exception as error:  # report the steps measured before it, then fail
        bench.unfinished = f"{type(error).__name__}: {error}"[:500]
        raise
    finally:
        bench.suite.stop()
        write_report(bench, args)
        await bench.clean_up()


def write_report(bench: Bench, args: argparse.Namespace) -> None:
    if not bench.steps:
        return
    text = report(bench)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        print(f"written to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
