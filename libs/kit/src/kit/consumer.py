"""One durable queue per consuming service, a dead-letter queue, bounded redeliveries.

A message is acknowledged only after its handler's write. The inbox remembers the ids of
events already applied, so a redelivered event is acknowledged without applying it twice;
handlers are written to be idempotent too (deterministic ids, guarded updates), for the
crash between their write and the inbox's.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from aio_pika.abc import AbstractIncomingMessage, AbstractRobustChannel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from kit.bus import EventBus
from kit.context import REQUEST_ID_HEADER, request_id
from kit.events import Event, from_wire
from kit.mongo import Document

log = logging.getLogger(__name__)

Handler = Callable[[Event], Awaitable[None]]
Subscriptions = Mapping[str, Handler]


class Inbox:
    """The ids of the events this service has applied."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def has_applied(self, event_id: str) -> bool:
        return await self.collection.find_one({"_id": event_id}, {"_id": 1}) is not None

    async def remember(self, event: Event) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.insert_one(
                {"_id": event.id, "type": event.type, "applied_at": datetime.now(UTC)}
            )


class EventConsumer:
    def __init__(
        self,
        bus: EventBus,
        inbox: Inbox,
        subscriptions: Subscriptions,
        max_deliveries: int = 5,
        prefetch: int = 32,
    ) -> None:
        self.bus = bus
        self.inbox = inbox
        self.subscriptions = dict(subscriptions)
        self.max_deliveries = max_deliveries
        self.prefetch = prefetch
        self.applied = 0
        self.ready = asyncio.Event()
        self._in_flight: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    @property
    def queue_name(self) -> str:
        return self.bus.settings.queue_name

    async def start(self) -> None:
        """Declare the queues and start consuming; waits for the bus to connect."""
        if not self.subscriptions:
            self.ready.set()
            return
        await self.bus.connected.wait()
        assert self.bus.connection is not None
        channel: AbstractRobustChannel = await self.bus.connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        exchange = await self.bus.declare_exchange(channel)
        dead_letters = await self.bus.declare_dead_letter_exchange(channel)
        dead = await channel.declare_queue(f"{self.queue_name}.dead", durable=True)
        await dead.bind(dead_letters, routing_key=self.queue_name)
        queue = await channel.declare_queue(
            self.queue_name,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": self.max_deliveries,
                "x-dead-letter-exchange": dead_letters.name,
                "x-dead-letter-routing-key": self.queue_name,
            },
        )
        for event_type in self.subscriptions:
            await queue.bind(exchange, routing_key=event_type)
        await queue.consume(self._on_message)
        self.ready.set()
        log.info("consuming", extra={"queue": self.queue_name, "types": list(self.subscriptions)})

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        header = message.headers.get(REQUEST_ID_HEADER)
        token = request_id.set(str(header) if header else None)
        try:
            await self._handle(message)
        finally:
            request_id.reset(token)

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        try:
            event = from_wire(message.body)
        except ValueError as error:
            log.error("malformed event dead-lettered", extra={"error": str(error)})
            await message.reject(requeue=False)
            return
        if event.request_id:
            request_id.set(event.request_id)
        handler = self.subscriptions.get(event.type)
        if handler is None:
            await message.ack()
            return
        # two copies of one event handled at once would both pass the inbox check
        lock, holders = self._in_flight.setdefault(event.id, (asyncio.Lock(), [0]))
        holders[0] += 1
        try:
            async with lock:
                await self._apply(message, event, handler)
        finally:
            holders[0] -= 1
            if holders[0] == 0:
                del self._in_flight[event.id]

    async def _apply(
        self, message: AbstractIncomingMessage, event: Event, handler: Handler
    ) -> None:
        if await self.inbox.has_applied(event.id):
            await message.ack()
            return
        try:
            await handler(event)
            await self.inbox.remember(event)
        except Exception:
            deliveries = int(str(message.headers.get("x-delivery-count") or 0)) + 1
            log.exception(
                "event handler failed",
                extra={"event_id": event.id, "event_type": event.type, "delivery": deliveries},
            )
            await asyncio.sleep(min(0.2 * 2**deliveries, 5.0))
            await message.nack(requeue=True)
            return
        self.applied += 1
        await message.ack()
        log.info("event applied", extra={"event_id": event.id, "event_type": event.type})
