"""The public event stream: every partyorg event, as published on the topic exchange, also
kept in a RabbitMQ stream (`<exchange>.stream`) that a city system reads from the start, from
an offset or from a point in time, at its own pace, as often as it likes (examples/city_stream.py).

Where the services declare the exchanges (DECLARE_EXCHANGES=true, locally), each declares the
stream and its binding at connection, idempotently, with the retention of its settings; in
compose the broker's users job does (infra/rabbitmq/definitions.json). A stream declared
before with another retention keeps it: RabbitMQ refuses to redeclare a queue with other
arguments, and an operator changes a stream's retention by a policy.
"""

import logging
from typing import Any

import aio_pika
from aio_pika.abc import AbstractConnection

from kit.settings import ServiceSettings

log = logging.getLogger(__name__)

# every event type is public: the catalogue of services/*/asyncapi.yaml is what city systems
# read (names and ratings included, see the README's Public event stream)
PUBLIC_EVENTS = "partyorg.#"


def stream_arguments(settings: ServiceSettings) -> dict[str, Any]:
    return {
        "x-queue-type": "stream",
        "x-max-age": settings.public_stream_max_age,
        "x-max-length-bytes": settings.public_stream_max_length_bytes,
        "x-stream-max-segment-size-bytes": settings.public_stream_max_segment_size_bytes,
    }


async def declare_public_stream(connection: AbstractConnection, settings: ServiceSettings) -> None:
    """Declare the stream and bind it to the exchange, on a channel of its own: a refusal (a
    stream declared with another retention) closes that channel, not the publisher's."""
    channel = await connection.channel()
    try:
        stream = await channel.declare_queue(
            settings.public_stream, durable=True, arguments=stream_arguments(settings)
        )
        await stream.bind(settings.event_exchange, routing_key=PUBLIC_EVENTS)
    except aio_pika.exceptions.ChannelPreconditionFailed as refused:
        log.warning(
            "the public stream keeps the retention it was declared with",
            extra={"stream": settings.public_stream, "error": str(refused)},
        )
    finally:
        if not channel.is_closed:
            await channel.close()
