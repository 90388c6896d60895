"""What every part of the planner shares: the supergraph, the fetches made so far, and
questions about types."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
)

from gateway.plan import Fetch, MergePath
from gateway.planner.position import PlanningError, Position
from gateway.supergraph import Supergraph


class PlannerBase:
    def __init__(
        self,
        supergraph: Supergraph,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.operation = operation
        self.fragments = fragments
        self.fetches: list[Fetch] = []
        self.by_key: dict[tuple[str, MergePath, frozenset[int], bool], Fetch] = {}
        self.origins: dict[int, Position] = {}
        self.jump_depth = 0
        self.keys_sought: set[tuple[int, MergePath, str, str]] = set()

    def _new_fetch(
        self, graph: str, path: MergePath, depends_on: frozenset[int], entity: bool
    ) -> Fetch:
        fetch = Fetch(len(self.fetches), graph, path, entity, depends_on)
        self.fetches.append(fetch)
        self.by_key[(graph, path, depends_on, entity)] = fetch
        return fetch

    def _fetch(
        self, graph: str, path: MergePath, depends_on: frozenset[int], entity: bool
    ) -> Fetch:
        found = self.by_key.get((graph, path, depends_on, entity))
        if found is not None:
            return found
        return self._new_fetch(graph, path, depends_on, entity)

    def _as_inline(self, selection: SelectionNode) -> InlineFragmentNode:
        if isinstance(selection, InlineFragmentNode):
            return selection
        assert isinstance(selection, FragmentSpreadNode)
        definition = self.fragments[selection.name.value]
        return InlineFragmentNode(
            type_condition=definition.type_condition,
            directives=selection.directives,
            selection_set=definition.selection_set,
        )

    def _field_def(self, type_name: str, field_name: str) -> GraphQLField:
        found = self.schema.get_type(type_name)
        if not isinstance(found, GraphQLObjectType | GraphQLInterfaceType):
            raise PlanningError(f"{type_name} has no fields")
        field: GraphQLField = found.fields[field_name]
        return field

    def _is_abstract(self, type_name: str) -> bool:
        return is_abstract_type(self.schema.get_type(type_name))

    def _interfaces_of(self, type_name: str) -> list[str]:
        found = self.schema.get_type(type_name)
        if isinstance(found, GraphQLObjectType):
            return [i.name for i in found.interfaces]
        return []

    def _is_entity(self, type_name: str) -> bool:
        return any(t.keys for t in self.supergraph.graphs_of_type(type_name).values())

    def _named_type_of(self, type_name: str, field_name: str) -> str:
        return get_named_type(self._field_def(type_name, field_name).type).name

    def _available(self, type_name: str, selections: SelectionSetNode, graph: str) -> bool:
        for selection in selections.selections:
            if not isinstance(selection, FieldNode):
                continue
            name = selection.name.value
            if name == "__typename":
                continue
            if not self.supergraph.can_resolve(type_name, name, graph):
                return False
            if selection.selection_set is not None:
                named = get_named_type(self._field_def(type_name, name).type)
                if not self._available(named.name, selection.selection_set, graph):
                    return False
        return True

    # implemented by the selection and jump planners ------------------------------------

    def _add_selections(self, position: Position, selections: Iterable[SelectionNode]) -> set[int]:
        raise NotImplementedError

    def _add_field(self, position: Position, node: FieldNode) -> set[int]:
        raise NotImplementedError

    def _jump(self, position: Position, node: FieldNode, only: list[str] | None = None) -> set[int]:
        raise NotImplementedError
