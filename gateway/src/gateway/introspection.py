"""Operations that introspect the schema are executed by graphql-core over the merged data,
which answers `__schema` and `__type` from the API schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
    execute_sync,
)
from graphql.execution.values import VariableValues

if TYPE_CHECKING:
    from gateway.response import ResponseShaper

JSON = dict[str, Any]


def introspects(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> bool:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in ("__schema", "__type"):
                return True
        elif isinstance(selection, InlineFragmentNode):
            if introspects(selection.selection_set, fragments):
                return True
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None and introspects(fragment.selection_set, fragments):
                return True
    return False


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


def execute_over_data(
    shaper: ResponseShaper, variables: VariableValues, data: JSON, subgraph_errors: list[JSON]
) -> JSON:
    result = execute_sync(
        shaper.schema,
        shaper.document,
        root_value=data,
        variable_values=variables.coerced,
        operation_name=shaper.operation.name.value if shaper.operation.name else None,
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
