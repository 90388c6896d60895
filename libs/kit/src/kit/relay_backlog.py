"""What waits to be published, as far as the outbox relay has seen it: per collection each
document's pending events, and each outbox batch's events, by their times (the relay's
backlog metric: how many, and since when)."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from kit.mongo import Document
from kit.pending_events import PENDING


class Backlog:
    def __init__(self) -> None:
        # per collection, each document's pending events (id → time)
        self._documents: dict[str, dict[Any, dict[str, str]]] = {}
        self._batches: dict[Any, list[str]] = {}  # each outbox batch's events' times

    def __call__(self) -> tuple[int, datetime | None]:
        """How many events wait, and the time of the oldest (events' times are written in
        UTC, so the earliest sorts first)."""
        times = [
            t for waiting in self._documents.values() for e in waiting.values() for t in e.values()
        ]
        for batch in self._batches.values():
            times.extend(batch)
        return len(times), datetime.fromisoformat(min(times)) if times else None

    def seen(
        self, collection: str, documents: list[Document], cleared: Sequence[Any] | None = ()
    ) -> None:
        """The documents read with their pending events, in place of those `cleared` (None:
        every document of the collection)."""
        if cleared is None:
            self._documents[collection] = {}
        waiting = self._documents.setdefault(collection, {})
        for document_id in cleared or ():
            waiting.pop(document_id, None)
        for document in documents:
            waiting[document["_id"]] = {e["id"]: e["time"] for e in document[PENDING]}

    def removed(self, collection: str, document_id: Any, event_ids: Iterable[str]) -> None:
        waiting = self._documents.setdefault(collection, {})
        events = waiting.get(document_id, {})
        for event_id in event_ids:
            events.pop(event_id, None)
        if not events:
            waiting.pop(document_id, None)

    def seen_batches(self, batches: list[tuple[Document, list[Document]]], every: bool) -> None:
        """READY batches read with their entries (`every`: all of them, the others gone)."""
        if every:
            self._batches = {}
        for batch, entries in batches:
            self._batches[batch["_id"]] = [e["time"] for d in entries for e in d["events"]]

    def batch_sent(self, batch_id: Any) -> None:
        self._batches.pop(batch_id, None)
