"""Operation limits checked before anything is fetched: depth, aliases and root fields."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


@dataclass(frozen=True)
class OperationLimits:
    max_depth: int = 15
    max_aliases: int = 30
    max_root_fields: int = 20
    max_tokens: int = 5000


class LimitExceeded(Exception):
    """The operation is over one of the configured limits."""


def check_limits(
    limits: OperationLimits,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> None:
    measure = _Measure(fragments)
    root_fields = measure.fields_at_root(operation.selection_set)
    if root_fields > limits.max_root_fields:
        raise LimitExceeded(
            f"the operation selects {root_fields} root fields; "
            f"the limit is {limits.max_root_fields}"
        )
    depth = measure.depth(operation.selection_set, set())
    if depth > limits.max_depth:
        raise LimitExceeded(
            f"the operation is {depth} levels deep; the limit is {limits.max_depth}"
        )
    if measure.aliases > limits.max_aliases:
        raise LimitExceeded(
            f"the operation uses {measure.aliases} aliases; the limit is {limits.max_aliases}"
        )


class _Measure:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.aliases = 0

    def fields_at_root(self, selection_set: SelectionSetNode) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1
            elif isinstance(selection, InlineFragmentNode):
                count += self.fields_at_root(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    count += self.fields_at_root(fragment.selection_set)
        return count

    def depth(self, selection_set: SelectionSetNode, visiting: set[str]) -> int:
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    self.aliases += 1
                below = (
                    self.depth(selection.selection_set, visiting) if selection.selection_set else 0
                )
                deepest = max(deepest, 1 + below)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set, visiting))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in visiting:
                    deepest = max(deepest, self.depth(fragment.selection_set, visiting | {name}))
        return deepest
