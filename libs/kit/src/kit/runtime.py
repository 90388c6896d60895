"""The connections a service holds for its whole life, started and stopped by its lifespan."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from kit.access_log import AccessLog
from kit.bus import EventBus
from kit.consumer import EventConsumer, Subscriptions
from kit.inbox import Inbox
from kit.leases import Lease, this_process
from kit.metrics import PipelineGauges
from kit.mongo import Document, SerialisedDatabase, connect, database, is_reachable
from kit.outbox import OutboxRelay
from kit.public_stream import PersonalData
from kit.settings import ServiceSettings
from kit.tracing import start as start_tracing

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, settings: ServiceSettings, personal: PersonalData | None = None) -> None:
        """`personal`: of the service's event types, the data the public exchange does not
        carry (kit.public_stream)."""
        self.settings = settings
        start_tracing(settings.service_name)  # when OTEL_* asks for it; before the client
        self.mongo = connect(settings)
        self.db: AsyncDatabase[Document] = database(self.mongo, settings)
        # append-only and insert-only: needs no serialised writes
        self.access_log = AccessLog(self.mongo[settings.database_name], settings.service_name)
        self.bus = EventBus(settings, personal=personal)
        self.relay = OutboxRelay(
            self.bus,
            [],
            settings.outbox_poll_seconds,
            batch_size=settings.outbox_batch_size,
            full_scan_seconds=settings.outbox_full_scan_seconds,
        )
        self.consumer = EventConsumer(
            self.bus,
            Inbox(self.db["inbox"], lease=settings.inbox_claim_seconds),
            {},
            max_deliveries=settings.max_deliveries,
            prefetch=settings.consumer_prefetch,
        )
        self.gauges = PipelineGauges(
            settings.service_name,
            backlog=self.relay.backlog,
            consumer_ready=lambda: self.consumer.ready.is_set() and self.bus.is_open,
            dead_letters=self.consumer.dead_letters,
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._periodic: list[tuple[str, float, Callable[[], Awaitable[object]]]] = []
        self.holder = this_process()
        self._leases: list[Lease] = []

    def relay_events_of(self, *collections: AsyncCollection[Document]) -> None:
        self.relay.collections.extend(collections)

    def subscribe(self, subscriptions: Subscriptions) -> None:
        self.consumer.subscriptions.update(subscriptions)

    def every(
        self,
        seconds: float,
        work: Callable[[], Awaitable[object]],
        name: str,
        leased_for: float | None = None,
    ) -> None:
        """Run `work` from start-up on, then every `seconds`, for the service's whole life; a
        failure is logged and the next tick tries again. `leased_for`: in one replica at a
        time — a tick runs the work only while this process holds the lease named `name`,
        which each tick renews for `leased_for` seconds, and which another replica takes once
        it lapses (the holder stopped)."""
        if leased_for is not None:
            lease = Lease(self.db["leases"], name, leased_for, self.holder)
            self._leases.append(lease)
            self._periodic.append((name, seconds, _when_held(lease, work)))
        else:
            self._periodic.append((name, seconds, work))

    async def start(self) -> None:
        following: list[asyncio.Task[None]] = []
        if isinstance(self.db, SerialisedDatabase):  # the relay in place now is told of writes
            self.db.write_listeners.append(self.relay.note_write)
            following.append(asyncio.create_task(self.db.follow_the_store(), name="store-kind"))
        self._tasks = [
            *following,
            asyncio.create_task(self.bus.connect(), name="bus-connect"),
            asyncio.create_task(self.relay.run(), name="outbox-relay"),
            asyncio.create_task(self.consumer.start(), name="event-consumer"),
            *(
                asyncio.create_task(_repeat(name, seconds, work), name=name)
                for name, seconds, work in self._periodic
            ),
        ]

    async def stop(self) -> None:
        """Stop the tasks, give the leases up, then close the connections: each step waited
        for `stop_seconds` at most, and what did not stop in time named in the log (a stop
        that waits for ever keeps its leases from the other replicas)."""
        seconds = self.settings.stop_seconds
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            stopped, running = await asyncio.wait(self._tasks, timeout=seconds)
            for task in stopped:  # what a task raised was logged where it was raised
                if not task.cancelled():
                    task.exception()
            for task in running:
                log.error("a task did not stop in time", extra={"task": task.get_name()})
        for lease in self._leases:
            await _within(seconds, lease.give_up(), f"giving up the lease {lease.name}")
        await _within(seconds, self.consumer.stop(), "stopping the consumer")
        await _within(seconds, self.bus.close(), "closing the RabbitMQ connection")
        await _within(seconds, self.mongo.close(), "closing the MongoDB client")

    async def readiness(self) -> dict[str, bool]:
        return {
            "mongodb": await is_reachable(self.mongo),
            "rabbitmq": self.bus.is_open,
            "consumer": self.consumer.ready.is_set(),
        }


async def _within(seconds: float, step: Awaitable[None], what: str) -> None:
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        log.error("a step of stopping did not end in time", extra={"step": what})
    except Exception:  # the next steps still run; a lease not given up lapses
        log.warning("a step of stopping failed", extra={"step": what}, exc_info=True)


def _when_held(
    lease: Lease, work: Callable[[], Awaitable[object]]
) -> Callable[[], Awaitable[None]]:
    async def leased() -> None:
        if await lease.hold():
            await work()

    return leased


async def _repeat(name: str, seconds: float, work: Callable[[], Awaitable[object]]) -> None:
    while True:
        try:
            await work()
        except Exception:
            log.exception("periodic work failed; retrying at the next tick", extra={"task": name})
        await asyncio.sleep(seconds)
