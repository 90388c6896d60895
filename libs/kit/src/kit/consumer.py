"""One durable queue per consuming service, a dead-letter queue, bounded redeliveries.

Messages are applied in batches: what the prefetch lets in, up to `prefetch` at a time. The
batch first claims its events in the inbox (one write; see Inbox): those applied before are
acknowledged, those another batch holds wait for its claim to lapse, the rest are applied (a
run of one type at once where its handler takes many, else one by one), the claim is marked
applied (one more write, while the next batch is claimed and applied), and only then are the
messages acknowledged. A redelivered event is acknowledged without applying it twice;
handlers are idempotent too (deterministic ids, guarded updates), for a batch stopped between
its handlers' writes and the inbox's mark. An event whose handler fails is put back alone,
after a pause, and dead-lettered after `max_deliveries`; the rest of its batch is applied.
"""

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from aio_pika.abc import AbstractIncomingMessage, AbstractRobustChannel

from kit.bus import EventBus
from kit.context import request_id
from kit.crash_points import crash_point
from kit.deliveries import (
    Applied,
    Delivery,
    deliveries_of,
    distinct_deliveries,
    log_applied,
    request_id_of,
    settle,
)
from kit.events import Event
from kit.inbox import Inbox
from kit.metrics import EVENTS_APPLIED, HANDLER_FAILURES
from kit.tracing import handling, handling_many

log = logging.getLogger(__name__)

Handler = Callable[[Event], Awaitable[None]]


@dataclass(frozen=True)
class BatchHandler:
    """Applies many events of one type at once (bulk writes), each exactly as it would be
    applied alone; idempotent per event, like every handler. It runs outside any one event's
    request id. Called with one event, it applies that one alone (as when a batch is applied
    one by one)."""

    apply: Callable[[Sequence[Event]], Awaitable[None]]

    async def __call__(self, event: Event) -> None:
        await self.apply([event])


Subscriptions = Mapping[str, Handler | BatchHandler]
# how long an event another batch of this consumer holds waits: that batch is being marked
FINISHING_PAUSE = 0.2


