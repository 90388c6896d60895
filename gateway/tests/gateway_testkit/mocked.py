"""Subgraphs that answer any schema with made-up but deterministic data: the same parent, field
and arguments always give the same value, in every process. Used to run the project's own
subgraph schemas behind both gateways without their databases."""

from __future__ import annotations

import zlib
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLUnionType,
)

from gateway_testkit.federated import Subgraph

MAX_DEPTH = 24


def mocked_subgraph(name: str, sdl: str) -> Subgraph:
    return Subgraph(name, sdl, fallback=_mock_field)


def _seed(*parts: Any) -> int:
    return zlib.crc32(repr(parts).encode())


def _identity(source: Any) -> str:
    if isinstance(source, dict):
        for key in ("id", "_mock"):
            if key in source:
                return str(source[key])
    return "root"


def _mock_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    seed = _seed(_identity(source), info.parent_type.name, info.field_name, sorted(args.items()))
    depth = len(info.path.as_list())
    return _mock_value(info, info.return_type, seed, depth)


def _mock_value(info: GraphQLResolveInfo, type_: Any, seed: int, depth: int) -> Any:
    nullable = not isinstance(type_, GraphQLNonNull)
    if not nullable:
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        if depth > MAX_DEPTH:
            return []
        return [_mock_value(info, type_.of_type, _seed(seed, i), depth + 1) for i in range(2)]
    if isinstance(type_, GraphQLEnumType):
        values = list(type_.values)
        return values[seed % len(values)]
    if isinstance(type_, GraphQLScalarType):
        return _scalar(type_.name, seed)
    if nullable and depth > MAX_DEPTH:
        return None
    if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
        possible = sorted(t.name for t in info.schema.get_possible_types(type_))
        type_ = info.schema.get_type(possible[seed % len(possible)])
    assert isinstance(type_, GraphQLObjectType)
    return {"__typename": type_.name, "id": f"{type_.name}-{seed % 1000}", "_mock": seed}


def _scalar(name: str, seed: int) -> Any:
    if name == "Int":
        return seed % 100
    if name == "Float":
        return (seed % 1000) / 4
    if name == "Boolean":
        return seed % 2 == 0
    if name == "ID":
        return f"id-{seed % 1000}"
    if name == "Date":
        return f"2019-{seed % 12 + 1:02d}-{seed % 28 + 1:02d}"
    if name == "DateTime":
        return f"2019-{seed % 12 + 1:02d}-{seed % 28 + 1:02d}T08:00:00+07:00"
    return f"s{seed % 10000}"
