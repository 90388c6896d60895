"""Delivered messages as the consumer takes them: each event once, a batch applied and not yet
marked, a message's deliveries so far and request id, the ack or nack that may find its channel
gone, the line logged once its event is applied."""

import logging
from collections.abc import Awaitable, Collection
from dataclasses import dataclass

from aio_pika.abc import AbstractIncomingMessage

from kit.context import REQUEST_ID_HEADER, request_id
from kit.events import Event, from_wire
from kit.inbox import Claim
from kit.tracing import trace_id_of

log = logging.getLogger("kit.consumer")

Delivery = tuple[AbstractIncomingMessage, Event]


@dataclass(frozen=True)
class Applied:
    """A batch applied, not yet marked in the inbox nor acknowledged."""

    claim: Claim
    fresh: dict[str, Delivery]
    copies: dict[str, list[AbstractIncomingMessage]]
    failed: set[str]


async def distinct_deliveries(
    messages: list[AbstractIncomingMessage], subscribed: Collection[str]
) -> tuple[dict[str, Delivery], dict[str, list[AbstractIncomingMessage]]]:
    """The batch's events of the subscribed types, each once by id, and the other messages
    that carry one of them again; a malformed message is dead-lettered, one of another type
    acknowledged."""
    fresh: dict[str, Delivery] = {}
    copies: dict[str, list[AbstractIncomingMessage]] = {}
    for message in messages:
        try:
            event = from_wire(message.body)
        except ValueError as error:
            log.error("malformed event dead-lettered", extra={"error": str(error)})
            await settle(message.reject(requeue=False))
            continue
        if event.type not in subscribed:
            await settle(message.ack())
        elif event.id in fresh:
            copies.setdefault(event.id, []).append(message)
        else:
            fresh[event.id] = (message, event)
    return fresh, copies


def deliveries_of(message: AbstractIncomingMessage) -> int:
    return int(str(message.headers.get("x-delivery-count") or 0)) + 1


async def settle(outcome: Awaitable[None]) -> None:
    """Ack, nack or reject; on a channel lost meanwhile the broker redelivers the message."""
    try:
        await outcome
    except Exception as error:
        log.warning("message not settled; it will be redelivered", extra={"error": str(error)})


def request_id_of(message: AbstractIncomingMessage, event: Event) -> str | None:
    header = message.headers.get(REQUEST_ID_HEADER)
    return event.request_id or (str(header) if header else None)


def log_applied(message: AbstractIncomingMessage, event: Event) -> None:
    """The line that says the event was applied, with its request's id and trace (logged
    after its batch is marked, when its handling span has ended)."""
    token = request_id.set(request_id_of(message, event))
    try:
        fields = {"event_id": event.id, "event_type": event.type}
        if trace_id := trace_id_of(event):
            fields["trace_id"] = trace_id
        log.info("event applied", extra=fields)
    finally:
        request_id.reset(token)
