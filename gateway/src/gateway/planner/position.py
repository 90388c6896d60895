"""Where the planner stands while it walks an operation, and small helpers on field sets."""

from __future__ import annotations

from dataclasses import dataclass, replace

from graphql import (
    FieldNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from gateway.plan import Fetch, MergePath, Selections


class PlanningError(Exception):
    """The operation cannot be resolved by the subgraphs."""


@dataclass
class Position:
    """Where the planner stands: inside `fetch`, adding to `target`, on an object of `type_name`."""

    fetch: Fetch
    target: Selections
    type_name: str
    path: MergePath
    provided: SelectionSetNode | None = None
    internal: bool = False
    parent: Position | None = None
    via: FieldNode | None = None


def at_type(position: Position, target: Selections, type_name: str) -> Position:
    return replace(position, target=target, type_name=type_name)


def internal_to(position: Position) -> Position:
    return replace(position, provided=None, internal=True)


def provided_field(provided: SelectionSetNode | None, name: str) -> FieldNode | None:
    if provided is None:
        return None
    for selection in provided.selections:
        if isinstance(selection, FieldNode) and selection.name.value == name:
            return selection
        if isinstance(selection, InlineFragmentNode):
            found = provided_field(selection.selection_set, name)
            if found is not None:
                return found
    return None


def copy_field_set(target: Selections, selections: SelectionSetNode) -> None:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            item = target.add_field(selection, composite=selection.selection_set is not None)
            if selection.selection_set is not None and item.children is not None:
                copy_field_set(item.children, selection.selection_set)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            copy_field_set(target.add_fragment(condition), selection.selection_set)
