"""Plans an operation: root fields by owning subgraph (mutations one after another), then
everything below them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
)

from gateway.plan import Fetch, QueryPlan
from gateway.planner.jumps import EntityJumps
from gateway.planner.position import PlanningError, Position
from gateway.planner.selections import SelectionPlanner
from gateway.supergraph import Supergraph


class Planner(SelectionPlanner, EntityJumps):
    def plan(self) -> QueryPlan:
        root_type = self.schema.get_root_type(self.operation.operation)
        if root_type is None:
            raise PlanningError(f"the schema has no {self.operation.operation.value} type")
        if self.operation.operation == OperationType.MUTATION:
            self._plan_serial_root(root_type)
        else:
            self._plan_root(root_type, self.operation.selection_set.selections, ())
        variables = {d.variable.name.value: d for d in self.operation.variable_definitions or ()}
        fetches = [f for f in self.fetches if f.selections.items]
        kept = {f.id for f in fetches}
        for fetch in fetches:
            fetch.depends_on = self._through_empty(fetch.depends_on, kept)
            fetch.finalize(variables)
        return QueryPlan(fetches, self.operation.operation)

    def _through_empty(self, depends_on: frozenset[int], kept: set[int]) -> frozenset[int]:
        """Dependencies on fetches left out for selecting nothing pass to what those waited for."""
        found: set[int] = set()
        for fetch_id in depends_on:
            if fetch_id in kept:
                found.add(fetch_id)
            else:
                found |= self._through_empty(self.fetches[fetch_id].depends_on, kept)
        return frozenset(found)

    def _plan_root(
        self,
        root_type: GraphQLObjectType,
        selections: Iterable[SelectionNode],
        wrappers: tuple[InlineFragmentNode, ...],
    ) -> None:
        for selection in selections:
            if isinstance(selection, FieldNode):
                self._plan_root_field(root_type, selection, wrappers, barrier=None)
            else:
                fragment = self._as_inline(selection)
                self._plan_root(root_type, fragment.selection_set.selections, (*wrappers, fragment))

    def _plan_serial_root(self, root_type: GraphQLObjectType) -> None:
        previous: Fetch | None = None
        for selection, wrappers in self._root_fields(self.operation.selection_set.selections, ()):
            if selection.name.value.startswith("__"):
                continue
            graph = self._root_graph(root_type.name, selection, ())
            if previous is None or previous.graph != graph or wrappers:
                barrier = frozenset(f.id for f in self.fetches)
                previous = self._new_fetch(graph, (), barrier, entity=False)
                previous.operation_type = OperationType.MUTATION
            self._add_root_field(previous, root_type, selection, wrappers)
            if wrappers:
                previous = None

    def _root_fields(
        self, selections: Iterable[SelectionNode], wrappers: tuple[InlineFragmentNode, ...]
    ) -> Iterable[tuple[FieldNode, tuple[InlineFragmentNode, ...]]]:
        for selection in selections:
            if isinstance(selection, FieldNode):
                yield selection, wrappers
            else:
                fragment = self._as_inline(selection)
                yield from self._root_fields(
                    fragment.selection_set.selections, (*wrappers, fragment)
                )

    def _plan_root_field(
        self,
        root_type: GraphQLObjectType,
        node: FieldNode,
        wrappers: tuple[InlineFragmentNode, ...],
        barrier: frozenset[int] | None,
    ) -> None:
        if node.name.value.startswith("__"):
            return
        preferred = tuple(f.graph for f in self.fetches if not f.entity and not f.merge_path)
        graph = self._root_graph(root_type.name, node, preferred)
        fetch = self._fetch(graph, (), barrier or frozenset(), entity=False)
        self._add_root_field(fetch, root_type, node, wrappers)

    def _add_root_field(
        self,
        fetch: Fetch,
        root_type: GraphQLObjectType,
        node: FieldNode,
        wrappers: tuple[InlineFragmentNode, ...],
    ) -> None:
        target = fetch.selections
        for wrapper in wrappers:
            if wrapper.directives:
                target = target.add_fragment(None, tuple(wrapper.directives))
        position = Position(fetch, target, root_type.name, ())
        self._add_selections(position, [node])

    def _root_graph(self, type_name: str, node: FieldNode, preferred: Sequence[str]) -> str:
        """A subgraph resolving the root field: one resolving all the field's selection if
        any does (of those, one already asked), else the first."""
        graphs = self.supergraph.resolvers_of(type_name, node.name.value)
        if not graphs:
            raise PlanningError(f"no subgraph resolves {type_name}.{node.name.value}")
        if len(graphs) == 1:
            return graphs[0]
        selections = node.selection_set
        named = self._named_type_of(type_name, node.name.value)

        def rank(graph: str) -> tuple[bool, bool, int]:
            whole = selections is None or self._available(named, selections, graph)
            return (not whole, graph not in preferred, graphs.index(graph))

        return min(graphs, key=rank)


def plan_operation(
    supergraph: Supergraph,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> QueryPlan:
    try:
        return Planner(supergraph, operation, fragments).plan()
    except RecursionError as error:
        raise PlanningError("the planner went round in circles on this operation") from error
