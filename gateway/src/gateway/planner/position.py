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


def copy_field_set(
    target: Selections, selections: SelectionSetNode, source: Selections | None = None
) -> None:
    """Copies a key or requirement into a representation; with `source`, the selections it
    was added to, each field notes the response key its value will be found under."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            item = target.add_field(selection, composite=selection.selection_set is not None)
            found = source.find_field(selection) if source is not None else None
            if found is not None:
                item.source = found
            if selection.selection_set is not None and item.children is not None:
                inner = found.children if found is not None else None
                copy_field_set(item.children, selection.selection_set, inner)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            inner = source.fragment(condition) if source is not None else None
            copy_field_set(target.add_fragment(condition), selection.selection_set, inner)


def conflicts(target: Selections | None, selections: SelectionSetNode) -> bool:
    """Whether a representation already selects a field of `selections` with other arguments."""
    if target is None:
        return False
    return any(
        isinstance(selection, FieldNode) and target.conflicts_with(selection)
        for selection in selections.selections
    )
