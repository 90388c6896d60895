"""The scan of the application logs for card numbers, citizen IDs and birth dates.

What is looked for: every card number, every citizen ID and every birth date — as
1961-07-19, 19/07/1961 and 19/7/1961 — of the members and candidates the run created, as the
tests kept them and as the members service's database holds them at the end. A value counts
where it stands on its own: a card number or citizen ID not inside a longer word, a date not
inside a longer number (so 1961-07-19T00:00 counts, 11961-07-19 does not).

When: `scan_after_the_run` registers, once per session, a plugin whose pytest_sessionfinish
scans the logs again after every test and every fixture is done (the suite's processes have
stopped, their logs are complete) and fails the session on a hit — whatever ran last."""

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pymongo import MongoClient

from infra.local.suite import Suite
from tests.e2e.security_gateway import RUN


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    value: str


def date_forms(born: date) -> set[str]:
    return {
        born.isoformat(),
        f"{born.day:02d}/{born.month:02d}/{born.year}",
        f"{born.day}/{born.month}/{born.year}",
    }


@dataclass(frozen=True)
class Searched:
    cards: frozenset[str]
    dates: frozenset[str]

    @classmethod
    def of(cls, cards: Iterable[str], births: Iterable[date]) -> "Searched":
        forms = {form for born in births for form in date_forms(born)}
        return cls(frozenset(c for c in cards if c.strip()), frozenset(forms))

    def __len__(self) -> int:
        return len(self.cards) + len(self.dates)

    def pattern(self) -> re.Pattern[str]:
        """One expression for every value, longest first: a card number not inside a longer
        word, a date not inside a longer number."""

        def one_of(values: frozenset[str]) -> str:
            ordered = sorted(values, key=len, reverse=True)
            return "|".join(re.escape(v) for v in ordered) or "(?!)"

        cards = rf"(?<![0-9A-Za-z])(?:{one_of(self.cards)})(?![0-9A-Za-z])"
        dates = rf"(?<!\d)(?:{one_of(self.dates)})(?!\d)"
        return re.compile(f"{cards}|{dates}")


def scan(files: Iterable[Path], searched: Searched) -> list[Hit]:
    assert searched.cards and searched.dates, "nothing to look for: the scan would pass anyway"
    expression = searched.pattern()
    hits = []
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as log:
            for number, line in enumerate(log, 1):
                hits += [Hit(path.name, number, m.group()) for m in expression.finditer(line)]
    return hits


def values_in_databases(suite: Suite) -> tuple[set[str], set[date]]:
    """Every card number and citizen ID (both keys, looked for alike) and birth date in the
    suite's members database."""
    client: MongoClient[dict[str, Any]] = MongoClient(
        os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/"), serverSelectionTimeoutMS=5000
    )
    try:
        database = client[f"{suite.database_prefix}members"]
        cards, births = set(), set()
        wanted = {"card_number": 1, "citizen_id": 1, "date_of_birth": 1}
        for document in database["members"].find({}, wanted):
            cards.add(str(document["card_number"]))
            if document.get("citizen_id"):
                cards.add(str(document["citizen_id"]))
            births.add(date.fromisoformat(document["date_of_birth"]))
        for document in database["candidates"].find({}, {"date_of_birth": 1}):
            births.add(date.fromisoformat(document["date_of_birth"]))
        return cards, births
    finally:
        client.close()


def application_logs(suite: Suite) -> list[Path]:
    """The log of every process of the suite, each there and written to."""
    files = list(suite.log_files.values())
    assert len(files) == 4, files  # the gateway and the three services
    for path in files:
        assert path.is_file() and path.stat().st_size > 0, f"no log at {path}"
    return files


def scan_the_run(suite: Suite) -> tuple[list[Hit], int, int]:
    """The hits in the suite's logs, and how many values and lines were looked through."""
    cards, births = values_in_databases(suite)
    missing = RUN.registered - cards
    assert not missing, f"{len(missing)} members the world registered are not in the database"
    searched = Searched.of(cards | RUN.cards, births | RUN.births)
    files = application_logs(suite)
    lines = sum(1 for path in files for _ in path.open(encoding="utf-8", errors="replace"))
    return scan(files, searched), len(searched), lines


class ScanAfterTheRun:
    def __init__(self, suite: Suite) -> None:
        self.suite = suite

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        try:
            hits, values, lines = scan_the_run(self.suite)
        except AssertionError as error:
            hits, failure = [], f"log scan after the run could not be made: {error}"
        else:
            failure = f"log scan after the run: {len(hits)} hits" if hits else ""
            summary = f"log scan after the run: {values} values, {lines} lines, {len(hits)} hits"
            if reporter is not None:
                reporter.write_line(summary)
        if failure:
            if reporter is not None:
                reporter.write_line(failure, red=True)
                for hit in hits[:20]:
                    reporter.write_line(f"  {hit.file}:{hit.line}: {hit.value}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def scan_after_the_run(config: pytest.Config, suite: Suite) -> None:
    name = "partyorg-security-log-scan"
    if not config.pluginmanager.has_plugin(name):
        config.pluginmanager.register(ScanAfterTheRun(suite), name)
