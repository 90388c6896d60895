"""Every test session records the queries the services send and, at its end, fails on any
that no declared index covers (kit.index_coverage); and it checks every event published against
its asyncapi.yaml, failing on any that does not match (kit.event_contracts).

The services' Mongo clients (kit.mongo.connect) append each distinct query's shape to the file
PARTYORG_QUERY_LOG names: set here before any service starts, inherited by the e2e suite's
processes. A session that started no service records nothing and checks nothing. Set the
variable yourself to keep the file; `PARTYORG_QUERY_LOG=` (empty) turns the recording off.

A test that takes `spans` runs with tracing on, the spans it makes kept in memory."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from kit.event_contracts import EVENT_CHECK, EVENT_CONTRACTS, read_check
from kit.index_coverage import read_log, uncovered_queries
from kit.query_log import QUERY_LOG
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from partyorg_logs import traces

from tests.e2e.left_databases import drop_left_databases

ROOT = Path(__file__).resolve().parent
_SPANS = InMemorySpanExporter()


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """Tracing on for the test (partyorg_logs.traces), its spans kept in memory. The process's
    provider is set once; after the test, tracing is off again and the provider unused."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_SPANS))
        trace.set_tracer_provider(provider)
    monkeypatch.setattr(traces, "_on", True)
    _SPANS.clear()
    yield _SPANS
    _SPANS.clear()


def pytest_configure(config: pytest.Config) -> None:
    if QUERY_LOG not in os.environ:
        folder = tempfile.mkdtemp(prefix="partyorg-queries-")
        os.environ[QUERY_LOG] = str(Path(folder) / "queries.jsonl")
    if EVENT_CHECK not in os.environ:
        folder = tempfile.mkdtemp(prefix="partyorg-events-")
        os.environ[EVENT_CHECK] = str(Path(folder) / "events.jsonl")
    documents = sorted(ROOT.glob("services/*/asyncapi.yaml"))
    os.environ.setdefault(EVENT_CONTRACTS, os.pathsep.join(map(str, documents)))


@pytest.hookimpl(trylast=True)  # after the plugins' checks that read the suites' databases
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    check_event_contracts(session)
    check_index_coverage(session)
    drop_left_databases()


def check_event_contracts(session: pytest.Session) -> None:
    path = os.environ.get(EVENT_CHECK)
    if not path:
        return
    checked, violations = read_check(Path(path))
    if not checked and not violations:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"event contracts: events of {len(checked)} types checked against their "
            f"asyncapi.yaml ({path}), {len(violations)} violations"
        )
        for violation in violations[:50]:
            reporter.write_line(f"  {violation}", red=True)
    if violations:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def check_index_coverage(session: pytest.Session) -> None:
    path = os.environ.get(QUERY_LOG)
    records = read_log(Path(path)) if path else []
    queries = [record for record in records if "indexes" not in record]
    if not queries:
        return
    findings = uncovered_queries(records)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        services = sorted({record["service"] for record in queries})
        reporter.write_line(
            f"index coverage: {len(queries)} query shapes of {', '.join(services)} "
            f"checked ({path}), {len(findings)} not covered by a declared index"
        )
        for finding in findings:
            reporter.write_line(f"  {finding}", red=True)
    if findings:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
