"""The one JSON log format of partyorg: the gateway and every service write it, one object a
line on stdout, so one query reads them all.

Each line holds `time` (UTC, ISO 8601 to the millisecond, `Z`), `level` (lower case),
`service` (the process's name: `gateway`, `members`, …), `logger`, `message`, `request_id`
when one is in force (the record's own, else the `request_id` context variable's),
`trace_id` and `span_id` when a span is in force (partyorg_logs.traces) or the record carries
them, then the record's other fields (`extra=`) and, after a failure, `exception`.

A library of its own because the gateway may import neither the kit nor a service, and the
services need not the gateway: both depend on this, and it imports neither (import-linter).
"""

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

from partyorg_logs.traces import ids_in_force

REQUEST_ID = "request_id"

request_id: ContextVar[str | None] = ContextVar(REQUEST_ID, default=None)

# the attributes every log record has; any other is a field the caller gave (`extra=`)
_RECORD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}
# libraries that log each call they make at INFO
_CHATTY = ("aiormq", "aio_pika", "pymongo", "httpx", "httpcore")


def utc_time(created: float) -> str:
    """A record's time as each line writes it: 2026-12-06T09:32:08.123Z."""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": utc_time(record.created),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if in_force := request_id.get():
            entry[REQUEST_ID] = in_force
        if traced := ids_in_force():
            entry["trace_id"], entry["span_id"] = traced
        entry.update((k, v) for k, v in record.__dict__.items() if k not in _RECORD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure_logging(service: str, level: str = "INFO") -> None:
    """Every record of the process as a JSON line on stdout, from `level` up; uvicorn's own
    records too, and the chatter of the database, broker and HTTP clients only from WARNING."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for chatty in _CHATTY:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
