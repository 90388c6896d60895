"""At the end of the e2e run (this file's name sorts last in tests/e2e, and pytest runs a
folder's files in name order): every personal-data read the security tests made has its
access-log entry and every refused one has none; no application log of the suite holds a card
number or a birth date of anyone the run created.

The log scan runs twice: here, while the suite still runs (its processes write their logs
unbuffered), and once more after the session — every test and fixture done, the processes
stopped — by the plugin `security_logscan.scan_after_the_run` registers, which fails the
session on a hit whatever order the tests ran in."""

from datetime import date
from pathlib import Path

import pytest

from infra.local.suite import Suite
from tests.e2e.security_access import (
    logged_anyway,
    services_shown,
    unlogged,
    unlogged_answers,
)
from tests.e2e.security_gateway import RUN, SecureGateway
from tests.e2e.security_logscan import (
    Hit,
    Searched,
    scan,
    scan_after_the_run,
    scan_the_run,
)


async def test_every_personal_data_read_of_the_run_left_its_entry(suite: Suite) -> None:
    assert len(RUN.reads) >= 100, f"only {len(RUN.reads)} reads kept: did the matrix run?"
    gateway = SecureGateway(suite)
    try:
        assert await unlogged(gateway, RUN.reads) == []
    finally:
        await gateway.close()


async def test_every_answer_that_showed_personal_data_left_an_entry_in_that_service(
    suite: Suite,
) -> None:
    """Wider than the test above: every answer of the run with a personal field's value in it
    — the world's building, the staff's read-backs, every cell — has an entry with its request
    id and its reader in the log of the service the field belongs to."""
    shown = [answer for answer in RUN.answered if services_shown(answer.data)]
    assert len(shown) >= 100, f"only {len(shown)} answers showed personal data"
    gateway = SecureGateway(suite)
    try:
        assert await unlogged_answers(gateway, shown) == []
    finally:
        await gateway.close()


async def test_no_refused_read_left_an_entry_of_the_data_it_did_not_show(suite: Suite) -> None:
    assert len(RUN.refused) >= 100, f"only {len(RUN.refused)} refused reads kept"
    gateway = SecureGateway(suite)
    try:
        assert await logged_anyway(gateway, RUN.refused) == []
    finally:
        await gateway.close()


def test_the_scan_finds_card_numbers_and_birth_dates_planted_in_a_log(tmp_path: Path) -> None:
    """The positive control: the scan that must find nothing below finds these."""
    log = tmp_path / "planted.log"
    log.write_text(
        '{"level": "info", "message": "request", "request_id": "ab12"}\n'
        '{"level": "error", "message": "card 7A0F3C-00042 already used"}\n'
        '{"level": "info", "message": "born 1961-07-19T00:00:00"}\n'
        '{"level": "info", "message": "ngày sinh 19/07/1961, also 19/7/1961"}\n'
        '{"level": "info", "message": "7A0F3C-000421 11961-07-19 119/07/1961 1961-07-190"}\n'
    )
    searched = Searched.of({"7A0F3C-00042"}, {date(1961, 7, 19)})
    assert scan([log], searched) == [
        Hit("planted.log", 2, "7A0F3C-00042"),
        Hit("planted.log", 3, "1961-07-19"),
        Hit("planted.log", 4, "19/07/1961"),
        Hit("planted.log", 4, "19/7/1961"),
    ]


def test_no_card_number_or_birth_date_in_any_application_log(
    suite: Suite, request: pytest.FixtureRequest
) -> None:
    scan_after_the_run(request.config, suite)  # and again once everything has stopped
    assert len(RUN.registered) >= 20 and len(RUN.births) >= 20, "the run created too few people"
    hits, values, lines = scan_the_run(suite)
    print(f"log scan: {values} values in {lines} lines of {len(suite.log_files)} logs")
    assert hits == [], f"{len(hits)} card numbers or birth dates in the logs: {hits[:20]}"
