"""Follow partyorg's public event stream as a city system would, and print each event.

    uv run python examples/city_stream.py --since 2026-12-06     # from that day, Viet Nam time
    uv run python examples/city_stream.py --offset first         # from the oldest event kept
    uv run python examples/city_stream.py --offset 1200          # resume: the last offset + 1
    uv run python examples/city_stream.py --since 2026-12-06 --type partyorg.members. --idle 5
    uv run python examples/city_stream.py --since 2026-12-06 --ward <ward committee id>

It reads with the read-only account (CITY_STREAM_URL, as `make up` prints it; compose: user
`city`, password CITY_STREAM_AMQP_PASSWORD) the RabbitMQ stream `partyorg.events.stream`, which
keeps every event published on the public exchange `partyorg.events.public` for 30 days (up to
10 GB). A stream is read over AMQP 0-9-1 with a prefetch and acknowledgements, from
`x-stream-offset`: `first`, `last`, `next`, an offset, or a timestamp. Reading takes nothing
away: any number of systems read it, each from where it likes. Keep the offset of the last
event you handled and start from the next one; a timestamp starts at the chunk holding it, so
earlier events of that chunk come too — they are skipped here by their `time`.

Each line: the offset, the CloudEvent's time and type, then its data as JSON. What the events
carry is in services/*/asyncapi.yaml (the catalogue: `make asyncapi-html`): ids, cells and
wards, dates, states and ratings — enough to act on (a job result names the member's cell and
ward: `--ward` keeps a ward's). Nothing personal: no names (of members, candidates, assessors,
signers, who acted), card numbers, citizen IDs or birth dates; the fields marked `x-personal`
stay with the services, and a system allowed to read them asks the gateway (`member(id) {
fullName }`), each read logged.
"""

import argparse
import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import aio_pika

VIET_NAM = timezone(timedelta(hours=7))
STREAM = "partyorg.events.stream"
# a time is asked of the broker this much earlier, and the events before it left out here: the
# broker places a time by its own clock, chunk by chunk, and its clock and the services' may
# differ (an Erlang node corrects a jump of the system clock slowly: seen 43 s behind)
CLOCK_MARGIN = timedelta(minutes=10)
LOCAL_URL = "amqp://city:city-stream-local@127.0.0.1:5672/"


@dataclass(frozen=True)
class StreamEvent:
    offset: int
    event: dict[str, Any]  # the CloudEvent: id, type, source, time, subject, data…

    @property
    def type(self) -> str:
        return str(self.event["type"])

    @property
    def time(self) -> datetime:
        return datetime.fromisoformat(self.event["time"])


def start_of(day: date) -> datetime:
    """Midnight of that day in Viet Nam, where partyorg's days are counted."""
    return datetime.combine(day, time(), VIET_NAM)


async def follow(
    url: str,
    start: str | int | datetime,
    *,
    stream: str = STREAM,
    idle_seconds: float | None = None,
    prefetch: int = 500,
) -> AsyncIterator[StreamEvent]:
    """The stream's events from `start` ("first", "last", "next", an offset or a time) on, as
    they come; with `idle_seconds`, it ends once none came for that long."""
    connection = await aio_pika.connect(url, client_properties={"connection_name": "city-stream"})
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=prefetch)  # a stream is read with a prefetch
        queue = await channel.get_queue(stream, ensure=False)  # it exists: declaring needs rights
        since = start if isinstance(start, datetime) else None
        arguments = {"x-stream-offset": start if since is None else since - CLOCK_MARGIN}
        async with queue.iterator(arguments=arguments, timeout=idle_seconds) as messages:
            try:
                async for message in messages:
                    await message.ack()  # gives the broker credit for the next ones
                    offset = message.headers["x-stream-offset"]  # the broker's, on every one
                    assert isinstance(offset, int)
                    read = StreamEvent(offset, json.loads(message.body))
                    if since is None or read.time >= since:
                        yield read
            except TimeoutError:
                return


def start_from(arguments: argparse.Namespace) -> str | int | datetime:
    if arguments.since is not None:
        return start_of(date.fromisoformat(arguments.since))
    offset: str = arguments.offset
    return int(offset) if offset.isdigit() else offset


def about_ward(read: StreamEvent, ward: str | None) -> bool:
    """Whether the event names the ward committee (any event, without one)."""
    data = read.event.get("data") or {}
    return ward is None or ward in (data.get("wardCommitteeId"), data.get("organisationId"))


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--since", help="a day, YYYY-MM-DD: from its midnight in Viet Nam")
    where.add_argument("--offset", default="first", help="first, last, next or an offset")
    parser.add_argument("--type", default="", help="only the types that begin so")
    parser.add_argument("--ward", help="only the events naming this ward committee (its id)")
    parser.add_argument("--idle", type=float, help="stop after so many seconds with no event")
    parser.add_argument("--stream", default=STREAM)
    arguments = parser.parse_args()
    url = os.environ.get("CITY_STREAM_URL", LOCAL_URL)
    async for read in follow(
        url, start_from(arguments), stream=arguments.stream, idle_seconds=arguments.idle
    ):
        if read.type.startswith(arguments.type) and about_ward(read, arguments.ward):
            data = json.dumps(read.event.get("data"), ensure_ascii=False)
            print(f"{read.offset}\t{read.event['time']}\t{read.type}\t{data}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main()))
    except KeyboardInterrupt:
        sys.exit(0)
    except aio_pika.exceptions.ChannelNotFoundEntity as missing:
        sys.exit(f"no public stream on this broker ({missing}): the services declare it, `make up`")
    except aio_pika.exceptions.ProbableAuthenticationError as refused:
        sys.exit(f"the broker refused the account: set CITY_STREAM_URL ({refused})")
