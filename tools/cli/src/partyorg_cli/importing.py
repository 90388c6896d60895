"""One import of a spreadsheet: rows checked, sent in chunks with a progress bar, resumed after
an interruption, and the rows refused written to `<input>.rejected.csv` beside the input."""

import csv
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from partyorg_cli import sheets
from partyorg_cli.columns import (
    Invalid,
    Kind,
    Problem,
    header_index,
    in_sending_order,
    key_of,
    kind_of,
    read_row,
)
from partyorg_cli.gateway import Gateway

CHUNK = 1_000
MAX_ROWS = 5_000
CALLS = 3  # chunks sent at once: the services wait on their store more than they work
LOCAL = "BAD_USER_INPUT"


def rejected_report(path: Path) -> Path:
    return path.with_name(f"{path.name}.rejected.csv")


def state_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.import-state.json")


@dataclass
class Progressed:
    """What the chunks sent so far came to; kept beside the input, so that a run interrupted
    and started again sends only the chunks not finished (a chunk cut mid-way is sent again:
    its rows written already come back UNCHANGED)."""

    fingerprint: str
    kind: str
    chunk_size: int
    done: set[int] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, at: Path, fingerprint: str, kind: Kind, chunk_size: int) -> "Progressed":
        fresh = cls(fingerprint, kind.value, chunk_size)
        try:
            kept = json.loads(at.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return fresh
        if (kept.get("fingerprint"), kept.get("kind"), kept.get("chunk_size")) != (
            fingerprint,
            kind.value,
            chunk_size,
        ):
            return fresh  # another file, or sent in other chunks: start over (idempotent)
        return cls(
            fingerprint,
            kind.value,
            chunk_size,
            set(kept["done"]),
            Counter(kept["counts"]),
            list(kept["rejected"]),
        )

    def record(self, chunk: int, report: dict[str, Any]) -> None:
        self.done.add(chunk)
        for outcome in ("created", "updated", "unchanged", "rejected"):
            self.counts[outcome] += int(report[outcome])
        self.rejected += [
            {"row": r["row"], "field": r["field"], "code": r["code"], "reason": r["message"]}
            for r in report["rows"]
            if r["outcome"] == "REJECTED"
        ]

    def save(self, at: Path) -> None:
        kept = {
            "fingerprint": self.fingerprint,
            "kind": self.kind,
            "chunk_size": self.chunk_size,
            "done": sorted(self.done),
            "counts": dict(self.counts),
            "rejected": self.rejected,
        }
        temporary = at.with_name(at.name + ".tmp")
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, at)


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    counts: Counter[str]
    refused_here: int
    report: Path | None

    @property
    def rejected(self) -> int:
        return self.counts["rejected"] + self.refused_here


class RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "… rows/s", style="progress.data.speed")


def checked_rows(path: Path, kind: Kind | None) -> tuple[Kind, list[dict[str, Any]], list[Problem]]:
    """The rows of the file ready to send, and the problems of those that are not."""
    sheet = sheets.read(path)
    kind = kind or kind_of(sheet.headers)
    if kind is None:
        raise Invalid(f"{path.name}: the headers do not tell what is listed: give --kind")
    index = header_index(kind, sheet.headers)
    rows, problems, first_of = [], [], dict[str, int]()
    for number, cells in sheet.rows:
        values, found = read_row(kind, index, number, cells)
        if values is None:
            problems += found
            continue
        key = key_of(kind, values)
        if key in first_of:
            problems.append(Problem(number, "row", f"the same as row {first_of[key]}"))
            continue
        first_of[key] = number
        rows.append(values)
    return kind, in_sending_order(kind, rows), problems


def run(
    path: Path,
    gateway: Gateway,
    *,
    kind: Kind | None = None,
    dry_run: bool = False,
    chunk_size: int = CHUNK,
    calls: int = CALLS,
    console: Console | None = None,
) -> Outcome:
    console = console or Console(stderr=True)
    kind, rows, problems = checked_rows(path, kind)
    if dry_run and kind is Kind.ORGANISATIONS:
        chunk_size = MAX_ROWS  # nothing is written: a chunk's parents must be in the same call
    chunks = [rows[at : at + chunk_size] for at in range(0, len(rows), chunk_size)]
    saved = state_file(path)
    progressed = (
        Progressed(sheets.fingerprint(path), kind.value, chunk_size)
        if dry_run
        else Progressed.load(saved, sheets.fingerprint(path), kind, chunk_size)
    )
    if progressed.done:
        console.print(f"resuming: {len(progressed.done)} of {len(chunks)} chunks sent before")
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RowsPerSecond(),
        TimeElapsedColumn(),
        TextColumn("elapsed,"),
        TimeRemainingColumn(),
        TextColumn("left"),
    )
    with Progress(*columns, console=console) as progress:
        sent_before = sum(len(chunks[n]) for n in progressed.done if n < len(chunks))
        verb = "checking" if dry_run else "importing"
        task = progress.add_task(f"{verb} {kind.value}", total=len(rows), completed=sent_before)
        pending = [n for n in range(len(chunks)) if n not in progressed.done]
        send = partial(gateway.send, kind, dry_run=dry_run)
        # organisations go one chunk after another: a chunk's parents are in those before it
        at_once = 1 if kind is Kind.ORGANISATIONS else calls
        for number, answered in sent(pending, lambda n: send(chunks[n]), at_once):
            progressed.record(number, answered)
            if not dry_run:
                progressed.save(saved)
            progress.advance(task, len(chunks[number]))
    report = write_rejected(path, problems, progressed.rejected)
    if not dry_run:
        saved.unlink(missing_ok=True)
    return Outcome(kind, progressed.counts, len(problems), report)


def sent(
    numbers: list[int], send: Callable[[int], dict[str, Any]], at_once: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each chunk's number and report as its call returns, `at_once` calls in flight; after a
    failure no other call starts, those in flight are reported, then the failure is raised."""
    waiting = iter(numbers)
    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        running: dict[Future[dict[str, Any]], int] = {}

        def start_next() -> None:
            number = next(waiting, None)
            if number is not None:
                running[pool.submit(send, number)] = number

        for _ in range(at_once):
            start_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=running.__getitem__):
                number = running.pop(future)
                if (error := future.exception()) is not None:
                    failure = failure or error
                    continue
                yield number, future.result()
                if failure is None:
                    start_next()
    if failure is not None:
        raise failure


def write_rejected(
    path: Path, problems: list[Problem], rejected: list[dict[str, Any]]
) -> Path | None:
    """`<input>.rejected.csv`: row, field, code, reason of each row not imported (none: the
    report of an earlier run is removed)."""
    report = rejected_report(path)
    lines = [
        *({"row": p.row, "field": p.field, "code": LOCAL, "reason": p.reason} for p in problems),
        *rejected,
    ]
    if not lines:
        report.unlink(missing_ok=True)
        return None
    with report.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.DictWriter(file, ["row", "field", "code", "reason"])
        writer.writeheader()
        writer.writerows(sorted(lines, key=lambda line: int(line["row"])))
    return report
