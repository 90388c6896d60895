"""Shapes the merged subgraph data into the client's response: fragments, skip/include,
introspection and GraphQL null propagation, by executing the client's operation over it."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    GraphQLAbstractType,
    GraphQLResolveInfo,
    GraphQLSchema,
    execute_sync,
)

JSON = dict[str, Any]


def _field(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
    if isinstance(source, dict):
        return source.get(info.path.key)
    return None


def _type(value: Any, info: GraphQLResolveInfo[Any], abstract: GraphQLAbstractType) -> str | None:
    if isinstance(value, dict):
        typename = value.get("__typename")
        if isinstance(typename, str):
            return typename
    return None


def shape_response(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: JSON,
    data: JSON,
    subgraph_errors: list[JSON],
) -> JSON:
    result = execute_sync(
        schema,
        document,
        root_value=data,
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=_field,
        type_resolver=_type,
    )
    errors = list(subgraph_errors)
    reported = [tuple(e.get("path") or ()) for e in subgraph_errors]
    for error in result.errors or ():
        path = tuple(error.path or ())
        if any(path[: len(p)] == p or p[: len(path)] == path for p in reported if p):
            continue
        formatted: JSON = {"message": error.message}
        if error.path:
            formatted["path"] = error.path
        formatted["extensions"] = error.extensions or {}
        errors.append(formatted)
    response: JSON = {}
    if errors:
        response["errors"] = errors
    response["data"] = result.data
    return response
