"""The store commands tests watch: a PyMongo command listener, registered on import (before
a test's service makes its client, so that it sees its queries), that counts what one database
receives while watched (kit.testing re-exports it)."""

from collections import Counter

from pymongo import monitoring


class FindCounter(monitoring.CommandListener):
    """The `find`s one database receives while watched: how many per collection, and how many
    looked one document up by its id; and every command by name and collection."""

    def __init__(self) -> None:
        self.database: str | None = None
        self.finds: Counter[str] = Counter()
        self.finds_by_id: Counter[tuple[str, str]] = Counter()
        self.finds_by_field: Counter[tuple[str, str]] = Counter()
        self.commands: Counter[tuple[str, str]] = Counter()

    def watch(self, database: str) -> None:
        self.database, self.finds = database, Counter()
        self.finds_by_id, self.finds_by_field = Counter(), Counter()
        self.commands = Counter()

    def stop(self) -> dict[str, int]:
        self.database = None
        return dict(self.finds)

    def reads_of(self, collection: str, document_id: str) -> int:
        return self.finds_by_id[(collection, document_id)]

    def finds_by(self, collection: str, field: str) -> int:
        """The finds whose filter names `field`: a service's periodic work, which also reads
        while a test watches, filters by other fields."""
        return self.finds_by_field[(collection, field)]

    def sent(self, command: str, collection: str) -> int:
        """How many `command`s (insert, update, find…) the collection received while watched."""
        return self.commands[(command, collection)]

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.database_name == self.database:
            target = event.command.get(event.command_name)
            self.commands[(event.command_name, str(target))] += 1
        if event.database_name == self.database and event.command_name == "find":
            collection = str(event.command["find"])
            self.finds[collection] += 1
            criteria = event.command.get("filter", {})
            for field in criteria:
                self.finds_by_field[(collection, str(field))] += 1
            wanted = criteria.get("_id")
            if isinstance(wanted, str) and len(criteria) == 1:  # a read of that document
                self.finds_by_id[(collection, wanted)] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


# registered on import, before a test's service makes its client, so that it sees its queries
FINDS = FindCounter()
monitoring.register(FINDS)
