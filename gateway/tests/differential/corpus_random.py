"""Seeded random operations over any supergraph: fields picked at random, fragments on every
possible type and on other abstract types (intersections), aliases, five levels deep."""

from __future__ import annotations

import random

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
)

from differential.corpus import Operation
from differential.corpus_project import _arguments

LEVELS = 5


def random_operations(schema: GraphQLSchema, count: int, seed: int) -> list[Operation]:
    """`count` distinct valid query operations (fewer if the schema has not that many)."""
    rng = random.Random(seed)
    root = schema.query_type
    assert root is not None
    found: dict[str, Operation] = {}
    for _ in range(count * 5):
        name = rng.choice(sorted(root.fields))
        field = root.fields[name]
        body = name + _arguments(field.args)
        named = get_named_type(field.type)
        if not is_leaf_type(named):
            body += " { " + _selection(schema, named, 1, rng) + " }"
        query = "{ " + body + " }"
        if query not in found and not validate(schema, parse(query)):
            found[query] = Operation(f"random-{seed}-{len(found)}", query)
        if len(found) == count:
            break
    return list(found.values())


def _selection(schema: GraphQLSchema, type_: object, level: int, rng: random.Random) -> str:
    if isinstance(type_, GraphQLObjectType):
        return _fields(schema, type_, level, rng) or "__typename"
    assert isinstance(type_, GraphQLInterfaceType | GraphQLUnionType)
    parts = ["__typename"] if rng.random() < 0.5 else []
    if isinstance(type_, GraphQLInterfaceType):
        parts.append(_fields(schema, type_, level, rng))
    for possible in sorted(schema.get_possible_types(type_), key=lambda t: t.name):
        if rng.random() < 0.6:
            inner = _fields(schema, possible, level, rng)
            if inner:
                parts.append(f"... on {possible.name} {{ {inner} }}")
    for other in sorted(schema.type_map):
        abstract = schema.type_map[other]
        if (
            isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType)
            and abstract is not type_
            and not other.startswith("_")
            and level < LEVELS
            and rng.random() < 0.2
        ):
            parts.append(f"... on {other} {{ {_selection(schema, abstract, level + 1, rng)} }}")
    return " ".join(p for p in parts if p) or "__typename"


def _fields(
    schema: GraphQLSchema,
    type_: GraphQLObjectType | GraphQLInterfaceType,
    level: int,
    rng: random.Random,
) -> str:
    parts = []
    for name, field in type_.fields.items():
        if rng.random() < 0.5:
            continue
        alias = f"a{rng.randint(0, 2)}: " if rng.random() < 0.1 else ""
        call = alias + name + _arguments(field.args)
        named = get_named_type(field.type)
        if is_leaf_type(named):
            parts.append(call)
        elif level < LEVELS:
            parts.append(f"{call} {{ {_selection(schema, named, level + 1, rng)} }}")
    return " ".join(parts)
