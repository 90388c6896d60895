"""Shapes the merged subgraph data into the client's response: the client's fields in the
client's order, fragments by runtime type, @skip/@include, and GraphQL null propagation.

Field collection (gateway.field_collection) is compiled once per operation, runtime type and
@skip/@include values; operations that introspect the schema are executed by graphql-core over
the data instead."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues

from gateway.field_collection import (
    ENUM,
    LEAF,
    LIST,
    NON_NULL,
    OBJECT,
    SCALAR,
    CompiledField,
    FieldCollector,
    Shape,
    condition_variables,
)
from gateway.introspection import execute_over_data, introspects

JSON = dict[str, Any]
_INVALID = object()

# A path is built only when an error needs it: (parent path, key), None at the root.
LazyPath = tuple[Any, Any] | None


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
        self.conditions = condition_variables(document)
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
        self.fields = FieldCollector(shaper.schema, shaper.fragments, variables)

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
            fields = self.cache[key] = self.fields.collect(type_, selection_sets)
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
            if kind == LEAF or (kind == NON_NULL and found is not None and shape[1][0] == LEAF):
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
        if kind == NON_NULL:
            completed = (
                value if inner[0] == LEAF else self.value(inner, children, value, parent, key)
            )
            if completed is None:
                self._null_error((parent, key))
                return _INVALID
            return completed
        if value is None or kind == LEAF:
            return value
        if kind == SCALAR:
            try:
                return inner(value)
            except (GraphQLError, TypeError, ValueError):
                self._invalid_value((parent, key))
                return None
        if kind == ENUM:
            if isinstance(value, str) and value in inner:
                return value
            self._invalid_value((parent, key))
            return None
        if kind == LIST:
            if not isinstance(value, list):
                return None
            path = (parent, key)
            if inner[0] == LEAF:
                return value
            if inner[0] == NON_NULL and inner[1][0] == OBJECT:
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
        runtime = inner if kind == OBJECT else self._runtime_type(inner, value, (parent, key))
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
