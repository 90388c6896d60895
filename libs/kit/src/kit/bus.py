"""RabbitMQ: one durable topic exchange the services read, the event type as routing key,
publisher confirms (pipelined: many publishes in flight on the channel, their confirms awaited
together). Each event goes to the public exchange too, its personal data left out; where the
bus declares the exchanges, it declares the public event stream bound to the public one
(kit.public_stream). Under test, each event is checked against its contract as it is published,
in both forms (kit.event_contracts)."""

import asyncio
import contextlib
import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import aio_pika
import aiormq
from aio_pika.abc import AbstractRobustChannel, AbstractRobustConnection, AbstractRobustExchange

from kit.confirmed_publishing import Outgoing, publish_confirmed
from kit.context import REQUEST_ID_HEADER
from kit.events import CONTENT_TYPE, to_wire
from kit.mongo import Document
from kit.public_stream import PersonalData, declare_public_stream, public_view
from kit.settings import ServiceSettings
from kit.tracing import publishing

if TYPE_CHECKING:
    from kit.event_contracts import EventCheck

log = logging.getLogger(__name__)


# a message as it goes out: its body and its properties
Message = tuple[bytes, aiormq.spec.Basic.Properties]
PERSISTENT = int(aio_pika.DeliveryMode.PERSISTENT)


class BusUnavailable(RuntimeError):
    """RabbitMQ cannot be reached now; the caller keeps the event and tries later."""


UNAVAILABLE = (OSError, TimeoutError, aio_pika.exceptions.AMQPError, RuntimeError)


class EventBus:
    """A robust connection that comes back by itself after RabbitMQ returns."""

    def __init__(
        self,
        settings: ServiceSettings,
        publish_timeout: float = 5.0,
        personal: PersonalData | None = None,
    ) -> None:
        self.settings = settings
        self.publish_timeout = publish_timeout
        # of the service's event types, the data the public exchange does not carry
        self.personal = personal or {}
        self.connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self.connected = asyncio.Event()
        self.contract_check = event_check(settings.service_name)

    async def connect(self, retry_seconds: float = 1.0) -> None:
        """Connect, retrying until RabbitMQ answers; call it as a background task."""
        while self.connection is None:
            try:
                self.connection = await aio_pika.connect_robust(
                    self.settings.amqp_url,
                    client_properties={"connection_name": self.settings.service_name},
                )
            except (OSError, aio_pika.exceptions.AMQPError) as error:
                log.warning("rabbitmq unreachable, retrying", extra={"error": str(error)})
                await asyncio.sleep(retry_seconds)
        self._channel = await self.connection.channel(publisher_confirms=True)
        await self.declare_exchange(self._channel)
        await self._exchange_named(
            self._channel, self.settings.public_exchange, aio_pika.ExchangeType.TOPIC
        )
        if self.settings.declare_exchanges:
            await declare_public_stream(self.connection, self.settings)
        self.connected.set()

    async def declare_exchange(self, channel: AbstractRobustChannel) -> AbstractRobustExchange:
        return await self._exchange_named(
            channel, self.settings.event_exchange, aio_pika.ExchangeType.TOPIC
        )

    async def declare_dead_letter_exchange(
        self, channel: AbstractRobustChannel
    ) -> AbstractRobustExchange:
        return await self._exchange_named(
            channel, f"{self.settings.event_exchange}.dead-letter", aio_pika.ExchangeType.DIRECT
        )

    async def _exchange_named(
        self, channel: AbstractRobustChannel, name: str, kind: aio_pika.ExchangeType
    ) -> AbstractRobustExchange:
        # a passive declaration needs no configure permission: it fails if the exchange is absent
        passive = not self.settings.declare_exchanges
        return await channel.declare_exchange(name, kind, durable=True, passive=passive)

    @property
    def is_open(self) -> bool:
        return self.connection is not None and not self.connection.is_closed

    async def publish(self, event: Document) -> None:
        """Publish one stored event, whole to the services and without its personal data to
        the public, and wait for the broker's confirms of both."""
        [outcome] = await self.publish_many([event])
        if outcome is not None:
            raise outcome

    async def publish_many(self, events: Sequence[Document]) -> list[BaseException | None]:
        """Publish the events at once and await their confirms together: for each, None once
        the broker confirmed both its messages, or the error (BusUnavailable when RabbitMQ
        cannot be reached). They leave in the given order (the channel takes publishes first
        come, first served), but a failed one may be followed by confirmed ones.

        All their messages go to the channel in one write (kit.confirmed_publishing)."""
        if self._channel is None or not self.is_open:
            failure = BusUnavailable("not connected to RabbitMQ")
            return [failure for _ in events]
        try:
            channel = await self._channel.get_underlay_channel()
        except UNAVAILABLE as error:
            return [BusUnavailable(str(error)) for _ in events]
        assert isinstance(channel, aiormq.Channel)  # one write of many is aiormq's own
        outcomes: list[BaseException | None] = []
        messages: list[Outgoing] = []
        for event in events:
            try:
                messages.extend(self._messages(event))
                outcomes.append(None)
            except Exception as refused:  # not made (under test: not as its contract says)
                outcomes.append(refused)
        with contextlib.ExitStack() as spans:  # each event's in the trace that wrote it
            for event in events:
                spans.enter_context(publishing(event, self.settings.event_exchange))
            try:
                confirms = iter(await publish_confirmed(channel, messages, self.publish_timeout))
            except UNAVAILABLE as error:
                return [outcome or BusUnavailable(str(error)) for outcome in outcomes]
        return [outcome or _failure(next(confirms), next(confirms)) for outcome in outcomes]

    def _messages(self, event: Document) -> tuple[Outgoing, Outgoing]:
        """The event whole to the services, without its personal data to the public (as it is
        when it has nothing personal: encoded and checked once)."""
        view = public_view(event, self.personal)
        whole = self._message(event)
        public = whole if view is event else self._message(view)
        return (
            Outgoing(self.settings.event_exchange, event["type"], *whole),
            Outgoing(self.settings.public_exchange, event["type"], *public),
        )

    def _message(self, event: Document) -> Message:
        body = to_wire(event)
        if self.contract_check is not None:
            self.contract_check.check(body)
        return body, aiormq.spec.Basic.Properties(
            content_type=CONTENT_TYPE,
            message_id=event["id"],
            message_type=event["type"],
            delivery_mode=PERSISTENT,
            headers={REQUEST_ID_HEADER: event.get("requestid") or ""},
            app_id=self.settings.service_name,
        )

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()


def _failure(*outcomes: BaseException | None) -> BaseException | None:
    """An event's failure: the first of its messages', as BusUnavailable where RabbitMQ could
    not be reached."""
    for outcome in outcomes:
        if isinstance(outcome, UNAVAILABLE):
            return BusUnavailable(str(outcome))
        if outcome is not None:
            return outcome
    return None


def event_check(service: str) -> "EventCheck | None":
    """The check of every event against its asyncapi.yaml, when the test session asks for it
    (kit.event_contracts: test support, its libraries are development dependencies)."""
    if not os.environ.get("PARTYORG_EVENT_CHECK"):  # kit.event_contracts.EVENT_CHECK
        return None
    from kit.event_contracts import EventCheck

    return EventCheck.from_environment(service)
