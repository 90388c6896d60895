"""Adds an operation's fields to the fetches of the subgraphs that resolve them."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    FieldNode,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.plan import INTERNAL_ALIAS
from gateway.planner.base import PlannerBase
from gateway.planner.position import (
    PlanningError,
    Position,
    at_type,
    copy_field_set,
    internal_to,
    provided_field,
)


class SelectionPlanner(PlannerBase):
    def _add_selections(self, position: Position, selections: Iterable[SelectionNode]) -> set[int]:
        """Adds the selections at `position`; returns the ids of every fetch they use."""
        touched: set[int] = {position.fetch.id}
        for selection in selections:
            if isinstance(selection, FieldNode):
                touched |= self._add_field(position, selection)
            else:
                touched |= self._add_fragment(position, self._as_inline(selection))
        return touched

    def _add_fragment(self, position: Position, fragment: InlineFragmentNode) -> set[int]:
        condition = fragment.type_condition.name.value if fragment.type_condition else None
        directives = tuple(fragment.directives or ())
        children = fragment.selection_set.selections
        type_name = position.type_name
        if condition is None or condition == type_name:
            target = (
                position.target.add_fragment(None, directives) if directives else position.target
            )
            return self._add_selections(at_type(position, target, type_name), children)
        wanted = self.supergraph.possible_type_names(condition)
        if not self._is_abstract(type_name):
            if type_name not in wanted:
                return set()
            target = (
                position.target.add_fragment(None, directives) if directives else position.target
            )
            return self._add_selections(at_type(position, target, type_name), children)
        graph = position.fetch.graph
        here = self.supergraph.possible_types_in(type_name, graph)
        overlap = here & wanted
        if not overlap:
            return set()
        in_graph = self.supergraph.type_in(condition, graph)
        known_here = in_graph is not None and not in_graph.interface_object
        if known_here and overlap <= self.supergraph.possible_types_in(condition, graph):
            target = position.target.add_fragment(condition, directives)
            return self._add_selections(at_type(position, target, condition), children)
        touched: set[int] = set()
        for runtime in sorted(overlap):
            target = position.target.add_fragment(runtime, directives)
            touched |= self._add_selections(at_type(position, target, runtime), children)
        return touched

    def _add_field(self, position: Position, node: FieldNode) -> set[int]:
        name = node.name.value
        type_name = position.type_name
        if name == "__typename":
            position.target.add_field(node, composite=False)
            return set()
        field_def = self._field_def(type_name, name)
        graph = position.fetch.graph
        if self._resolvable_here(position, name):
            return self._add_local_field(position, node, field_def.type)
        if self._is_abstract(type_name):
            if self.supergraph.interface_object_graphs(type_name, name):
                return self._jump(position, node)
            touched: set[int] = set()
            for runtime in sorted(self.supergraph.possible_types_in(type_name, graph)):
                target = position.target.add_fragment(runtime)
                touched |= self._add_field(at_type(position, target, runtime), node)
            return touched
        return self._jump(position, node)

    def _resolvable_here(self, position: Position, name: str) -> bool:
        supergraph = self.supergraph
        fetch = position.fetch
        type_name = position.type_name
        if self._is_abstract(type_name) and not self._is_interface_object_in(
            type_name, fetch.graph
        ):
            # An interface's field is this subgraph's only if every implementation it can
            # return resolves it here (not @external, not @override-n away, no @requires).
            runtimes = supergraph.possible_types_in(type_name, fetch.graph) - {type_name}
            if not all(
                self._resolvable_here(at_type(position, position.target, r), name) for r in runtimes
            ):
                return False
        found = supergraph.field_in(type_name, name, fetch.graph)
        if found is None or found.external or found.used_overridden:
            return provided_field(position.provided, name) is not None
        if found.requires is None:
            return True
        return fetch.entity and (type_name, name) in fetch.satisfied_requires

    def _typed_otherwise_here(
        self, position: Position, name: str, field_type: GraphQLOutputType
    ) -> bool:
        in_graph = self.supergraph.field_in(position.type_name, name, position.fetch.graph)
        return (
            in_graph is not None and in_graph.type is not None and in_graph.type != str(field_type)
        )

    def _is_interface_object_in(self, type_name: str, graph: str) -> bool:
        in_graph = self.supergraph.type_in(type_name, graph)
        return in_graph is not None and in_graph.interface_object

    def _add_local_field(
        self, position: Position, node: FieldNode, field_type: GraphQLOutputType
    ) -> set[int]:
        named = get_named_type(field_type)
        composite = is_composite_type(named)
        if position.internal:
            selection = position.target.add_internal_field(node, composite)
        elif self._typed_otherwise_here(position, node.name.value, field_type):
            # Siblings of another type may select the same name with the subgraph's other
            # type for it, which the subgraph would refuse as a conflict: ask under an alias.
            alias = f"{INTERNAL_ALIAS}{position.type_name}_{(node.alias or node.name).value}"
            selection = position.target.add_renamed_field(node, composite, alias)
            position.fetch.renames = True
        else:
            selection = position.target.add_field(node, composite)
        if not composite or node.selection_set is None:
            return set()
        assert selection.children is not None
        provider = provided_field(position.provided, node.name.value)
        provided = provider.selection_set if provider is not None else None
        in_graph = self.supergraph.field_in(
            position.type_name, node.name.value, position.fetch.graph
        )
        if in_graph is not None and in_graph.provides is not None:
            provided = in_graph.provides
        if is_abstract_type(named):
            selection.children.add_typename()
        response_key = (selection.node.alias or selection.node.name).value
        child = Position(
            position.fetch,
            selection.children,
            named.name,
            (*position.path, response_key),
            provided,
            position.internal,
            position,
            node,
        )
        in_graph_type = self.supergraph.type_in(named.name, position.fetch.graph)
        if is_abstract_type(named) and in_graph_type is not None and in_graph_type.interface_object:
            return self._add_on_interface_object(child, node.selection_set.selections)
        return self._add_selections(child, node.selection_set.selections)

    def _add_on_interface_object(
        self, position: Position, selections: Iterable[SelectionNode]
    ) -> set[int]:
        """The subgraph knows this interface only as an object (@interfaceObject): the real
        type of each object comes from a subgraph that knows the interface, which also
        resolves everything this one cannot."""
        interface = position.type_name
        owner = self._interface_owner(interface, position.fetch.graph)
        if owner is None:
            raise PlanningError(f"no subgraph resolves the implementations of {interface}")
        graph, key = owner
        position.target.add_typename()
        touched = self._add_selections(internal_to(position), key.selections)
        resolver = self._fetch(graph, position.path, frozenset(touched), entity=True)
        copy_field_set(resolver.representation_for(interface), key)
        target = resolver.fragment_for(interface)
        target.add_typename()
        there = Position(resolver, target, interface, position.path)
        for selection in selections:
            if isinstance(selection, FieldNode) and (
                selection.name.value == "__typename"
                or self._resolvable_here(position, selection.name.value)
            ):
                touched |= self._add_field(position, selection)
            else:
                touched |= self._add_selections(there, [selection])
        return touched | {resolver.id}

    def _interface_owner(self, interface: str, graph: str) -> tuple[str, SelectionSetNode] | None:
        for candidate, type_in in self.supergraph.graphs_of_type(interface).items():
            if type_in.interface_object:
                continue
            for key in type_in.keys:
                if key.resolvable and self._available(interface, key.selection, graph):
                    return candidate, key.selection
        return None
