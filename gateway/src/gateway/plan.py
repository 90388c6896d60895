"""A query plan: the fetches to make, what each selects, and what each waits for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    parse_type,
    print_ast,
    visit,
)


@dataclass(eq=False)
class FieldSelection:
    node: FieldNode
    children: Selections | None = None
    internal: bool = False  # added by the gateway (a key, a requirement), not by the client
    restore_as: str | None = None  # the client's response key, where the subgraph's differs
    # In a representation: the field its value comes from, and (once planned) its response key.
    source: FieldSelection | None = None
    source_key: str | None = None


@dataclass(eq=False)
class FragmentSelection:
    type_condition: str | None
    directives: tuple[DirectiveNode, ...]
    children: Selections


@dataclass(eq=False)
class Selections:
    """An ordered selection set under construction; equal fields and fragments are merged."""

    items: dict[str, FieldSelection | FragmentSelection] = field(default_factory=dict)

    def add_field(self, node: FieldNode, composite: bool) -> FieldSelection:
        key = _field_key(node)
        found = self.items.get(key)
        if isinstance(found, FieldSelection) and found.internal and _differs(found.node, node):
            # The gateway took this name first for a requirement with other arguments: the
            # requirement moves to an alias of its own, the client keeps its name.
            self._move_to_alias(key, found)
            found = None
        if not isinstance(found, FieldSelection):
            found = FieldSelection(node, Selections() if composite else None)
            self.items[key] = found
        return found

    def _move_to_alias(self, key: str, found: FieldSelection) -> None:
        del self.items[key]
        found.node = FieldNode(
            alias=NameNode(value=INTERNAL_ALIAS + found.node.name.value),
            name=found.node.name,
            arguments=found.node.arguments,
            directives=(),
        )
        self.items[_field_key(found.node)] = found

    def add_internal_field(self, node: FieldNode, composite: bool) -> FieldSelection:
        """Adds a field the gateway needs (a key, a requirement) under an alias of its own
        when the client already uses its name as a response key for something else."""
        name = node.name.value
        for item in self.items.values():
            if (
                isinstance(item, FieldSelection)
                and (item.node.alias or item.node.name).value == name
                and _differs(item.node, node)
            ):
                node = FieldNode(
                    alias=NameNode(value=INTERNAL_ALIAS + name),
                    name=node.name,
                    arguments=node.arguments,
                    directives=(),
                )
                break
        found = self.add_field(node, composite)
        if found.node is node:
            found.internal = True
        return found

    def add_renamed_field(self, node: FieldNode, composite: bool, alias: str) -> FieldSelection:
        """Adds a client's field under an alias of the gateway's, its answer put back under
        the client's response key when it arrives."""
        renamed = FieldNode(
            alias=NameNode(value=alias),
            name=node.name,
            arguments=node.arguments,
            directives=node.directives,
        )
        found = self.add_field(renamed, composite)
        found.restore_as = (node.alias or node.name).value
        return found

    def fragment(self, type_condition: str | None) -> Selections | None:
        found = self.items.get("..." + (type_condition or ""))
        return found.children if isinstance(found, FragmentSelection) else None

    def find_field(self, node: FieldNode) -> FieldSelection | None:
        """The field selected here with the name and arguments of `node`, under any key."""
        for item in self.items.values():
            if isinstance(item, FieldSelection) and not _differs(item.node, node):
                return item
        return None

    def conflicts_with(self, node: FieldNode) -> bool:
        """Whether `node`'s name is already selected here with other arguments."""
        found = self.items.get(_field_key(node))
        return isinstance(found, FieldSelection) and _differs(found.node, node)

    def add_typename(self) -> None:
        self.add_field(_TYPENAME, composite=False)

    def add_fragment(
        self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()
    ) -> Selections:
        key = "..." + (type_condition or "") + "".join(print_ast(d) for d in directives)
        found = self.items.get(key)
        if not isinstance(found, FragmentSelection):
            found = FragmentSelection(type_condition, directives, Selections())
            self.items[key] = found
        return found.children

    def to_ast(self) -> SelectionSetNode:
        nodes: list[SelectionNode] = []
        for item in self.items.values():
            if isinstance(item, FieldSelection):
                children = item.children.to_ast() if item.children is not None else None
                nodes.append(
                    FieldNode(
                        alias=item.node.alias,
                        name=item.node.name,
                        arguments=item.node.arguments,
                        directives=item.node.directives,
                        selection_set=children,
                    )
                )
            elif item.children.items:
                condition = item.type_condition
                nodes.append(
                    InlineFragmentNode(
                        type_condition=NamedTypeNode(name=NameNode(value=condition))
                        if condition
                        else None,
                        directives=item.directives,
                        selection_set=item.children.to_ast(),
                    )
                )
        return SelectionSetNode(selections=tuple(nodes))


