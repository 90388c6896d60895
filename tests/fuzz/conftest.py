"""Fuzz tests: the whole suite as real processes (as tests/e2e runs it), sent operations made
from the schema the gateway serves, as each role, and traffic no client should send. Marked
`fuzz`, not in `make test`; FUZZ_OPERATIONS is how many requests in all (a few hundred by
default, `make fuzz` sends the full count). The table of what was sent and how it was answered
ends the run."""

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from kit.identity import Grant, Principal, Role

from infra.demo import members, organisations
from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.local.suite import Suite
from tests.e2e.conftest import running_suite
from tests.fuzz.traffic import TALLY

OPERATIONS = int(os.environ.get("FUZZ_OPERATIONS", "400"))
WARD = "GV"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/fuzz/" in str(item.path):
            item.add_marker(pytest.mark.fuzz)
            item.add_marker(pytest.mark.timeout(300 + OPERATIONS))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.sent:
        terminalreporter.write_line(f"fuzz: {sum(TALLY.sent.values())} requests")
        for line in TALLY.table():
            terminalreporter.write_line(line)
        for kind, request, fault in TALLY.faults[:20]:
            terminalreporter.write_line(f"  {kind}: {fault}\n    sent: {request}", red=True)


@pytest.fixture(scope="session")
def suite() -> Iterator[Suite]:
    with running_suite("fuzz") as running:
        yield running


@dataclass(frozen=True)
class World:
    """The demo's Ba Đình tree, Giảng Võ's agency cell staffed, and one caller per role."""

    callers: dict[str, Principal]
    ids: dict[str, str]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def world(suite: Suite) -> AsyncIterator[World]:
    gateway = DemoGateway(suite.gateway_url, suite.authorization(DEMO_LOADER))
    try:
        ids = await organisations.load_hierarchy(gateway)
        ward, cell = f"HN-BD-{WARD}", f"HN-BD-{WARD}-CQ"
        people = list(members.agency_members(WARD, list(organisations.WARDS).index(WARD) + 1))
        await members.register_missing(gateway, people, ids[cell], set())
        found = await gateway.execute(
            "query ($card: String!) { memberByCard(cardNumber: $card) { id } }",
            {"card": people[0]["cardNumber"]},
        )
        member_id = found["memberByCard"]["id"]
    finally:
        await gateway.close()
    scoped = {
        Role.CITY_COMMITTEE: None,
        Role.DISTRICT_STANDING: ids["HN-BD"],
        Role.WARD_COMMITTEE: ids[ward],
        Role.CELL_SECRETARY: ids[cell],
        Role.WORKPLACE_ASSESSOR: ids[ward],
        Role.INTEGRATION: None,
        Role.AUDITOR: None,
    }
    callers = {
        role.value: Principal(f"fuzz-{role.value.lower()}", f"fuzz {role}", (Grant(role, org),))
        for role, org in scoped.items()
    }
    callers[Role.MEMBER.value] = Principal(
        "fuzz-member", "fuzz member", (Grant(Role.MEMBER),), member_id
    )
    yield World(callers, ids)
