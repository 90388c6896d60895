"""Reads a supergraph SDL composed by Apollo's tools: which subgraph can resolve what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    SchemaDefinitionNode,
    SelectionSetNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    build_ast_schema,
    parse,
    value_from_ast_untyped,
)

from gateway.api_schema import build_api_schema
from gateway.link import LinkedNames


class SupergraphError(ValueError):
    """The supergraph cannot be served."""


@dataclass(frozen=True)
class Key:
    selection: SelectionSetNode
    fields: str
    resolvable: bool


@dataclass
class TypeInGraph:
    graph: str
    keys: list[Key] = field(default_factory=list)
    extension: bool = False
    interface_object: bool = False


@dataclass(frozen=True)
class FieldInGraph:
    graph: str
    external: bool = False
    used_overridden: bool = False
    requires: SelectionSetNode | None = None
    provides: SelectionSetNode | None = None
    type: str | None = None  # the subgraph's own type of the field, where it differs


@dataclass
class Supergraph:
    """The composed schema and, for each type and field, the subgraphs that know it."""

    sdl: str
    schema: GraphQLSchema
    api_schema: GraphQLSchema
    urls: dict[str, str]
    types: dict[str, dict[str, TypeInGraph]]
    fields: dict[tuple[str, str], dict[str, FieldInGraph]]
    implementations: dict[tuple[str, str], set[str]]
    union_members: dict[tuple[str, str], set[str]]

    def graphs_of_type(self, type_name: str) -> dict[str, TypeInGraph]:
        return self.types.get(type_name, {})

    def resolvers_of(self, type_name: str, field_name: str) -> list[str]:
        """Subgraphs that can resolve the field themselves (not external, not overridden)."""
        in_graphs = self.fields.get((type_name, field_name))
        if in_graphs is None:
            return [g for g, t in self.graphs_of_type(type_name).items() if not t.interface_object]
        return [g for g, f in in_graphs.items() if not f.external and not f.used_overridden]

    def interface_object_graphs(self, interface: str, field_name: str) -> list[str]:
        """Subgraphs that resolve the field for every implementation via @interfaceObject."""
        return [
            g
            for g in self.resolvers_of(interface, field_name)
            if (t := self.type_in(interface, g)) is not None and t.interface_object
        ]

    def field_in(self, type_name: str, field_name: str, graph: str) -> FieldInGraph | None:
        in_graphs = self.fields.get((type_name, field_name))
        if in_graphs is None:
            if graph in self.graphs_of_type(type_name):
                return FieldInGraph(graph)
            return None
        return in_graphs.get(graph)

    def can_resolve(self, type_name: str, field_name: str, graph: str) -> bool:
        if field_name == "__typename":
            return True
        found = self.field_in(type_name, field_name, graph)
        return found is not None and not found.external and not found.used_overridden

    def type_in(self, type_name: str, graph: str) -> TypeInGraph | None:
        return self.graphs_of_type(type_name).get(graph)

    def possible_type_names(self, type_name: str) -> set[str]:
        """Object types that values of this type can have."""
        named = self.schema.get_type(type_name)
        if isinstance(named, GraphQLObjectType):
            return {type_name}
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return {t.name for t in self.schema.get_possible_types(named)}
        return set()

    def possible_types_in(self, type_name: str, graph: str) -> set[str]:
        """Object types a subgraph may return where it declares the abstract type."""
        all_possible = self.possible_type_names(type_name)
        found: set[str] = set()
        for candidate in all_possible:
            if candidate == type_name:
                found.add(candidate)
            elif (type_name, graph) in self.union_members:
                if candidate in self.union_members[(type_name, graph)]:
                    found.add(candidate)
            elif candidate in self.implementations.get((type_name, graph), set()):
                found.add(candidate)
        return found


def field_set(source: str) -> SelectionSetNode:
    document = parse("{" + source + "}", no_location=True)
    operation = document.definitions[0]
    return operation.selection_set  # type: ignore[attr-defined,no-any-return]


def _arguments(directive: DirectiveNode) -> dict[str, Any]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def load_supergraph(sdl: str) -> Supergraph:
    try:
        document = parse(sdl, no_location=True)
    except Exception as error:
        raise SupergraphError(f"the supergraph does not parse: {error}") from error
    names = LinkedNames.from_document(document)
    if names.join is None:
        raise SupergraphError("the supergraph does not link the join spec (join v0.3-v0.5)")
    schema = build_ast_schema(document, assume_valid=True, assume_valid_sdl=True)
    reader = _JoinReader(names, document)
    return Supergraph(
        sdl=sdl,
        schema=schema,
        api_schema=build_api_schema(document, names),
        urls=reader.urls,
        types=reader.types,
        fields=reader.fields,
        implementations=reader.implementations,
        union_members=reader.union_members,
    )


class _JoinReader:
    def __init__(self, names: LinkedNames, document: DocumentNode) -> None:
        self.names = names
        self.urls: dict[str, str] = {}
        self.graph_names: dict[str, str] = {}
        self.types: dict[str, dict[str, TypeInGraph]] = {}
        self.fields: dict[tuple[str, str], dict[str, FieldInGraph]] = {}
        self.implementations: dict[tuple[str, str], set[str]] = {}
        self.union_members: dict[tuple[str, str], set[str]] = {}
        definitions = [
            d
            for d in document.definitions
            if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
            and not isinstance(d, SchemaDefinitionNode)
        ]
        for definition in definitions:
            if isinstance(definition, EnumTypeDefinitionNode):
                self._read_graphs(definition)
        for definition in definitions:
            self._read_type(definition)

    def _directives(self, node: Any, name: str) -> list[dict[str, Any]]:
        return [_arguments(d) for d in node.directives or () if d.name.value == name]

    def _read_graphs(self, definition: EnumTypeDefinitionNode) -> None:
        for value in definition.values or ():
            for args in self._directives(value, self.names.join_directive("graph")):
                self.graph_names[value.name.value] = args["name"]
                self.urls[args["name"]] = args["url"]

    def _graph(self, enum_value: str) -> str:
        return self.graph_names.get(enum_value, enum_value.lower())

    def _read_type(self, definition: Any) -> None:
        type_name = definition.name.value
        in_graphs = self.types.setdefault(type_name, {})
        for args in self._directives(definition, self.names.join_directive("type")):
            graph = self._graph(args["graph"])
            entry = in_graphs.setdefault(graph, TypeInGraph(graph))
            entry.extension = entry.extension or bool(args.get("extension", False))
            entry.interface_object = entry.interface_object or bool(
                args.get("isInterfaceObject", False)
            )
            if args.get("key"):
                entry.keys.append(
                    Key(field_set(args["key"]), args["key"], bool(args.get("resolvable", True)))
                )
        for args in self._directives(definition, self.names.join_directive("implements")):
            key = (args["interface"], self._graph(args["graph"]))
            self.implementations.setdefault(key, set()).add(type_name)
        for args in self._directives(definition, self.names.join_directive("unionMember")):
            key = (type_name, self._graph(args["graph"]))
            self.union_members.setdefault(key, set()).add(args["member"])
        for field_node in getattr(definition, "fields", None) or ():
            field_args = self._directives(field_node, self.names.join_directive("field"))
            with_graph = [a for a in field_args if a.get("graph")]
            if not field_args:
                continue
            per_graph = self.fields.setdefault((type_name, field_node.name.value), {})
            for args in with_graph:
                graph = self._graph(args["graph"])
                per_graph[graph] = FieldInGraph(
                    graph=graph,
                    external=bool(args.get("external", False)),
                    used_overridden=bool(args.get("usedOverridden", False)),
                    requires=field_set(args["requires"]) if args.get("requires") else None,
                    provides=field_set(args["provides"]) if args.get("provides") else None,
                    type=args.get("type"),
                )
