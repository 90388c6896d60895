"""Whether a declared index covers a query: the rule the test suites check every query by.

An index covers a query's conjunction of conditions when, in its keys:
- the fields compared by equality (`$eq`, `$in`) come first, in any order;
- the sort keys come right after them, in order (or all reversed); a sort key the query
  fixes by equality needs no place;
- every other field the filter names (ranges, `$regex`, `$exists`, `$ne`…) is somewhere in
  the index, so the filter is decided on index keys, never by reading a document;
- the index bounds the scan: some equality or sort, or a range on its first key;
- a sparse index only where the query names its first field (so no document it leaves out
  could match);
- an equality on a field the index is declared `narrowed_by` (an array MongoDB cannot index
  beside the index's own) needs no place: it is decided on the documents the rest finds.
A lookup by `_id` (equality or `$in`) is always covered, and so is a `find` of everything
(no filter, no sort: it reads what it returns) and a `count` of everything (the collection's
own count, `estimated_document_count`). A query with `$or` is covered when an
index covers it with the branches' fields decided on keys, or when each branch, together with
what the rest of the filter asks, is covered on its own (MongoDB's index union).
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.query_log import Shape

EQUALITY = {"$eq", "$in"}
NOT_BOUNDING = {"$exists:false", "$ne", "$nin", "$not"}


@dataclass(frozen=True)
class DeclaredIndex:
    name: str
    keys: tuple[tuple[str, int], ...]
    unique: bool = False
    sparse: bool = False
    narrowed_by: frozenset[str] = frozenset()

    @classmethod
    def of(cls, record: dict[str, Any]) -> "DeclaredIndex":
        keys = tuple((str(path), int(direction)) for path, direction in record["keys"])
        narrowed_by = frozenset(record.get("narrowed_by", ()))
        unique, sparse = bool(record["unique"]), bool(record["sparse"])
        return cls(record["name"], keys, unique, sparse, narrowed_by)

    @property
    def fields(self) -> list[str]:
        return [path for path, _ in self.keys]


ID_INDEX = DeclaredIndex("_id_", (("_id", 1),), unique=True)


@dataclass(frozen=True)
class Conjunction:
    """Conditions all of which hold: field → operators, and `$or`s each of branches."""

    fields: dict[str, frozenset[str]]
    ors: tuple[tuple["Conjunction", ...], ...]

    @classmethod
    def of(cls, shape: Shape) -> "Conjunction":
        return cls(
            {path: frozenset(ops) for path, ops in shape["fields"].items()},
            tuple(tuple(cls.of(branch) for branch in branches) for branches in shape["or"]),
        )

    def with_branch(self, index: int, branch: "Conjunction") -> "Conjunction":
        fields = dict(self.fields)
        for path, ops in branch.fields.items():
            fields[path] = fields.get(path, frozenset()) | ops
        ors = self.ors[:index] + self.ors[index + 1 :] + branch.ors
        return Conjunction(fields, ors)

    def or_fields(self) -> set[str]:
        return {
            path
            for branches in self.ors
            for branch in branches
            for path in (*branch.fields, *branch.or_fields())
        }


def is_equality(ops: frozenset[str]) -> bool:
    return bool(ops) and ops <= EQUALITY


def covered(
    query: Conjunction, sort: Sequence[tuple[str, int]], indexes: Iterable[DeclaredIndex]
) -> bool:
    indexes = [ID_INDEX, *indexes]
    if is_equality(query.fields.get("_id", frozenset())):
        return True
    if any(covers(index, query, sort) for index in indexes):
        return True
    return any(
        all(covered(query.with_branch(n, branch), sort, indexes[1:]) for branch in branches)
        for n, branches in enumerate(query.ors)
    )


def covers(index: DeclaredIndex, query: Conjunction, sort: Sequence[tuple[str, int]]) -> bool:
    """Whether the index alone serves the query, its `$or`s decided on the index's keys."""
    keys = index.fields
    equalities = {path for path, ops in query.fields.items() if is_equality(ops)}
    narrowing = equalities & index.narrowed_by - set(keys)
    equal = equalities - narrowing
    ranged = {path for path in query.fields if path not in equalities} | query.or_fields()
    if index.sparse and (keys[0] not in query.fields or query.fields[keys[0]] & NOT_BOUNDING):
        return False
    if set(keys[: len(equal)]) != equal:
        return False
    ordered = [(path, direction) for path, direction in sort if path not in equal]
    after = list(index.keys[len(equal) : len(equal) + len(ordered)])
    if ordered and [p for p, _ in after] != [p for p, _ in ordered]:
        return False
    if ordered:
        same = all(d == i for (_, d), (_, i) in zip(ordered, after, strict=True))
        reverse = all(d == -i for (_, d), (_, i) in zip(ordered, after, strict=True))
        if not (same or reverse):
            return False
    if not ranged <= set(keys):
        return False
    bounding = {p for p in ranged if p in query.fields and not query.fields[p] & NOT_BOUNDING}
    return bool(equal or ordered or keys[0] in bounding)


@dataclass(frozen=True)
class Finding:
    service: str
    collection: str
    command: str
    query: str
    origins: tuple[str, ...]

    def __str__(self) -> str:
        where = "\n      ".join(self.origins)
        return f"{self.service}: {self.collection}.{self.command} {self.query}\n      {where}"


def describe(shape: Shape, sort: Sequence[Sequence[Any]]) -> str:
    def conditions(part: Shape) -> str:
        fields = [f"{path} {'/'.join(ops)}" for path, ops in part["fields"].items()]
        ors = [" | ".join(f"({conditions(b)})" for b in branches) for branches in part["or"]]
        return ", ".join([*fields, *(f"$or[{o}]" for o in ors)])

    ordered = ", ".join(f"{path} {direction}" for path, direction in sort)
    return f"{{{conditions(shape)}}}" + (f" sort [{ordered}]" if ordered else "")


def uncovered_queries(records: Iterable[dict[str, Any]]) -> list[Finding]:
    """The recorded queries no index the same service declared covers, each once with every
    place it came from."""
    declared: dict[tuple[str, str], set[DeclaredIndex]] = defaultdict(set)
    queries: dict[tuple[str, str, str, str], tuple[dict[str, Any], set[str]]] = {}
    for record in records:
        where = (record["service"], record["collection"])
        if "indexes" in record:
            declared[where].update(DeclaredIndex.of(index) for index in record["indexes"])
            continue
        shape = json.dumps([record["filter"], record["sort"]], sort_keys=True)
        key = (*where, record["command"], shape)
        queries.setdefault(key, (record, set()))[1].add(record["origin"])
    findings = []
    for (service, collection, command, _), (record, origins) in sorted(queries.items()):
        sort = [(str(path), int(direction)) for path, direction in record["sort"]]
        query = Conjunction.of(record["filter"])
        everything = command in ("find", "count") and not (sort or query.fields or query.ors)
        if not everything and not covered(query, sort, declared[(service, collection)]):
            text = describe(record["filter"], record["sort"])
            findings.append(Finding(service, collection, command, text, tuple(sorted(origins))))
    return findings


def read_log(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as log:
        return [json.loads(line) for line in log if line.strip()]
