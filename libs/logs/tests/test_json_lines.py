"""One JSON object a line on stdout, the same fields for the gateway and every service."""

import json
import logging
import re
import sys
from collections.abc import Iterator

import pytest
from partyorg_logs import JsonFormatter, configure_logging, request_id, utc_time

UTC_MILLISECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def record(message: str, **extra: object) -> logging.LogRecord:
    made = logging.makeLogRecord({"name": "members.handlers", "levelname": "WARNING"})
    made.msg = message
    made.__dict__.update(extra)
    return made


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_line_names_the_time_in_utc_the_level_the_service_the_logger_and_the_message() -> None:
    token = request_id.set(None)  # no request in force (tests run before may leave one)
    try:
        line = json.loads(JsonFormatter("members").format(record("event applied")))
    finally:
        request_id.reset(token)

    assert UTC_MILLISECONDS.match(line["time"]), line["time"]
    assert (line["level"], line["service"], line["logger"], line["message"]) == (
        "warning",
        "members",
        "members.handlers",
        "event applied",
    )
    assert "request_id" not in line


def test_the_time_is_utc_whatever_the_machine_s_zone() -> None:
    assert utc_time(0.25) == "1970-01-01T00:00:00.250Z"


def test_the_request_id_in_force_is_on_the_line_unless_the_record_names_its_own() -> None:
    token = request_id.set("req-in-force")
    try:
        plain = json.loads(JsonFormatter("gateway").format(record("request")))
        own = json.loads(JsonFormatter("gateway").format(record("request", request_id="req-own")))
    finally:
        request_id.reset(token)

    assert plain["request_id"] == "req-in-force"
    assert own["request_id"] == "req-own"


def test_the_records_own_fields_and_its_failure_are_kept() -> None:
    try:
        raise ValueError("no such cell")
    except ValueError:
        failed = record("import failed", trace_id="4bf92f35", rows=3)
        failed.exc_info = sys.exc_info()

    line = json.loads(JsonFormatter("organisations").format(failed))

    assert (line["trace_id"], line["rows"]) == ("4bf92f35", 3)
    assert "ValueError: no such cell" in line["exception"]


def test_configured_the_process_writes_its_lines_to_stdout(
    root_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("gateway", "INFO")
    logging.getLogger("gateway.fetch").info("fetch", extra={"subgraph": "members"})
    logging.getLogger("pymongo.command").info("chatter")

    written = capsys.readouterr()
    [line] = [json.loads(text) for text in written.out.splitlines()]
    assert (line["service"], line["message"], line["subgraph"]) == ("gateway", "fetch", "members")
    assert written.err == ""
