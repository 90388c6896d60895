"""The event pipeline, outbox to applied: events/s batched against one at a time.

    uv run python bench/pipeline/run.py [--events 10000 50000] [--baseline-events 500]
        [--statements] [--before /path/to/a/checkout [--rounds 2]]
        [--mongodb-url mongodb://127.0.0.1:27017/]
        [--amqp-url amqp://guest:guest@127.0.0.1:5672/]

Per size, N members' `member.registered` events wait in their documents' outboxes, as the
members service's registrations leave them. Then they are timed through the pipeline as it
runs in production, in two processes: the kit's outbox relay (the members side) publishes
them to RabbitMQ, and the evaluations service's consumer (its own handlers, repositories and
database) puts each member on its roster, until every event is applied and in its inbox.
Two settings of the same code, each on fresh databases, queue and exchange:

  batched        the relay publishes OUTBOX_BATCH_SIZE events before awaiting their confirms
                 and popping them (by id, in bulk writes); the consumer's prefetch is its batch
  imported       as batched, the events written as an import writes them: in outbox batches
                 of 500 beside the documents (kit.event_batches), each marked SENT once out
  one at a time  (the baseline) relay batches of 1 and prefetch 1: each event is published,
                 confirmed and popped, then applied, recorded and acknowledged, before the next

Prints events/s end to end, the relay's own rate, and the ratio; with `--statements`, the
store statements the evaluations consumer sent (PyMongo command monitoring in its process),
in all and per event, by command and collection, with the store's time for each (the
commands' durations summed). With `--before`, this script runs in that checkout's `.venv`
(its evaluations code) and in this one's, alternated, `--rounds` times, and ends with the
rates side by side.
One at a time runs once, on --baseline-events (default 500: at a few events/s, 10,000 would
take an hour); its rate is that of every event alone, whatever the size.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from evaluations.config import Settings as EvaluationsSettings
from evaluations.domain import Policy
from evaluations.handlers import subscriptions
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
from kit.bus import EventBus
from kit.consumer import EventConsumer
from kit.event_batches import insert_with_events
from kit.events import new_event
from kit.inbox import Inbox
from kit.mongo import Document, connect, database
from kit.outbox import PENDING, OutboxRelay
from kit.settings import ServiceSettings
from kit.testing import delete_from_broker, eventually
from pymongo import AsyncMongoClient, monitoring

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for bench
from bench.alternation import alternate, load

MEMBER_REGISTERED = "partyorg.members.member.registered.v1"
CELLS = 50


@dataclass(frozen=True)
class Way:
    name: str
    relay_batch: int
    prefetch: int
    in_outbox_batches: bool = False  # the events as an import writes them (kit.event_batches)


BATCHED = Way("batched", ServiceSettings().outbox_batch_size, ServiceSettings().consumer_prefetch)
IMPORTED = Way(
    "imported",
    ServiceSettings().outbox_batch_size,
    ServiceSettings().consumer_prefetch,
    in_outbox_batches=True,
)
ONE_AT_A_TIME = Way("one at a time", 1, 1)


@dataclass(frozen=True)
class Run:
    events: int
    seconds: float
    relay_seconds: float
    statements: Counter[str]
    store_ms: Counter[str]

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def registration(number: int) -> Document:
    member_id = f"member-{number:07d}"
    return new_event(
        MEMBER_REGISTERED,
        "/partyorg/members",
        {
            "memberId": member_id,
            "fullName": f"Nguyễn Văn {number:07d}",
            "standing": "OFFICIAL",
            "organisationId": f"cell-{number % CELLS:03d}",
            "workplaceRole": "CADRE",
            "version": 1,
        },
        subject=member_id,
    )


class Statements(monitoring.CommandListener):
    """The store statements a process sends, by command and collection, and the store's time
    for them (milliseconds, the commands' durations summed)."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.ms: Counter[str] = Counter()
        self.waiting: dict[int, str] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in ("hello", "isMaster", "ping", "endSessions", "buildInfo"):
            name = f"{event.command_name} {event.command.get(event.command_name)}"
            self.sent[name] += 1
            self.waiting[event.request_id] = name

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._done(event.request_id, event.duration_micros)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._done(event.request_id, event.duration_micros)

    def _done(self, request_id: int, micros: int) -> None:
        name = self.waiting.pop(request_id, None)
        if name is not None:
            self.ms[name] += round(micros / 1000)

    def clear(self) -> None:
        self.sent.clear()
        self.ms.clear()


def consume(overrides: dict[str, Any], expected: int, reply: Connection) -> None:
    """The evaluations side, in its own process: tells when it consumes, then when all is
    applied (a monotonic time, comparable across processes), how many are on its roster and
    the statements it sent meanwhile."""
    statements = Statements()
    monitoring.register(statements)
    asyncio.run(_consume(EvaluationsSettings(**overrides), expected, reply, statements))


async def _consume(
    settings: EvaluationsSettings, expected: int, reply: Connection, statements: Statements
) -> None:
    mongo = connect(settings)
    db = database(mongo, settings)
    service = use_cases(MongoRepositories(db), Policy(settings.policy_options))
    bus = EventBus(settings)
    await bus.connect()
    consumer = EventConsumer(
        bus, Inbox(db["inbox"]), subscriptions(service.roster), prefetch=settings.consumer_prefetch
    )
    await consumer.start()
    statements.clear()
    reply.send("consuming")

    async def all_applied() -> None:
        assert consumer.applied >= expected

    await eventually(all_applied, timeout=3600, interval=0.02)
    finished = time.monotonic()
    sent = Counter(statements.sent), Counter(statements.ms)
    reply.send((finished, await db["roster"].count_documents({}), sent))
    await consumer.stop()
    await bus.close()
    await mongo.close()


async def through_the_pipeline(way: Way, events: int, mongodb_url: str, amqp_url: str) -> Run:
    suffix = uuid.uuid4().hex[:8]
    exchange = f"bench.pipeline.{suffix}"
    members = ServiceSettings(
        service_name="members",
        mongodb_url=mongodb_url,
        amqp_url=amqp_url,
        mongodb_database=f"bench_pipeline_{suffix}_members",
        event_exchange=exchange,
    )
    evaluations: dict[str, Any] = {
        "mongodb_url": mongodb_url,
        "amqp_url": amqp_url,
        "mongodb_database": f"bench_pipeline_{suffix}_evaluations",
        "event_exchange": exchange,
        "consumer_prefetch": way.prefetch,
    }
    mongo = connect(members)
    outboxes = database(mongo, members)["members"]
    for start in range(0, events, 1000):
        numbers = range(start, min(start + 1000, events))
        if way.in_outbox_batches:
            await insert_with_events(
                outboxes,
                [{"_id": f"member-{n:07d}"} for n in numbers],
                {f"member-{n:07d}": [registration(n)] for n in numbers},
            )
        else:
            await outboxes.insert_many(
                {"_id": f"member-{n:07d}", PENDING: [registration(n)]} for n in numbers
            )
    bus = EventBus(members)
    await bus.connect()

    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    evaluations_side = multiprocessing.get_context("spawn").Process(
        target=consume, args=(evaluations, events, theirs)
    )
    evaluations_side.start()
    try:
        assert await asyncio.to_thread(ours.recv) == "consuming"
        started = time.monotonic()
        relay = OutboxRelay(bus, [outboxes], batch_size=way.relay_batch)
        published = await relay.drain()
        relayed = time.monotonic()
        finished, on_the_roster, sent = await asyncio.to_thread(ours.recv)
        assert published == events, f"{published} of {events} published"
        assert on_the_roster == events, f"{on_the_roster} of {events} on the roster"
    finally:
        evaluations_side.join(timeout=30)
        await bus.close()
        cleanup: AsyncMongoClient[Document] = AsyncMongoClient(mongodb_url)
        for name in (members.database_name, evaluations["mongodb_database"]):
            await cleanup.drop_database(name)
        await cleanup.close()
        await mongo.close()
        await delete_from_broker(amqp_url, exchange, ["evaluations"])
    return Run(events, finished - started, relayed - started, *sent)


async def main(
    sizes: list[int],
    baseline_events: int,
    mongodb_url: str,
    amqp_url: str,
    statements: bool,
) -> list[dict[str, Any]]:
    print(
        f"batched: relay batches of {BATCHED.relay_batch}, prefetch {BATCHED.prefetch}; "
        f"baseline ({ONE_AT_A_TIME.name}): relay batches of 1, prefetch 1"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    print(f"{'events':>8} {'way':<14} {'seconds':>8} {'events/s':>9} {'relay events/s':>15}")
    alone = await through_the_pipeline(ONE_AT_A_TIME, baseline_events, mongodb_url, amqp_url)
    report(ONE_AT_A_TIME, alone, statements)
    runs = [(ONE_AT_A_TIME.name, alone)]
    for size in sizes:
        for way in (BATCHED, IMPORTED):
            run = await through_the_pipeline(way, size, mongodb_url, amqp_url)
            report(way, run, statements)
            print(f"{size:>8} ratio {way.name} / one at a time: {run.rate / alone.rate:.1f}x")
            runs.append((way.name, run))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return [
        {
            "way": name,
            "events": run.events,
            "rate": run.rate,
            "statements": sum(run.statements.values()),
            "store_ms": sum(run.store_ms.values()),
        }
        for name, run in runs
    ]


def compare(before: Path, arguments: list[str], rounds: int) -> None:
    """This checkout's evaluations code against `before`'s (its `.venv`), alternated."""
    outcomes = alternate(before, __file__, arguments, rounds)
    print(f"\nevents/s end to end, {rounds} rounds each, alternated ({load()})")
    print(f"{'events':>8} {'way':<14}{'before':>20}{'after':>20}{'ratio':>8}   store s b/a")
    for n, first in enumerate(outcomes["before"][0]):
        theirs = [runs[n] for runs in outcomes["before"]]
        ours = [runs[n] for runs in outcomes["after"]]
        rates = [" / ".join(f"{r['rate']:.0f}" for r in side) for side in (theirs, ours)]
        best = max(r["rate"] for r in ours) / max(r["rate"] for r in theirs)
        store = " / ".join(
            f"{min(r['store_ms'] for r in side) / 1000:.1f}" for side in (theirs, ours)
        )
        print(
            f"{first['events']:>8} {first['way']:<14}{rates[0]:>20}{rates[1]:>20}"
            f"{best:>7.1f}x   {store}"
        )


def report(way: Way, run: Run, statements: bool = False) -> None:
    print(
        f"{run.events:>8} {way.name:<14} {run.seconds:>8.2f} {run.rate:>9.0f} "
        f"{run.events / run.relay_seconds:>15.0f}",
        flush=True,
    )
    if statements:
        total = sum(run.statements.values())
        print(f"         evaluations' statements: {total} ({total / run.events:.3f} an event)")
        store = sum(run.store_ms.values()) / 1000
        print(f"         the store's time for them: {store:.2f} s")
        for name, n in run.statements.most_common(8):
            print(f"           {n:>7} {name:<34} {run.store_ms[name] / 1000:>7.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--baseline-events", type=int, default=500)
    parser.add_argument("--mongodb-url", default="mongodb://127.0.0.1:27017/")
    parser.add_argument("--amqp-url", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--statements", action="store_true", help="count the consumer's")
    parser.add_argument("--before", type=Path, help="a checkout to compare with (its .venv)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--answer", type=Path, help=argparse.SUPPRESS)  # a compared run's
    arguments = parser.parse_args()
    if arguments.before is not None:
        passed = [
            "--events",
            *map(str, arguments.events),
            "--baseline-events",
            str(arguments.baseline_events),
            "--mongodb-url",
            arguments.mongodb_url,
            "--amqp-url",
            arguments.amqp_url,
            *(["--statements"] if arguments.statements else []),
        ]
        compare(arguments.before, passed, arguments.rounds)
    else:
        outcome = asyncio.run(
            main(
                arguments.events,
                arguments.baseline_events,
                arguments.mongodb_url,
                arguments.amqp_url,
                arguments.statements,
            )
        )
        if arguments.answer is not None:
            arguments.answer.write_text(json.dumps(outcome))
