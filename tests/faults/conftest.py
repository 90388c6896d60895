"""Fault tests: the whole suite as real processes (as tests/e2e runs it), driven into the
faults production brings. Marked `faults`; `make faults` runs them alone."""

import os
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from kit.testing import STAFF

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway, running_suite


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.path):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def suite() -> Iterator[Suite]:
    # one gateway process: on two busy cores a supervisor kills workers late to its pings
    os.environ.setdefault("GATEWAY_WORKERS", "1")
    # a dissolution's bulk step of a thousand transfers takes more than the default 10 s per
    # subgraph call on a busy machine (bench/dissolution gives it as much)
    os.environ.setdefault("GATEWAY_SUBGRAPH_TIMEOUT", "600")
    os.environ.setdefault("GATEWAY_REQUEST_TIMEOUT", "600")
    os.environ.setdefault("GATEWAY_INTERNAL_TOKEN_TTL_SECONDS", "900")
    with running_suite("faults") as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(suite: Suite) -> AsyncIterator[Gateway]:
    client = Gateway(suite.gateway_url, suite.authorization(STAFF))
    yield client
    await client.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Every fault's counts, a table per set of counts (a markdown table, for the notes)."""
    from tests.faults.world import FAULTS

    if not FAULTS:
        return
    terminalreporter.section("faults and their counts")
    tables: dict[tuple[str, ...], list[tuple[str, dict[str, int]]]] = {}
    for fault, counts in FAULTS:
        tables.setdefault(tuple(counts), []).append((fault, counts))
    for names, rows in tables.items():
        widths = [max(len(fault) for fault, _ in rows)]
        widths += [max(len(name), *(len(str(c[name])) for _, c in rows)) for name in names]
        for line in (("fault", *names), tuple("-" * w for w in widths)):
            terminalreporter.write_line(table_row(line, widths))
        for fault, counts in rows:
            terminalreporter.write_line(table_row((fault, *map(str, counts.values())), widths))
        terminalreporter.write_line("")


def table_row(cells: tuple[str, ...], widths: list[int]) -> str:
    first, *rest = cells
    figures = " | ".join(cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
    return f"| {first.ljust(widths[0])} | {figures} |"
