"""CloudEvents 1.0 envelopes: how an event is made, stored in an outbox and put on the wire."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from kit.context import current_request_id
from kit.tracing import trace_context

CONTENT_TYPE = "application/cloudevents+json"
_FORMAT = JSONFormat()


@dataclass(frozen=True)
class Event:
    """An event as a consumer sees it."""

    id: str
    type: str
    source: str
    time: datetime
    subject: str | None
    data: dict[str, Any]
    request_id: str | None = None
    # the trace of the request that wrote it (CloudEvents distributed-tracing extension)
    traceparent: str | None = None
    tracestate: str | None = None


def new_event(
    type: str,
    source: str,
    data: dict[str, Any],
    *,
    subject: str | None = None,
    id: str | None = None,
    time: datetime | None = None,
) -> dict[str, Any]:
    """An event as it is stored in an aggregate's outbox: plain JSON-ready attributes.

    `data` must hold only JSON values (dates as ISO strings), so that the stored and the
    published forms are the same.
    """
    event: dict[str, Any] = {
        "specversion": "1.0",
        "id": id or uuid.uuid4().hex,
        "type": type,
        "source": source,
        "time": (time or datetime.now(UTC)).isoformat(),
        "datacontenttype": "application/json",
        "requestid": current_request_id(),
        **trace_context(),
        "data": data,
    }
    if subject is not None:
        event["subject"] = subject
    return event


def to_wire(stored: dict[str, Any]) -> bytes:
    """The structured-mode JSON of a stored event, validated against CloudEvents 1.0."""
    attributes = {k: v for k, v in stored.items() if k != "data" and v is not None}
    attributes["time"] = datetime.fromisoformat(attributes["time"])
    return _FORMAT.write(CloudEvent(attributes, stored.get("data")))


def from_wire(body: bytes) -> Event:
    """Parse a structured-mode CloudEvent; raises ValueError on anything malformed."""
    try:
        event = _FORMAT.read(CloudEvent, body)
    except (BaseCloudEventException, ValueError, TypeError, KeyError) as error:
        raise ValueError(f"not a CloudEvent: {error}") from error
    data = event.get_data()
    if not isinstance(data, dict):
        raise ValueError(f"event {event.get_id()} carries no JSON object as data")
    request_id = event.get_extension("requestid")
    time = event.get_time() or datetime.now(UTC)
    return Event(
        id=event.get_id(),
        type=event.get_type(),
        source=event.get_source(),
        time=time,
        subject=event.get_subject(),
        data=data,
        request_id=str(request_id) if request_id else None,
        traceparent=_text(event.get_extension("traceparent")),
        tracestate=_text(event.get_extension("tracestate")),
    )


def _text(attribute: Any) -> str | None:
    return str(attribute) if attribute else None
