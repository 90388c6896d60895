"""The public event stream: every partyorg event is published twice — whole on the services'
topic exchange (`<exchange>`, which only the services read), and without its personal data on
the public topic exchange (`<exchange>.public`), whose every event is kept in a RabbitMQ stream
(`<exchange>.stream`) that a city system reads from the start, from an offset or from a point in
time, at its own pace, as often as it likes (examples/city_stream.py). What is personal in an
event each service says of its own types (its events.py, PERSONAL_DATA), as its asyncapi.yaml
marks it (`x-personal`); city systems read those fields through the gateway, logged.

Where the services declare the exchanges (DECLARE_EXCHANGES=true, locally), each declares the
stream and its binding at connection, idempotently, with the retention of its settings; in
compose the broker's users job does (infra/rabbitmq/definitions.json). A stream declared
before with another retention keeps it: RabbitMQ refuses to redeclare a queue with other
arguments, and an operator changes a stream's retention by a policy.
"""

import copy
import logging
from collections.abc import Collection, Mapping
from typing import Any

import aio_pika
from aio_pika.abc import AbstractConnection

from kit.mongo import Document
from kit.settings import ServiceSettings

log = logging.getLogger(__name__)

# every event type is public, its personal data left out: the catalogue of
# services/*/asyncapi.yaml is what city systems read (see the README's Public event stream)
PUBLIC_EVENTS = "partyorg.#"

# of each event type, the fields of its data that are personal: a name, or a dotted path into
# the objects (and lists of objects) it holds, as "decision.signer"
PersonalData = Mapping[str, Collection[str]]


def public_view(event: Document, personal: PersonalData) -> Document:
    """The event as the public exchange carries it: its personal fields left out."""
    fields = personal.get(event["type"])
    if not fields:
        return event
    public = {**event, "data": copy.deepcopy(event["data"])}
    for field in fields:
        _leave_out(public["data"], field.split("."))
    return public


def _leave_out(value: Any, path: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _leave_out(item, path)
    elif isinstance(value, dict):
        if len(path) == 1:
            value.pop(path[0], None)
        elif path[0] in value:
            _leave_out(value[path[0]], path[1:])


def stream_arguments(settings: ServiceSettings) -> dict[str, Any]:
    return {
        "x-queue-type": "stream",
        "x-max-age": settings.public_stream_max_age,
        "x-max-length-bytes": settings.public_stream_max_length_bytes,
        "x-stream-max-segment-size-bytes": settings.public_stream_max_segment_size_bytes,
    }


async def declare_public_stream(connection: AbstractConnection, settings: ServiceSettings) -> None:
    """Declare the stream and bind it to the public exchange, each on a channel of its own: a
    refusal (a stream declared with another retention) closes that channel, not the
    publisher's. A stream of an earlier release, bound to the services' exchange (personal data
    included), is unbound from it."""
    channel = await connection.channel()
    try:
        await channel.declare_queue(
            settings.public_stream, durable=True, arguments=stream_arguments(settings)
        )
    except aio_pika.exceptions.ChannelPreconditionFailed as refused:
        log.warning(
            "the public stream keeps the retention it was declared with",
            extra={"stream": settings.public_stream, "error": str(refused)},
        )
    finally:
        if not channel.is_closed:
            await channel.close()
    channel = await connection.channel()
    try:
        stream = await channel.get_queue(settings.public_stream, ensure=False)
        await stream.bind(settings.public_exchange, routing_key=PUBLIC_EVENTS)
        await stream.unbind(settings.event_exchange, routing_key=PUBLIC_EVENTS)
    finally:
        await channel.close()
