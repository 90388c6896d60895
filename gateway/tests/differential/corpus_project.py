"""The project corpus: for every root field of partyorg's supergraph, one operation selecting
every field three levels down (abstract types through their possible types), with required
arguments filled in. Run against mocked subgraphs built from services/*/schema.graphql."""

from __future__ import annotations

from pathlib import Path

from gateway.supergraph import load_supergraph
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from differential.corpus import Operation

ROOT = Path(__file__).resolve().parents[3]
SUPERGRAPH = ROOT / "gateway" / "supergraph.graphql"
LEVELS = 3

_SCALARS = {
    "ID": '"id-1"',
    "String": '"2019-10"',
    "Int": "2",
    "Float": "1.5",
    "Boolean": "true",
    "Date": '"2019-10-01"',
    "DateTime": '"2019-10-01T08:00:00+07:00"',
}


def _literal(type_: GraphQLInputType, depth: int = 0) -> str:
    if depth > 5:
        return "null"
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type, depth)
    if isinstance(type_, GraphQLList):
        return f"[{_literal(type_.of_type, depth + 1)}]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        fields = [
            f"{name}: {_literal(field.type, depth + 1)}"
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        ]
        return "{ " + ", ".join(fields) + " }"
    assert isinstance(type_, GraphQLScalarType)
    return _SCALARS.get(type_.name, '"x"')


def _arguments(arguments: dict[str, GraphQLArgument]) -> str:
    required = [
        f"{name}: {_literal(argument.type)}"
        for name, argument in arguments.items()
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
    ]
    return f"({', '.join(required)})" if required else ""


def _selection(schema: GraphQLSchema, type_: object, level: int) -> str:
    if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
        parts = ["__typename"]
        for possible in sorted(schema.get_possible_types(type_), key=lambda t: t.name):
            inner = _selection(schema, possible, level)
            if inner:
                parts.append(f"... on {possible.name} {{ {inner} }}")
        return " ".join(parts)
    assert isinstance(type_, GraphQLObjectType)
    parts = []
    for name, field in type_.fields.items():
        named = get_named_type(field.type)
        call = name + _arguments(field.args)
        if is_leaf_type(named):
            parts.append(call)
        elif level < LEVELS:
            inner = _selection(schema, named, level + 1)
            if inner:
                parts.append(f"{call} {{ {inner} }}")
    return " ".join(parts)


def project_operations() -> list[Operation]:
    return operations_of(load_supergraph(SUPERGRAPH.read_text()).api_schema)


def operations_of(schema: GraphQLSchema) -> list[Operation]:
    """For each root field, one operation selecting every field three levels down."""
    operations = []
    for keyword, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root is None:
            continue
        for name, field in sorted(root.fields.items()):
            named = get_named_type(field.type)
            call = name + _arguments(field.args)
            body = call if is_leaf_type(named) else f"{call} {{ {_selection(schema, named, 2)} }}"
            operations.append(Operation(f"{keyword}-{name}", f"{keyword} {{ {body} }}"))
    return operations


PROJECT = project_operations()
