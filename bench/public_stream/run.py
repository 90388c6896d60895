"""What the public event stream costs the outbox relay, and how fast a city system reads it.

The relay publishes events a batch at a time (kit.bus.publish_many: the publishes pipelined,
their confirms awaited together), each event twice: whole to the services' exchange and without
its personal data to the public exchange. Baseline: the services' exchange with one service's
durable quorum queue bound, and nothing bound to the public exchange. Against it: the same with
the public stream bound to the public exchange (kit.public_stream), where the public copy's
confirm waits for the stream's write, and the event's name left out of it. Then the stream read
from its first event, as examples/city_stream.py reads it.

    uv run python bench/public_stream/run.py [--events 5000] [--batch 500] [--rounds 3]

Prints events/s (best of the rounds) and the ratio to the baseline, on the local RabbitMQ."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import aio_pika
from kit.bus import EventBus
from kit.events import new_event
from kit.mongo import Document
from kit.settings import ServiceSettings
from kit.testing import delete_from_broker, isolated

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for examples

from examples.city_stream import follow


def events(count: int) -> list[Document]:
    """Events the size of a member's move (about 450 bytes on the wire)."""
    return [
        new_event(
            "partyorg.members.member.updated.v1",
            "/partyorg/members",
            {
                "memberId": f"5b0f8f0e-2a8e-4c39-9a55-{n:012d}",
                "fullName": "Nguyễn Thị Hằng",
                "standing": "OFFICIAL",
                "organisationId": "9a2d-gv-tdp05",
                "workplaceRole": "CIVIL_SERVANT",
                "admittedOn": "2005-03-02",
                "version": 2,
            },
        )
        for n in range(count)
    ]


async def bus_on(settings: ServiceSettings, with_stream: bool) -> EventBus:
    """A bus on a new exchange with a service's quorum queue bound, and the stream or not."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            settings.event_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(
            settings.queue_name, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await queue.bind(exchange, routing_key="partyorg.#")
        await channel.declare_exchange(
            settings.public_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
    # declare_exchanges=False: the exchanges are checked, and no stream is declared
    bus = EventBus(
        settings.model_copy(update={"declare_exchanges": with_stream}),
        personal={"partyorg.members.member.updated.v1": ("fullName",)},
    )
    await bus.connect()
    return bus


async def publish_rate(bus: EventBus, count: int, batch: int) -> float:
    published = events(count)
    started = time.perf_counter()
    for first in range(0, count, batch):
        outcomes = await bus.publish_many(published[first : first + batch])
        assert outcomes == [None] * len(outcomes)
    return count / (time.perf_counter() - started)


async def read_rate(settings: ServiceSettings, count: int) -> float:
    started = time.perf_counter()
    read = 0
    async for _ in follow(settings.amqp_url, "first", stream=settings.public_stream):
        read += 1
        if read == count:
            break
    return count / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    rates: dict[str, list[float]] = {"baseline": [], "stream": [], "read": []}
    for _ in range(arguments.rounds):
        for label, with_stream in (("baseline", False), ("stream", True)):
            settings = isolated(ServiceSettings, service_name="bench")
            bus = await bus_on(settings, with_stream)
            try:
                rates[label].append(await publish_rate(bus, arguments.events, arguments.batch))
                if with_stream:
                    rates["read"].append(await read_rate(settings, arguments.events))
            finally:
                await bus.close()
                await delete_from_broker(settings.amqp_url, settings.event_exchange, ["bench"])
    best = {label: max(values) for label, values in rates.items()}
    print(
        f"{arguments.events} events published in batches of {arguments.batch}, best of "
        f"{arguments.rounds} rounds, local RabbitMQ"
    )
    print(f"  baseline (a service's quorum queue only):  {best['baseline']:>8.0f} events/s")
    print(
        f"  with the public stream bound (no names):   {best['stream']:>8.0f} events/s"
        f"  ({best['stream'] / best['baseline']:.2f} of the baseline)"
    )
    print(
        f"  the stream read from its first event:      {best['read']:>8.0f} events/s"
        f"  ({best['read'] / best['baseline']:.2f} of the baseline's publishing)"
    )


if __name__ == "__main__":
    asyncio.run(main())
