"""What a benchmark waits for, without scanning the store while it measures.

FerretDB 1.24 counts a collection by reading all of it: at a district's size one count of the
evaluations roster took 3.7 s, and a bench asking four times a second whether the roster was
complete kept the store busy with itself while it timed the import. So a bench learns

- that the members it registered were published from the broker: `Registered` binds a queue
  of its own to the suite's exchange and keeps the member ids of the `member.registered` events
  it is delivered, in the order they come;
- that they were applied by looking each of them up on the roster by id (`on_the_roster`), the
  oldest first: each member is found once, and a member not there yet stops the round;
- when they were applied, from the evaluations service's own count of the events it applied
  (`EventsApplied`: its /metrics, no store read), the lookups by id following, untimed, to
  show every member there. Timed by the lookups alone, an import of 5,000 looked 2.5 s later
  than it was: they began once the last member was published and took that long.
"""

import asyncio
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import aio_pika
import httpx
from aio_pika.abc import AbstractIncomingMessage
from kit.events import from_wire
from kit.mongo.lookups import by_ids
from prometheus_client.parser import text_string_to_metric_families

MEMBER_REGISTERED = "partyorg.members.member.registered.*"
LOOKED_UP_AT_ONCE = 64


class Registered:
    """The members whose `member.registered` event the broker delivered (to a queue of the
    bench's own, bound to the suite's exchange), from the moment it is entered."""

    def __init__(self, amqp_url: str, exchange: str) -> None:
        self.amqp_url, self.exchange = amqp_url, exchange
        self.member_ids: list[str] = []
        self._arrived = asyncio.Event()
        self._connection: aio_pika.abc.AbstractRobustConnection | None = None

    async def __aenter__(self) -> "Registered":
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=1000)
        exchange = await channel.get_exchange(self.exchange)  # the suite declared it
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, MEMBER_REGISTERED)
        await queue.consume(self._arrive, no_ack=True)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def _arrive(self, message: AbstractIncomingMessage) -> None:
        event = from_wire(message.body)
        self.member_ids.append(str(event.data["memberId"]))
        self._arrived.set()

    async def until(self, count: int, timeout: float = 900) -> list[str]:
        """The ids of the first `count` members published, once that many have been."""
        deadline = time.monotonic() + timeout
        while len(self.member_ids) < count:
            self._arrived.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(self.member_ids)} of {count} members published")
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=min(left, 1.0))
            except TimeoutError:
                continue
        return self.member_ids[:count]


async def on_the_roster(roster: Any, member_ids: Sequence[str], timeout: float = 900) -> bool:
    """Returns once every one of these members is on the roster (looked up by id, the oldest
    first; a round stops at the first one missing and waits a tenth of a second): whether all
    were there when first looked up."""
    deadline = time.monotonic() + timeout
    missing, waited = list(member_ids), False
    while missing:
        looked_up = missing[:LOOKED_UP_AT_ONCE]
        found = {d["_id"] for d in await by_ids(roster, looked_up, {"_id": 1})}
        missing = [i for i in looked_up if i not in found] + missing[LOOKED_UP_AT_ONCE:]
        if len(found) < len(looked_up):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(missing)} of {len(member_ids)} not on the roster")
            waited = True
            await asyncio.sleep(0.1)
    return not waited


class EventsApplied:
    """How many `member.registered` events the evaluations service has applied, as its
    /metrics counts them (once each batch is marked applied in its inbox)."""

    SAMPLE = "partyorg_events_applied_total"
    TYPE = "partyorg.members.member.registered.v1"

    def __init__(self, service_url: str) -> None:
        self.url = f"{service_url}/metrics"

    async def count(self, http: httpx.AsyncClient | None = None) -> int:
        """How many the service has applied since it started."""
        if http is None:
            async with httpx.AsyncClient(timeout=30) as http:
                return await self.count(http)
        text = (await http.get(self.url)).raise_for_status().text
        return sum(
            int(sample.value)
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == self.SAMPLE and sample.labels.get("type") == self.TYPE
        )

    async def until(self, count: int, timeout: float = 900) -> None:
        """Returns once the service has applied `count` of them (asked every 20 ms)."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=30) as http:
            while (applied := await self.count(http)) < count:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{applied} of {count} applied")
                await asyncio.sleep(0.02)