class EventConsumer:
    def __init__(
        self,
        bus: EventBus,
        inbox: Inbox,
        subscriptions: Subscriptions,
        max_deliveries: int = 5,
        prefetch: int = 256,
        concurrency: int = 32,
    ) -> None:
        self.bus = bus
        self.inbox = inbox
        self.subscriptions = dict(subscriptions)
        self.max_deliveries = max_deliveries
        self.prefetch = prefetch
        self.concurrency = concurrency  # handlers applying one event each, at once
        self.applied = 0
        self.ready = asyncio.Event()
        self._arrivals: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._inspection: AbstractRobustChannel | None = None
        self._finishing: set[str] = set()  # the claims of batches applied, not yet marked

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
        dead = await channel.declare_queue(self.dead_letter_queue, durable=True)
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
        self._keep(self._apply_batches())
        await queue.consume(self._arrivals.put)
        self.ready.set()
        log.info("consuming", extra={"queue": self.queue_name, "types": list(self.subscriptions)})

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue_name}.dead"

    async def dead_letters(self) -> tuple[str, int] | None:
        """The dead-letter queue and how many messages wait in it; None before it exists."""
        if not self.ready.is_set() or not self.subscriptions or self.bus.connection is None:
            return None
        if self._inspection is None or self._inspection.is_closed:
            self._inspection = await self.bus.connection.channel()
        # not kept for the channel's recovery: a robust channel answers a passive declaration
        # of a queue it keeps from its cache, with the count it had then
        queue = await self._inspection.declare_queue(
            self.dead_letter_queue, passive=True, robust=False
        )
        return self.dead_letter_queue, int(queue.declaration_result.message_count or 0)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _keep(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _apply_batches(self) -> None:
        """One batch applied at a time, in the order the messages arrive; its mark and acks
        go on while the next batch is claimed and applied (one inbox write on each batch's
        way, not two), and still no message is acknowledged before its batch is marked."""
        finishing: asyncio.Future[None] | None = None
        while True:
            batch = [await self._arrivals.get()]
            while len(batch) < self.prefetch and not self._arrivals.empty():
                batch.append(self._arrivals.get_nowait())
            try:
                applied = await self._apply_batch(batch)
            except Exception:
                self._batch_failed(batch)
                continue
            if finishing is not None:
                await finishing  # one batch finishing at a time
            if applied is not None:
                finishing = asyncio.ensure_future(self._finish(batch, applied))
                self._tasks.add(finishing)
                finishing.add_done_callback(self._tasks.discard)

    def _batch_failed(self, batch: list[AbstractIncomingMessage]) -> None:  # in an except
        log.exception("event batch failed; put back", extra={"events": len(batch)})
        for message in batch:
            if not message.processed:
                self._keep(self._put_back(message))

    async def _apply_batch(self, messages: list[AbstractIncomingMessage]) -> "Applied | None":
        """Claim the batch's events and apply those fresh; what is left to finish."""
        fresh, copies = await distinct_deliveries(messages, self.subscriptions)
        if not fresh:
            return None
        claim = await self.inbox.claim([event for _, event in fresh.values()])
        for event_id, (message, _) in list(fresh.items()):
            if event_id in claim.applied:
                for each in (message, *copies.get(event_id, ())):
                    await settle(each.ack())
            elif event_id in claim.held:
                # held by a batch of ours still finishing: its mark comes in a moment
                mine = claim.holders.get(event_id) in self._finishing
                pause = FINISHING_PAUSE if mine else claim.held[event_id]
                for each in (message, *copies.get(event_id, ())):
                    self._keep(self._again_after(each, pause))
            else:
                continue
            del fresh[event_id]
        try:
            failed = await self._apply(list(fresh.values()))
            crash_point("consumer.handled")
        except Exception:  # the batch is put back: its redelivery claims the events anew
            with contextlib.suppress(Exception):  # else the claim lapses
                await self.inbox.release(claim, fresh)
            raise
        self._finishing.add(claim.id)
        return Applied(claim, fresh, copies, failed)

    async def _finish(self, batch: list[AbstractIncomingMessage], done: Applied) -> None:
        """Release the events whose handler failed, mark the claim, then acknowledge (on a
        failure the batch is put back, its events released)."""
        claim, fresh, copies, failed = done.claim, done.fresh, done.copies, done.failed
        try:
            await self.inbox.release(claim, failed)
            applied = [event for _, event in fresh.values() if event.id not in failed]
            await self.inbox.mark_applied(claim, len(applied))
            crash_point("consumer.marked")
        except Exception:
            with contextlib.suppress(Exception):
                await self.inbox.release(claim, fresh)
            self._batch_failed(batch)
            return
        finally:
            self._finishing.discard(claim.id)
        self.applied += len(applied)
        for event in applied:
            EVENTS_APPLIED.labels(self.bus.settings.service_name, event.type).inc()
        acks = []  # sent together: one by one, each waits for the connection's writer
        for event_id, (message, _) in fresh.items():
            for each in (message, *copies.get(event_id, ())):
                if event_id in failed:
                    self._keep(self._put_back(each))
                else:
                    acks.append(settle(each.ack()))
        await asyncio.gather(*acks)
        for message, event in fresh.values():
            if event.id not in failed:
                log_applied(message, event)

    async def _apply(self, deliveries: list[Delivery]) -> set[str]:
        """Apply each run of events of one type; the ids of the events whose handler failed."""
        failed: set[str] = set()
        for event_type, grouped in itertools.groupby(deliveries, key=lambda d: d[1].type):
            run = list(grouped)
            handler = self.subscriptions[event_type]
            if isinstance(handler, BatchHandler) and len(run) > 1:
                try:
                    events = [event for _, event in run]
                    with handling_many(events, self.queue_name, handler):
                        await handler.apply(events)
                    continue
                except Exception:
                    log.warning(
                        "event batch handler failed; applying its events one by one",
                        exc_info=True,
                        extra={"event_type": event_type, "events": len(run)},
                    )
            failed |= await self._one_by_one(run, handler)
        return failed

    async def _one_by_one(self, run: list[Delivery], handler: Handler | BatchHandler) -> set[str]:
        turns = asyncio.Semaphore(self.concurrency)

        async def apply(delivery: Delivery) -> str | None:
            message, event = delivery
            token = request_id.set(request_id_of(message, event))
            try:
                async with turns:
                    with handling(event, self.queue_name, handler):
                        await handler(event)
            except Exception:
                HANDLER_FAILURES.labels(self.bus.settings.service_name, event.type).inc()
                log.exception(
                    "event handler failed",
                    extra={
                        "event_id": event.id,
                        "event_type": event.type,
                        "delivery": deliveries_of(message),
                    },
                )
                return event.id
            finally:
                request_id.reset(token)
            return None

        outcomes = await asyncio.gather(*(apply(delivery) for delivery in run))
        return {event_id for event_id in outcomes if event_id is not None}

    async def _again_after(self, message: AbstractIncomingMessage, seconds: float) -> None:
        """Take a message up again once the claim another batch holds on its event lapses: by
        then that batch has marked it applied, or stopped without (the event is taken over)."""
        await asyncio.sleep(seconds)
        await self._arrivals.put(message)

    async def _put_back(self, message: AbstractIncomingMessage) -> None:
        """Requeue after a pause that grows with the deliveries; the queue dead-letters the
        message once it reaches its delivery limit."""
        await asyncio.sleep(min(0.2 * 2 ** deliveries_of(message), 5.0))
        await settle(message.nack(requeue=True))
