"""Shapes the merged subgraph data into the client's response: the client's fields in the
client's order, fragments by runtime type, @skip/@include, and GraphQL null propagation.

Field collection is compiled once per operation, runtime type and @skip/@include values;
operations that introspect the schema are executed by graphql-core over the data instead."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Visitor,
    get_nullable_type,
    visit,
)
from graphql.execution.values import VariableValues, get_directive_values
from graphql.type import GraphQLIncludeDirective, GraphQLSkipDirective, specified_scalar_types

from gateway.introspection import execute_over_data, introspects

JSON = dict[str, Any]
_INVALID = object()

# How to complete a value of a type, unwrapped once: (kind, inner shape or named type).
_LEAF, _OBJECT, _ABSTRACT, _LIST, _NON_NULL, _ENUM, _SCALAR = range(7)
Shape = tuple[int, Any]
# (response key, shape — None for __typename, sub-selections, the Python type a value of it
# is returned as it came, when the field is a String, ID or Boolean, and when it is a list of
# non-null objects, the most common list: their type and whether the list is non-null)
ObjectList = tuple[GraphQLObjectType, bool]
CompiledField = tuple[
    str, Shape | None, tuple[SelectionSetNode, ...], type | None, ObjectList | None
]
_AS_IT_CAME: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}
# A path is built only when an error needs it: (parent path, key), None at the root.
LazyPath = tuple[Any, Any] | None


def _shape_of(type_: GraphQLOutputType) -> Shape:
    if isinstance(type_, GraphQLNonNull):
        return (_NON_NULL, _shape_of(type_.of_type))
    if isinstance(type_, GraphQLList):
        return (_LIST, _shape_of(type_.of_type))
    if isinstance(type_, GraphQLObjectType):
        return (_OBJECT, type_)
    if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
        return (_ABSTRACT, type_)
    if isinstance(type_, GraphQLEnumType):
        return (_ENUM, frozenset(type_.values))
    if isinstance(type_, GraphQLScalarType) and type_.name in specified_scalar_types:
        return (_SCALAR, type_.serialize)
    return (_LEAF, None)


def _object_list(shape: Shape) -> ObjectList | None:
    """The type of the objects of a list of non-null objects, and whether the list itself is
    non-null; None for any other shape."""
    non_null = shape[0] == _NON_NULL
    listed = shape[1] if non_null else shape
    if listed[0] != _LIST or listed[1][0] != _NON_NULL or listed[1][1][0] != _OBJECT:
        return None
    return (listed[1][1][1], non_null)


def _materialize(path: LazyPath) -> list[Any]:
    keys: list[Any] = []
    while path is not None:
        path, key = path
        keys.append(key)
    keys.reverse()
    return keys


class ResponseShaper:
    """Shapes responses for one operation of one document."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        self.schema = schema
        self.document = document
        self.operation = operation
        self.fragments = fragments
        self.introspects = introspects(operation.selection_set, fragments)
        self.conditions = _condition_variables(document)
        self.compiled: dict[tuple[Any, ...], dict[tuple[str, int], list[CompiledField]]] = {}

    def shape(self, variables: VariableValues, data: JSON, subgraph_errors: list[JSON]) -> JSON:
        if self.introspects:
            return execute_over_data(self, variables, data, subgraph_errors)
        signature = tuple(variables.coerced.get(name) for name in self.conditions)
        cache = self.compiled.get(signature)
        if cache is None:
            if len(self.compiled) >= 64:
                self.compiled.clear()
            cache = self.compiled[signature] = {}
        run = _Completion(self, variables, cache, subgraph_errors)
        root = self.schema.get_root_type(self.operation.operation)
        assert root is not None
        result = run.object(root, (self.operation.selection_set,), data, None)
        response: JSON = {}
        if subgraph_errors:
            response["errors"] = subgraph_errors
        response["data"] = None if result is _INVALID else result
        if run.errors:
            # As @apollo/gateway does: data the subgraphs sent that does not fit the schema
            # is nulled and reported here, not as errors of the operation.
            response["extensions"] = {"valueCompletion": run.errors}
        return response


