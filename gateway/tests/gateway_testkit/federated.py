"""Builds an executable Federation v2 subgraph from its SDL, resolvers and entity resolvers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaExtensionNode,
    build_ast_schema,
    parse,
    value_from_ast_untyped,
)

Resolver = Callable[..., Any]
EntityResolver = Callable[[dict[str, Any]], Any]


@dataclass
class Subgraph:
    name: str
    sdl: str
    resolvers: Mapping[str, Resolver] = field(default_factory=dict)
    entities: Mapping[str, EntityResolver] = field(default_factory=dict)
    fallback: Resolver | None = None
    schema: GraphQLSchema = field(init=False)

    def __post_init__(self) -> None:
        self.schema = _executable_schema(self.sdl)


_FEDERATION = {"_Any", "_Entity", "_Service", "_entities", "_service"}


def _keyed(node: Any) -> bool:
    for directive in node.directives or ():
        if directive.name.value in ("key", "interfaceObject"):
            args = {
                a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()
            }
            if args.get("resolvable", True):
                return True
    return False


def _executable_schema(sdl: str) -> GraphQLSchema:
    document = parse(sdl)
    defined = {
        d.name.value
        for d in document.definitions
        if isinstance(d, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)
    }
    definitions: list[Any] = []
    entities: list[str] = []
    keyed_interfaces = {
        d.name.value
        for d in document.definitions
        if isinstance(d, InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode) and _keyed(d)
    }
    for definition in document.definitions:
        if isinstance(definition, SchemaExtensionNode):
            continue
        if getattr(definition, "name", None) is not None and definition.name.value in _FEDERATION:
            continue
        if isinstance(definition, ObjectTypeDefinitionNode) and definition.name.value == "Query":
            definition = ObjectTypeDefinitionNode(
                name=definition.name,
                interfaces=definition.interfaces,
                directives=definition.directives,
                fields=tuple(f for f in definition.fields or () if f.name.value not in _FEDERATION),
            )
        if isinstance(definition, ObjectTypeExtensionNode) and definition.name.value not in defined:
            definition = ObjectTypeDefinitionNode(
                name=definition.name,
                interfaces=definition.interfaces,
                directives=definition.directives,
                fields=definition.fields,
            )
            defined.add(definition.name.value)
        if (
            isinstance(definition, InterfaceTypeExtensionNode)
            and definition.name.value not in defined
        ):
            definition = InterfaceTypeDefinitionNode(
                name=definition.name,
                interfaces=definition.interfaces,
                directives=definition.directives,
                fields=definition.fields,
            )
        if isinstance(definition, ObjectTypeDefinitionNode) and (
            _keyed(definition)
            or any(i.name.value in keyed_interfaces for i in definition.interfaces or ())
        ):
            entities.append(definition.name.value)
        definitions.append(_strip(definition))
    extra = "scalar _Any\ntype _Service { sdl: String! }\n"
    if entities:
        extra += f"union _Entity = {' | '.join(entities)}\n"
        extra += "extend type Query { _entities(representations: [_Any!]!): [_Entity]! }\n"
    extra += "extend type Query { _service: _Service! }\n"
    if "Query" not in defined:
        extra = "type Query\n" + extra
    document = DocumentNode(definitions=tuple(definitions) + parse(extra).definitions)
    return build_ast_schema(document, assume_valid_sdl=True)


def _strip(node: Any) -> Any:
    """Removes federation directives; the executable schema does not need them."""
    kept = tuple(d for d in getattr(node, "directives", None) or () if d.name.value == "deprecated")
    fields = getattr(node, "fields", None)
    changes: dict[str, Any] = {}
    if hasattr(node, "directives"):
        changes["directives"] = kept
    if fields:
        changes["fields"] = tuple(_strip(f) for f in fields)
    values = getattr(node, "values", None)
    if values:
        changes["values"] = tuple(_strip(v) for v in values)
    arguments = getattr(node, "arguments", None)
    if arguments:
        changes["arguments"] = tuple(_strip(a) for a in arguments)
    return node.__class__(**{**{k: getattr(node, k) for k in node.keys}, **changes})
