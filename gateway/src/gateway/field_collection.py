"""Field collection for the response shaper, compiled once per operation, runtime type and
@skip/@include values: the client's fields of a type in the client's order (fragments by type
condition, directives applied, fields of one response key merged), each with how its value is
completed."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
    Visitor,
    get_nullable_type,
    visit,
)
from graphql.execution.values import VariableValues, get_directive_values
from graphql.type import GraphQLIncludeDirective, GraphQLSkipDirective, specified_scalar_types

# How to complete a value of a type, unwrapped once: (kind, inner shape or named type).
LEAF, OBJECT, ABSTRACT, LIST, NON_NULL, ENUM, SCALAR = range(7)
Shape = tuple[int, Any]
# (response key, shape — None for __typename, sub-selections, the Python type a value of it
# is returned as it came, when the field is a String, ID or Boolean, and when it is a list of
# non-null objects, the most common list: their type and whether the list is non-null)
ObjectList = tuple[GraphQLObjectType, bool]
CompiledField = tuple[
    str, Shape | None, tuple[SelectionSetNode, ...], type | None, ObjectList | None
]
_AS_IT_CAME: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}


def _shape_of(type_: GraphQLOutputType) -> Shape:
    if isinstance(type_, GraphQLNonNull):
        return (NON_NULL, _shape_of(type_.of_type))
    if isinstance(type_, GraphQLList):
        return (LIST, _shape_of(type_.of_type))
    if isinstance(type_, GraphQLObjectType):
        return (OBJECT, type_)
    if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
        return (ABSTRACT, type_)
    if isinstance(type_, GraphQLEnumType):
        return (ENUM, frozenset(type_.values))
    if isinstance(type_, GraphQLScalarType) and type_.name in specified_scalar_types:
        return (SCALAR, type_.serialize)
    return (LEAF, None)


def _object_list(shape: Shape) -> ObjectList | None:
    """The type of the objects of a list of non-null objects, and whether the list itself is
    non-null; None for any other shape."""
    non_null = shape[0] == NON_NULL
    listed = shape[1] if non_null else shape
    if listed[0] != LIST or listed[1][0] != NON_NULL or listed[1][1][0] != OBJECT:
        return None
    return (listed[1][1][1], non_null)


class FieldCollector:
    """The fields of a type under selection sets, for one operation's fragments and variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def collect(
        self,
        type_: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
    ) -> list[CompiledField]:
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect_into(type_, selection_set, grouped, set())
        fields: list[CompiledField] = []
        for response_key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                fields.append((response_key, None, (), None, None))
                continue
            definition = type_.fields[name]
            children = tuple(n.selection_set for n in nodes if n.selection_set is not None)
            named = get_nullable_type(definition.type)
            as_it_came = (
                _AS_IT_CAME.get(named.name)
                if isinstance(named, GraphQLScalarType) and named.name in specified_scalar_types
                else None
            )
            shape = _shape_of(definition.type)
            fields.append((response_key, shape, children, as_it_came, _object_list(shape)))
        return fields

    def _collect_into(
        self,
        type_: GraphQLObjectType | GraphQLInterfaceType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                response_key = (selection.alias or selection.name).value
                grouped.setdefault(response_key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_):
                    self._collect_into(type_, selection.selection_set, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition.name.value, type_):
                    self._collect_into(type_, fragment.selection_set, grouped, visited)

    def _applies(self, condition: str, type_: GraphQLObjectType | GraphQLInterfaceType) -> bool:
        if condition == type_.name:
            return True
        found = self.schema.get_type(condition)
        if isinstance(found, GraphQLInterfaceType | GraphQLUnionType):
            return self.schema.is_sub_type(found, type_)
        return False

    def _included(self, node: Any) -> bool:
        if not node.directives:
            return True
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)


def condition_variables(document: DocumentNode) -> tuple[str, ...]:
    names: list[str] = []

    class Conditions(Visitor):
        def enter_directive(self, node: Any, *_: Any) -> None:
            if node.name.value in ("skip", "include"):
                for argument in node.arguments:
                    variable = getattr(argument.value, "name", None)
                    if variable is not None and variable.value not in names:
                        names.append(variable.value)

    visit(document, Conditions())
    return tuple(names)