class _Completion:
    def __init__(
        self,
        shaper: ResponseShaper,
        variables: VariableValues,
        cache: dict[tuple[str, int], list[CompiledField]],
        subgraph_errors: list[JSON],
    ) -> None:
        self.shaper = shaper
        self.schema = shaper.schema
        self.variables = variables
        self.cache = cache
        self.errors: list[JSON] = []
        self.reported = [tuple(e["path"]) for e in subgraph_errors if e.get("path")]

    def object(
        self,
        type_: GraphQLObjectType | GraphQLInterfaceType,
        selection_sets: tuple[SelectionSetNode, ...],
        value: JSON,
        path: LazyPath,
    ) -> Any:
        key = (type_.name, id(selection_sets) if len(selection_sets) > 1 else id(selection_sets[0]))
        fields = self.cache.get(key)
        if fields is None:
            fields = self.cache[key] = self._collect(type_, selection_sets)
        result: JSON = {}
        for response_key, shape, children, as_it_came, object_list in fields:
            found = value.get(response_key)
            if as_it_came is not None and type(found) is as_it_came:
                result[response_key] = found
                continue
            if object_list is not None and isinstance(found, list):
                # as `value` would complete it, two calls fewer a list
                where = (path, response_key)
                objects = self._objects(object_list[0], children, found, where)
                if objects is None and object_list[1]:
                    self._null_error(where)
                    return _INVALID
                result[response_key] = objects
                continue
            if shape is None:
                if not isinstance(type_, GraphQLObjectType):
                    # The interface's own name, from an @interfaceObject subgraph whose
                    # object no other subgraph knows: no type to give (as @apollo/gateway).
                    self._null_error((path, response_key))
                    return _INVALID
                result[response_key] = type_.name
                continue
            kind = shape[0]
            if kind == _LEAF or (kind == _NON_NULL and found is not None and shape[1][0] == _LEAF):
                result[response_key] = found
                continue
            completed = self.value(shape, children, found, path, response_key)
            if completed is _INVALID:
                return _INVALID
            result[response_key] = completed
        return result

    def value(
        self,
        shape: Shape,
        children: tuple[SelectionSetNode, ...],
        value: Any,
        parent: LazyPath,
        key: Any,
    ) -> Any:
        kind, inner = shape
        if kind == _NON_NULL:
            completed = (
                value if inner[0] == _LEAF else self.value(inner, children, value, parent, key)
            )
            if completed is None:
                self._null_error((parent, key))
                return _INVALID
            return completed
        if value is None or kind == _LEAF:
            return value
        if kind == _SCALAR:
            try:
                return inner(value)
            except (GraphQLError, TypeError, ValueError):
                self._invalid_value((parent, key))
                return None
        if kind == _ENUM:
            if isinstance(value, str) and value in inner:
                return value
            self._invalid_value((parent, key))
            return None
        if kind == _LIST:
            if not isinstance(value, list):
                return None
            path = (parent, key)
            if inner[0] == _LEAF:
                return value
            if inner[0] == _NON_NULL and inner[1][0] == _OBJECT:
                return self._objects(inner[1][1], children, value, path)
            items = []
            for index, item in enumerate(value):
                completed = self.value(inner, children, item, path, index)
                if completed is _INVALID:
                    return None
                items.append(completed)
            return items
        if not isinstance(value, dict):
            return None
        runtime = inner if kind == _OBJECT else self._runtime_type(inner, value, (parent, key))
        if runtime is None:
            return None
        completed = self.object(runtime, children, value, (parent, key))
        return None if completed is _INVALID else completed

    def _objects(
        self,
        type_: GraphQLObjectType,
        children: tuple[SelectionSetNode, ...],
        value: list[Any],
        path: LazyPath,
    ) -> list[Any] | None:
        """A list of non-null objects, the most common list: as `value` would complete it,
        two calls fewer an item."""
        items = []
        for index, item in enumerate(value):
            where = (path, index)
            completed = (
                self.object(type_, children, item, where) if isinstance(item, dict) else _INVALID
            )
            if completed is _INVALID:
                self._null_error(where)
                return None
            items.append(completed)
        return items

    def _runtime_type(
        self, abstract: GraphQLAbstractType, value: JSON, path: LazyPath
    ) -> GraphQLObjectType | GraphQLInterfaceType | None:
        found = self.schema.get_type(str(value.get("__typename")))
        if isinstance(found, GraphQLObjectType) and self.schema.is_sub_type(abstract, found):
            return found
        if found is abstract and isinstance(found, GraphQLInterfaceType):
            # An @interfaceObject's entity no subgraph knowing the interface resolved: its
            # fields of the interface itself still apply (as @apollo/gateway answers).
            return found
        self.errors.append(
            {
                "message": f"Abstract type '{abstract.name}' must resolve to an object type at "
                f"runtime; got {value.get('__typename')!r}.",
                "path": _materialize(path),
                "extensions": {"code": "INVALID_GRAPHQL"},
            }
        )
        return None

    def _invalid_value(self, lazy: LazyPath) -> None:
        path = _materialize(lazy)
        where = ".".join(str(p) for p in path)
        self.errors.append(
            {
                "message": f"Invalid value found for field at {where}.",
                "path": path,
                "extensions": {"code": "INVALID_GRAPHQL"},
            }
        )

    def _null_error(self, lazy: LazyPath) -> None:
        path = tuple(_materialize(lazy))
        for reported in self.reported:
            if reported[: len(path)] == path or path[: len(reported)] == reported:
                return
        self.reported.append(path)
        where = ".".join(str(p) for p in path)
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field at {where}.",
                "path": list(path),
                "extensions": {"code": "INVALID_GRAPHQL"},
            }
        )

    def _collect(
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
                fragment = self.shaper.fragments.get(name)
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


def _condition_variables(document: DocumentNode) -> tuple[str, ...]:
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