def _differs(one: FieldNode, other: FieldNode) -> bool:
    if one.name.value != other.name.value:
        return True
    if not one.arguments and not other.arguments:
        return False
    return [print_ast(a) for a in one.arguments or ()] != [
        print_ast(a) for a in other.arguments or ()
    ]


def _field_key(node: FieldNode) -> str:
    key = (node.alias or node.name).value
    if node.directives:
        key += "".join(print_ast(d) for d in node.directives)
    return key


INTERNAL_ALIAS = "_gateway_"

_TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())

MergePath = tuple[str, ...]


@dataclass(eq=False)
class Fetch:
    """One request to one subgraph: root fields, or `_entities` at `merge_path`."""

    id: int
    graph: str
    merge_path: MergePath
    entity: bool
    depends_on: frozenset[int]
    operation_type: OperationType = OperationType.QUERY
    selections: Selections = field(default_factory=Selections)
    representations: dict[str, Selections] = field(default_factory=dict)
    satisfied_requires: set[tuple[str, str]] = field(default_factory=set)
    send_typename: dict[str, str] = field(default_factory=dict)
    renames: bool = False  # some field is asked under an alias to be put back (restore_as)
    document: str = ""
    variable_names: tuple[str, ...] = ()

    def fragment_for(self, type_name: str) -> Selections:
        return self.selections.add_fragment(type_name)

    def representation_for(self, type_name: str) -> Selections:
        found = self.representations.get(type_name)
        if found is None:
            found = self.representations[type_name] = Selections()
            found.add_typename()
        return found

    def finalize(self, variable_definitions: dict[str, VariableDefinitionNode]) -> None:
        for representation in self.representations.values():
            _note_source_keys(representation)
        selection_set = self.selections.to_ast()
        if self.entity:
            selection_set = SelectionSetNode(
                selections=(
                    FieldNode(
                        name=NameNode(value="_entities"),
                        arguments=(
                            ArgumentNode(
                                name=NameNode(value="representations"),
                                value=VariableNode(name=NameNode(value="representations")),
                            ),
                        ),
                        directives=(),
                        selection_set=selection_set,
                    ),
                )
            )
        used = sorted(_variables_in(selection_set))
        definitions = [variable_definitions[name] for name in used if name in variable_definitions]
        if self.entity:
            definitions.insert(
                0,
                VariableDefinitionNode(
                    variable=VariableNode(name=NameNode(value="representations")),
                    type=parse_type("[_Any!]!"),
                    directives=(),
                ),
            )
        self.variable_names = tuple(n for n in used if n != "representations")
        operation = OperationDefinitionNode(
            operation=self.operation_type,
            variable_definitions=tuple(definitions),
            directives=(),
            selection_set=selection_set,
        )
        self.document = print_ast(operation)

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "Fetch",
            "id": self.id,
            "serviceName": self.graph,
            "mergePath": "/".join(self.merge_path) or None,
            "dependsOn": sorted(self.depends_on),
            "operation": self.document,
        }


def _note_source_keys(representation: Selections) -> None:
    """A requirement may have moved to an alias after it was copied: read where it is now."""
    for item in representation.items.values():
        if isinstance(item, FieldSelection):
            if item.source is not None:
                item.source_key = (item.source.node.alias or item.source.node.name).value
            if item.children is not None:
                _note_source_keys(item.children)
        else:
            _note_source_keys(item.children)


def _variables_in(node: Any) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_variable(self, variable: VariableNode, *_: Any) -> None:
            names.add(variable.name.value)

    visit(node, Collect())
    return names


@dataclass
class QueryPlan:
    fetches: list[Fetch]
    operation_type: OperationType

    def describe(self) -> dict[str, Any]:
        return {"kind": "QueryPlan", "fetches": [f.describe() for f in self.fetches]}
