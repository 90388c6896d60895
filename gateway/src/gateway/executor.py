"""Runs a query plan: each fetch once its dependencies are merged, independent ones in parallel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.plan import INTERNAL_ALIAS, Fetch, FieldSelection, QueryPlan, Selections

JSON = dict[str, Any]
Path = list[str | int]
# A path as the walk makes it, (parent, key) pairs inside each other: made into a Path only
# for an error's sake.
LazyPath = tuple[Any, str | int] | None
SendRequest = Callable[[Fetch, JSON], Awaitable[JSON]]


@dataclass
class FetchOutcome:
    data: JSON = field(default_factory=dict)
    errors: list[JSON] = field(default_factory=list)


async def execute_plan(plan: QueryPlan, variables: JSON, send: SendRequest) -> FetchOutcome:
    outcome = FetchOutcome()
    if not plan.fetches:
        return outcome
    if _in_series(plan.fetches):
        # Each fetch waits for the one before: run them in turn, without a task each.
        for fetch in plan.fetches:
            await _run(fetch, variables, send, outcome)
        return outcome
    tasks: dict[int, asyncio.Task[None]] = {}
    for fetch in plan.fetches:
        deps = [tasks[d] for d in fetch.depends_on if d in tasks]
        tasks[fetch.id] = asyncio.ensure_future(_after(deps, fetch, variables, send, outcome))
    await asyncio.gather(*tasks.values())
    return outcome


def _in_series(fetches: list[Fetch]) -> bool:
    return all(fetches[i - 1].id in fetches[i].depends_on for i in range(1, len(fetches)))


async def _after(
    deps: list[asyncio.Task[None]],
    fetch: Fetch,
    variables: JSON,
    send: SendRequest,
    outcome: FetchOutcome,
) -> None:
    if deps:
        await asyncio.gather(*deps)
    await _run(fetch, variables, send, outcome)


async def _run(fetch: Fetch, variables: JSON, send: SendRequest, outcome: FetchOutcome) -> None:
    fetch_variables = {n: variables[n] for n in fetch.variable_names if n in variables}
    if not fetch.entity:
        response = await send(fetch, fetch_variables)
        data = response.get("data")
        if isinstance(data, dict):
            if fetch.renames:
                _restore_keys(data, fetch.selections)
            _merge(outcome.data, data)
        for error in response.get("errors") or ():
            outcome.errors.append(_repath(error, None, [], fetch.graph))
        return
    targets: dict[object, int] = {}
    representations: list[JSON] = []
    placed: list[list[tuple[JSON, LazyPath]]] = []
    shapes, send_typename = fetch.representations, fetch.send_typename
    found: list[tuple[JSON, LazyPath]] = []
    _walk(outcome.data, fetch.merge_path, 0, None, found)
    for obj, path in found:
        typename = obj.get("__typename")
        shape = shapes.get(typename) if isinstance(typename, str) else None
        if shape is None:
            continue
        representation = _project(obj, shape)
        if representation is None:
            continue
        if send_typename:
            representation["__typename"] = send_typename.get(str(typename), typename)
        identity = _identity(representation)
        index = targets.get(identity)
        if index is None:
            targets[identity] = len(representations)
            representations.append(representation)
            placed.append([(obj, path)])
        else:
            placed[index].append((obj, path))
    if not representations:
        return
    fetch_variables["representations"] = representations
    response = await send(fetch, fetch_variables)
    data = response.get("data")
    entities = data.get("_entities") if isinstance(data, dict) else None
    if isinstance(entities, list):
        for index, entity in enumerate(entities[: len(placed)]):
            if isinstance(entity, dict):
                if fetch.renames:
                    _restore_keys(entity, fetch.selections)
                if fetch.send_typename:
                    # Sent as its interface to an @interfaceObject subgraph, which answers
                    # with the interface's name: the object keeps its own type.
                    entity = {k: v for k, v in entity.items() if k != "__typename"}
                for obj, _ in placed[index]:
                    _merge(obj, entity)
    for error in response.get("errors") or ():
        outcome.errors.extend(_entity_errors(error, placed, fetch))


def _identity(representation: JSON) -> object:
    """What tells two representations apart: a projection writes a shape's keys in one order,
    so their items do, as a tuple when every value is a scalar (the common key), else as
    JSON."""
    items = tuple(representation.items())
    try:
        hash(items)
    except TypeError:  # a list or an object in the key
        return orjson.dumps(representation)
    return items


def _entity_errors(
    error: JSON, placed: list[list[tuple[JSON, LazyPath]]], fetch: Fetch
) -> list[JSON]:
    path = error.get("path")
    if isinstance(path, list) and len(path) >= 2 and path[0] == "_entities":
        index = path[1]
        if isinstance(index, int) and 0 <= index < len(placed):
            return [
                _repath(error, _materialize(where), path[2:], fetch.graph)
                for _, where in placed[index]
            ]
    if isinstance(path, list) and path[:1] == ["_entities"] and placed:
        # Not one entity's error but the fetch's: at the merge path, "@" for each list
        # (as @apollo/gateway places it).
        _, where = placed[0][0]
        at_merge_path: Path = [
            "@" if isinstance(step, int) else step for step in _materialize(where)
        ]
        return [_repath(error, at_merge_path, path, fetch.graph)]
    return [_repath(error, None, [], fetch.graph)]


def _repath(error: JSON, base: Path | None, rest: list[Any], graph: str) -> JSON:
    """The subgraph's error at the client's path, its extensions kept (as Apollo's gateway
    does: a missing code becomes DOWNSTREAM_SERVICE_ERROR, and the subgraph is named)."""
    repathed = {k: v for k, v in error.items() if k not in ("locations", "path")}
    if "message" not in repathed:
        repathed["message"] = "Subgraph error"
    extensions = error.get("extensions")
    repathed["extensions"] = {
        "code": "DOWNSTREAM_SERVICE_ERROR",
        **(extensions if isinstance(extensions, dict) else {}),
        "serviceName": graph,
    }
    if base is not None:
        repathed["path"] = [*base, *rest]
    elif "path" in error:
        repathed["path"] = error["path"]
    return repathed


def _walk(
    value: Any,
    merge_path: tuple[str, ...],
    depth: int,
    path: LazyPath,
    found: list[tuple[JSON, LazyPath]],
) -> None:
    """The objects at `merge_path` under `value`, with their paths, into `found`."""
    # A function of its own, not a closure calling itself: that would be a reference cycle
    # holding the request's data until the cyclic collector runs.
    if isinstance(value, list):
        at_end = depth == len(merge_path)
        for index, item in enumerate(value):
            if at_end and isinstance(item, dict):
                found.append((item, (path, index)))  # the common case, without a call
            else:
                _walk(item, merge_path, depth, (path, index), found)
    elif isinstance(value, dict):
        if depth == len(merge_path):
            found.append((value, path))
        else:
            key = merge_path[depth]
            _walk(value.get(key), merge_path, depth + 1, (path, key), found)


def _materialize(path: LazyPath) -> Path:
    steps: Path = []
    while path is not None:
        path, step = path
        steps.append(step)
    steps.reverse()
    return steps


def _project(obj: JSON, shape: Selections) -> JSON | None:
    projected: JSON = {}
    for item in shape.items.values():
        if not isinstance(item, FieldSelection):
            typename = obj.get("__typename")
            if item.type_condition in (None, typename):
                inner = _project(obj, item.children)
                if inner is None:
                    return None
                projected.update(inner)
            continue
        key = item.node.name.value
        if item.source_key is not None and item.source_key in obj:
            value = obj[item.source_key]
        elif INTERNAL_ALIAS + key in obj:
            value = obj[INTERNAL_ALIAS + key]
        elif key in obj:
            value = obj[key]
        else:
            return None
        if item.children is not None and value is not None:
            value = _project_value(value, item.children)
            if value is _MISSING:
                return None
        projected[key] = value
    return projected


_MISSING = object()


def _project_value(value: Any, shape: Selections) -> Any:
    if isinstance(value, list):
        items = [_project_value(v, shape) for v in value]
        return _MISSING if any(i is _MISSING for i in items) else items
    if isinstance(value, dict):
        projected = _project(value, shape)
        return _MISSING if projected is None else projected
    return value


def _merge(target: JSON, source: JSON) -> None:
    for key, value in source.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            _merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            _merge_lists(existing, value)
        else:
            target[key] = value


def _merge_lists(target: list[Any], source: list[Any]) -> None:
    for index, value in enumerate(source):
        existing = target[index]
        if isinstance(existing, dict) and isinstance(value, dict):
            _merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            _merge_lists(existing, value)
        else:
            target[index] = value


def _restore_keys(value: Any, selections: Selections) -> None:
    """Puts answers asked under the gateway's aliases back under the client's keys."""
    if isinstance(value, list):
        for item in value:
            _restore_keys(item, selections)
        return
    if not isinstance(value, dict):
        return
    for item in selections.items.values():
        if not isinstance(item, FieldSelection):
            _restore_keys(value, item.children)
            continue
        key = (item.node.alias or item.node.name).value
        if item.restore_as is not None and key in value:
            value[item.restore_as] = value.pop(key)
            key = item.restore_as
        if item.children is not None and key in value:
            _restore_keys(value[key], item.children)
