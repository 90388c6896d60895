"""Hà Nội's 2025 merger end to end through the gateway, at the size of a ward, a former
district or the city: the predecessors of the synthetic city's units (bench/restructuring/
before.py over bench/scale/hanoi.py) merged into them, 526 → 126 at city size.

    uv run python bench/restructuring/run.py [--sizes ward,district] [--no-write]
    (the city: --sizes city; it loads 500,000 members first, which takes about half an hour)

For each size, in a suite of its own (three services and the gateway on free ports, databases
and an exchange of their own, as tests/e2e do): the tree before 2025 and its members are
imported, then timed: one campaign of the city committee, a MERGE_NEW case per unit decided,
each predecessor's hand-over record with its members and candidates counted, the new unit's
acceptance; then until the members service holds every member handed over under the new unit
and the evaluations service knows each cell under it with its members on the roster. Every
member is accounted for: those under the new units are all those loaded, none left under a
predecessor. Prints the figures and the ratios against the first size, writes RESULTS.md.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kit.testing import delete_from_broker
from pymongo import AsyncMongoClient

from bench.arrivals import Registered
from bench.restructuring.before import mergers, organisations_before
from bench.restructuring.merger import CityMerger
from bench.scale.hanoi import SIZES, SyntheticHanoi
from bench.scale.loading import InBulk, Progress
from bench.scale.run import AMQP_URL, MONGODB_URL, store
from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.local.suite import DEFAULT_PORTS, SERVICES, Suite, free_port

RESULTS = Path(__file__).with_name("RESULTS.md")
POLLED = ("members", "evaluations")  # the databases the bench polls
PHASES = ("cases decided", "handed over", "accepted", "members followed", "roster followed")


@dataclass
class Figures:
    size: str
    units_before: int
    units_after: int
    members: int
    seconds: dict[str, float]
    load_average: float
    timed_out: int

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


async def run_size(size: str, seed: int) -> Figures:
    run_id = uuid.uuid4().hex[:8]
    suite = Suite(
        ports={name: free_port() for name in DEFAULT_PORTS},
        database_prefix=f"restructuring_{run_id}_",
        exchange=f"restructuring.{run_id}",
        run_dir=Path(tempfile.mkdtemp(prefix=f"partyorg-restructuring-{run_id}-")),
        extra_env={"LOG_LEVEL": "WARNING"},
    )
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(MONGODB_URL)
    suite.up()
    gateway = DemoGateway(suite.gateway_url, suite.authorization(DEMO_LOADER))
    try:
        hanoi = SyntheticHanoi(size, seed)
        loader = InBulk(gateway, {}, 1_000, 3)
        print(f"{size}: loading the tree before 2025 and its members", file=sys.stderr)
        await loader.organisations(organisations_before(hanoi))
        members = hanoi.member_count
        merging = mergers(hanoi)
        members_db, evaluations_db = (mongo[f"{suite.database_prefix}{s}"] for s in POLLED)
        merger = CityMerger(gateway, members_db, evaluations_db, merging)
        async with Registered(AMQP_URL, suite.exchange) as registered:
            await loader.members(hanoi.members(), Progress("importMembers", members))
            await loader.candidates(hanoi.candidates())
            await merger.wait_until_loaded(registered, members)
        print(f"{size}: merging {len(merging)} units' predecessors", file=sys.stderr)
        seconds: dict[str, float] = {}
        for phase, step in zip(PHASES, merger.steps(), strict=True):
            started = time.monotonic()
            await step()
            seconds[phase] = time.monotonic() - started
            ended = time.strftime("%H:%M:%S")
            print(f"  {phase}: {seconds[phase]:.1f} s (ended {ended})", file=sys.stderr)
        await merger.account_for_everyone(members)
        before = sum(len(m.sources) for m in merging)
        load = os.getloadavg()[0]
        return Figures(size, before, len(merging), members, seconds, load, merger.timed_out)
    finally:
        await gateway.close()
        suite.stop()
        await delete_from_broker(AMQP_URL, suite.exchange, SERVICES)
        for service in SERVICES:
            await mongo.drop_database(f"{suite.database_prefix}{service}")
        await mongo.close()


def report(figures: list[Figures]) -> str:
    first = figures[0]
    lines = [
        f"# bench/restructuring — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Store: {store()}. Load average at the end of each size: "
        + ", ".join(f"{f.size} {f.load_average:.1f}" for f in figures)
        + ".",
        "",
        "Seconds from the campaign's launch; every member loaded was found under the new units "
        "and none under a predecessor. Acceptances the gateway stopped waiting for (the case "
        "then polled until the tree showed it): "
        + ", ".join(f"{f.size} {f.timed_out}" for f in figures)
        + ".",
        "",
        "| size | units | members | " + " | ".join(PHASES) + " | total s | members/s |",
        "|---|---|---:|" + "---:|" * (len(PHASES) + 2),
    ]
    for f in figures:
        phases = " | ".join(f"{f.seconds[p]:.1f}" for p in PHASES)
        units = f"{f.units_before} → {f.units_after}"
        rate = f"{f.total:.1f} | {f.members / f.total:.0f}"
        lines.append(f"| {f.size} | {units} | {f.members:,} | {phases} | {rate} |")
    lines += ["", f"Ratios against {first.size}:", ""]
    for f in figures[1:]:
        lines.append(
            f"- {f.size}: members ×{f.members / first.members:.1f}, "
            f"time ×{f.total / first.total:.1f}, "
            f"members/s ×{(f.members / f.total) / (first.members / first.total):.2f}"
        )
    city = SyntheticHanoi("city").member_count
    lines += [
        "",
        f"The city (526 → 126, {city:,} members): `uv run python bench/restructuring/run.py "
        "--sizes city`; at the largest size's rate here it would take about "
        f"{city / (figures[-1].members / figures[-1].total) / 60:.0f} min after loading.",
    ]
    return "\n".join(lines) + "\n"


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="ward,district")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    if unknown := [s for s in sizes if s not in SIZES]:
        parser.error(f"unknown sizes {unknown}: {', '.join(SIZES)}")
    figures = [await run_size(size, args.seed) for size in sizes]
    text = report(figures)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)


if __name__ == "__main__":
    asyncio.run(main())
