"""The Prometheus figures every service exposes at /metrics, in one place: requests by route
template, and the event pipeline — outbox backlog and the age of its oldest event, events
published and applied, handlers failing, the consumer ready or not, dead letters waiting.

Counters move where their cause happens (kit.outbox, kit.consumer); gauges are read from the
relay, the consumer and the broker when /metrics is scraped (`PipelineGauges.refresh`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram

log = logging.getLogger(__name__)

# from 100 µs: a cached read answers in well under a millisecond
LATENCY_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip
UNMATCHED = "unmatched"  # any path no route serves: a scanner adds no series

REQUESTS = Counter(
    "partyorg_http_requests_total", "HTTP requests answered", ["service", "route", "status"]
)
LATENCY = Histogram(
    "partyorg_http_request_seconds",
    "Time to answer an HTTP request",
    ["service", "route"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_PUBLISHED = Counter(
    "partyorg_events_published_total",
    "Events the outbox relay published, confirmed by the broker",
    ["service"],
)
EVENTS_APPLIED = Counter(
    "partyorg_events_applied_total",
    "Events the consumer applied, by type",
    ["service", "type"],
)
HANDLER_FAILURES = Counter(
    "partyorg_event_handler_failures_total",
    "Deliveries of an event whose handler failed (the event is put back, then dead-lettered)",
    ["service", "type"],
)
OUTBOX_PENDING = Gauge(
    "partyorg_outbox_pending_events",
    "Events written but not yet published, as this process's relay knows them",
    ["service"],
)
OUTBOX_OLDEST = Gauge(
    "partyorg_outbox_oldest_pending_seconds",
    "Age of the oldest event waiting in the outbox (0 when none waits)",
    ["service"],
)
CONSUMER_READY = Gauge(
    "partyorg_consumer_ready",
    "1 while the event consumer is connected and consuming, else 0",
    ["service"],
)
DEAD_LETTERS = Gauge(
    "partyorg_dead_letter_messages",
    "Messages in the service's dead-letter queue",
    ["service", "queue"],
)


class PipelineGauges:
    """Reads the gauges of one service's event pipeline from what holds them."""

    def __init__(
        self,
        service: str,
        backlog: Callable[[], tuple[int, datetime | None]],
        consumer_ready: Callable[[], bool],
        dead_letters: Callable[[], Awaitable[tuple[str, int] | None]],
        broker_timeout: float = 2.0,
    ) -> None:
        self.pending = OUTBOX_PENDING.labels(service)
        self.oldest = OUTBOX_OLDEST.labels(service)
        self.ready = CONSUMER_READY.labels(service)
        self.service = service
        self.backlog = backlog
        self.consumer_ready = consumer_ready
        self.dead_letters = dead_letters
        self.broker_timeout = broker_timeout

    async def refresh(self) -> None:
        count, oldest = self.backlog()
        self.pending.set(count)
        age = 0.0 if oldest is None else (datetime.now(UTC) - oldest).total_seconds()
        self.oldest.set(max(age, 0.0))
        self.ready.set(1 if self.consumer_ready() else 0)
        try:
            depth = await asyncio.wait_for(self.dead_letters(), self.broker_timeout)
        except Exception as error:  # the last depth read stays; the consumer gauge tells why
            log.debug("dead letters not counted", extra={"error": repr(error)})
            return
        if depth is not None:
            DEAD_LETTERS.labels(self.service, depth[0]).set(depth[1])
