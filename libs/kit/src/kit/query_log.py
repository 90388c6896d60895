"""The shapes of the queries a service sends, appended to a file for the index coverage check.

PyMongo's command monitoring tells the listener of every command; it keeps the filter's field
paths and operators, the sort keys, and where in the code the query came from — never a
value (filters hold card numbers, names, birth dates). Each distinct query is written once
per process, as a JSON line; the indexes the service creates (its `createIndexes`) are
written the same way, so the file alone says what is declared and what is asked.

    {"service": "members", "collection": "members", "command": "find",
     "filter": {"fields": {"organisation_id": ["$eq"]}, "or": []},
     "sort": [["sort_name", 1], ["_id", 1]],
     "origin": "members/repository/members.py:98 in page < members/service/members.py:61 in page"}
"""

import json
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from pymongo import monitoring

QUERY_LOG = "PARTYORG_QUERY_LOG"

Shape = dict[str, Any]
"""{"fields": {path: [operator, ...]}, "or": [[branch Shape, ...], ...]}"""

IGNORED_OPERATORS = {"$options", "$comment"}
# a document's id used as a field name (a map keyed by id): a value, not part of the shape
ID_IN_PATH = re.compile(
    r"(?<![^.])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![^.])"
)
OWN_FILES = ("/kit/query_log.py",)
OWN_PACKAGES = ("/kit/mongo/",)  # the client and its lookups: the caller is the origin
APPLICATION_FRAMES = 2


def filter_shape(criteria: Mapping[str, Any] | None) -> Shape:
    """The filter with its values left out: `$and`s flattened, `$or`s kept as branches."""
    fields: dict[str, set[str]] = {}
    branches: list[list[Shape]] = []

    def add(clause: Mapping[str, Any]) -> None:
        for key, condition in clause.items():
            if key == "$and":
                for part in condition:
                    add(part)
            elif key == "$or":
                branches.append([filter_shape(part) for part in condition])
            elif key == "$nor":
                for part in condition:
                    for path in filter_shape(part)["fields"]:
                        fields.setdefault(path, set()).add("$not")
            else:
                path = ID_IN_PATH.sub("<id>", key)
                fields.setdefault(path, set()).update(operators(condition))

    add(criteria or {})
    return {"fields": {path: sorted(ops) for path, ops in fields.items()}, "or": branches}


def operators(condition: Any) -> set[str]:
    if not isinstance(condition, Mapping) or not any(str(k).startswith("$") for k in condition):
        return {"$eq"}
    found = set()
    for operator, argument in condition.items():
        if operator in IGNORED_OPERATORS:
            continue
        if operator == "$exists":
            found.add("$exists" if argument else "$exists:false")
        else:
            found.add(str(operator))
    return found


def sort_keys(sort: Mapping[str, Any] | None) -> list[list[Any]]:
    return [[str(path), direction] for path, direction in (sort or {}).items()]


def queries_of(name: str, command: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The filters (and sorts) a command carries, each as a record without values."""
    if name in ("find", "findAndModify"):
        criteria = command.get("filter" if name == "find" else "query")
        yield {"filter": filter_shape(criteria), "sort": sort_keys(command.get("sort"))}
    elif name in ("count", "distinct"):
        yield {"filter": filter_shape(command.get("query")), "sort": []}
    elif name == "update":
        for update in command.get("updates", []):
            yield {"filter": filter_shape(update.get("q")), "sort": []}
    elif name == "delete":
        for delete in command.get("deletes", []):
            yield {"filter": filter_shape(delete.get("q")), "sort": []}
    elif name == "aggregate":
        yield aggregate_query(command.get("pipeline", []))


def aggregate_query(pipeline: list[Mapping[str, Any]]) -> dict[str, Any]:
    """What of a pipeline can use an index: a leading `$match`, then a `$sort` right after."""
    stages = list(pipeline)
    criteria = stages.pop(0)["$match"] if stages and "$match" in stages[0] else {}
    sort = stages[0]["$sort"] if stages and "$sort" in stages[0] else {}
    return {"filter": filter_shape(criteria), "sort": sort_keys(sort)}


def index_records(command: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The indexes made, with the fields a query may narrow each by (kit.mongo.indexes), as
    the command's comment tells them."""
    comment = command.get("comment")
    narrowing = comment.get("narrowed_by", {}) if isinstance(comment, Mapping) else {}
    return [
        {
            "name": index["name"],
            "keys": [[str(path), direction] for path, direction in index["key"].items()],
            "unique": bool(index.get("unique")),
            "sparse": bool(index.get("sparse")),
            "narrowed_by": [str(path) for path in narrowing.get(index["name"], [])],
        }
        for index in command.get("indexes", [])
    ]


def origin(frame: FrameType | None) -> str:
    """The innermost frames of partyorg's code (a service's or the kit's) on the stack; none
    for a query a test sends itself through a service's client."""
    found: list[str] = []
    while frame is not None and len(found) < APPLICATION_FRAMES:
        filename = frame.f_code.co_filename
        ours = "/src/" in filename and "site-packages" not in filename
        comprehension = frame.f_code.co_name.startswith("<") and frame.f_code.co_name != "<module>"
        own = filename.endswith(OWN_FILES) or any(p in filename for p in OWN_PACKAGES)
        if ours and not own and not comprehension:
            where = filename.rsplit("/src/", 1)[1]
            found.append(f"{where}:{frame.f_lineno} in {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(found)


class QueryLog(monitoring.CommandListener):
    """Appends the shape of each distinct query (and each index created) to `path`."""

    def __init__(self, path: str | Path, service: str) -> None:
        self.path = Path(path)
        self.service = service
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name = event.command_name
        command = event.command
        if name not in command:
            return
        base = {"service": self.service, "collection": str(command[name]), "command": name}
        if name == "createIndexes":
            self._write({**base, "indexes": index_records(command)})
            return
        queries = list(queries_of(name, command))
        where = origin(sys._getframe(1)) if queries else ""
        if where:
            for query in queries:
                self._write({**base, **query, "origin": where})

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, sort_keys=True, ensure_ascii=False)
        with self._lock:
            if line in self._seen:
                return
            self._seen.add(line)
            with self.path.open("a", encoding="utf-8") as log:
                log.write(line + "\n")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass
