"""Counts the store statements of a service, for `bench/dissolution/run.py --statements`.

The bench puts this folder on the services' PYTHONPATH, so Python imports this module as each
starts, before any client is made: a PyMongo command listener registered here hears every
command of the process. Each statement counts once by its command and collection (an update
command of 8 updates counts 8, an insert of 1,000 documents 1,000, a read 1), the store's
time on each kind is summed in milliseconds (under `ms <command> <collection>`: where the time
of a step goes, store-side), and the totals are written as JSON to
`<PARTYORG_BENCH_STATEMENTS>/<database>.json` a few times a second.
Without that variable (or in a process with no database: the gateway) it does nothing.
"""

import json
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pymongo import monitoring

FOLDER = os.environ.get("PARTYORG_BENCH_STATEMENTS")
DATABASE = os.environ.get("MONGODB_DATABASE")
WRITE_EVERY_SECONDS = 0.2
MANY = {"update": "updates", "delete": "deletes", "insert": "documents"}


class Statements(monitoring.CommandListener):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.counted: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.kinds: dict[tuple[int, int], str] = {}  # a command under way: its kind

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name = event.command_name
        collection = event.command.get(name)
        if not isinstance(collection, str):
            collection = "-"
        many: Any = event.command.get(MANY.get(name, ""), None)
        with self.lock:
            self.counted[f"{name} {collection}"] += len(many) if isinstance(many, list) else 1
            self.kinds[(event.request_id, event.operation_id or 0)] = f"{name} {collection}"

    def ended(
        self, event: monitoring.CommandSucceededEvent | monitoring.CommandFailedEvent
    ) -> None:
        with self.lock:
            kind = self.kinds.pop((event.request_id, event.operation_id or 0), None)
            if kind is not None:
                self.counted[f"ms {kind}"] += round(event.duration_micros / 1000)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self.ended(event)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self.ended(event)

    def keep_writing(self) -> None:
        written: dict[str, int] = {}
        while True:
            time.sleep(WRITE_EVERY_SECONDS)
            with self.lock:
                now = dict(self.counted)
            if now != written:
                part = self.path.with_suffix(".part")
                part.write_text(json.dumps(now))
                part.replace(self.path)
                written = now


if FOLDER and DATABASE:
    _statements = Statements(Path(FOLDER) / f"{DATABASE}.json")
    monitoring.register(_statements)
    threading.Thread(target=_statements.keep_writing, daemon=True).start()
