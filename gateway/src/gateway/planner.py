"""Plans an operation: which subgraph resolves each field, and the entity fetches between them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.plan import Fetch, MergePath, QueryPlan, Selections
from gateway.supergraph import Supergraph


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


class Planner:
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
        for fetch in fetches:
            fetch.finalize(variables)
        return QueryPlan(fetches, self.operation.operation)

    # root fields --------------------------------------------------------------------------

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
            graph = self._root_graph(root_type.name, selection.name.value, ())
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
        graph = self._root_graph(root_type.name, node.name.value, preferred)
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

    def _root_graph(self, type_name: str, field_name: str, preferred: Sequence[str]) -> str:
        graphs = self.supergraph.resolvers_of(type_name, field_name)
        if not graphs:
            raise PlanningError(f"no subgraph resolves {type_name}.{field_name}")
        for graph in preferred:
            if graph in graphs:
                return graph
        return graphs[0]

    # fetches ------------------------------------------------------------------------------

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

    # selections ---------------------------------------------------------------------------

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
            return self._add_selections(_at(position, target, type_name), children)
        wanted = self.supergraph.possible_type_names(condition)
        if not self._is_abstract(type_name):
            if type_name not in wanted:
                return set()
            target = (
                position.target.add_fragment(None, directives) if directives else position.target
            )
            return self._add_selections(_at(position, target, type_name), children)
        graph = position.fetch.graph
        here = self.supergraph.possible_types_in(type_name, graph)
        overlap = here & wanted
        if not overlap:
            return set()
        in_graph = self.supergraph.type_in(condition, graph)
        known_here = in_graph is not None and not in_graph.interface_object
        if known_here and (
            condition in overlap or self.supergraph.possible_types_in(condition, graph) & here
        ):
            target = position.target.add_fragment(condition, directives)
            return self._add_selections(_at(position, target, condition), children)
        touched: set[int] = set()
        for runtime in sorted(overlap):
            target = position.target.add_fragment(runtime, directives)
            touched |= self._add_selections(_at(position, target, runtime), children)
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
                touched |= self._add_field(_at(position, target, runtime), node)
            return touched
        return self._jump(position, node)

    def _resolvable_here(self, position: Position, name: str) -> bool:
        supergraph = self.supergraph
        fetch = position.fetch
        type_name = position.type_name
        found = supergraph.field_in(type_name, name, fetch.graph)
        if found is None or found.external or found.used_overridden:
            return _provided(position.provided, name) is not None
        if found.requires is None:
            return True
        return fetch.entity and (type_name, name) in fetch.satisfied_requires

    def _add_local_field(
        self, position: Position, node: FieldNode, field_type: GraphQLOutputType
    ) -> set[int]:
        named = get_named_type(field_type)
        composite = is_composite_type(named)
        if position.internal:
            selection = position.target.add_internal_field(node, composite)
        else:
            selection = position.target.add_field(node, composite)
        if not composite or node.selection_set is None:
            return set()
        assert selection.children is not None
        provided_field = _provided(position.provided, node.name.value)
        provided = provided_field.selection_set if provided_field is not None else None
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
        touched = self._add_selections(_internal(position), key.selections)
        resolver = self._fetch(graph, position.path, frozenset(touched), entity=True)
        _copy_into(resolver.representation_for(interface), key)
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

    # entity jumps -------------------------------------------------------------------------

    def _jump(self, position: Position, node: FieldNode, only: list[str] | None = None) -> set[int]:
        type_name = position.type_name
        name = node.name.value
        entity_type = type_name
        candidates = self.supergraph.resolvers_of(type_name, name)
        if only is not None:
            candidates = [g for g in candidates if g in only]
        if self._is_abstract(type_name):
            candidates = self.supergraph.interface_object_graphs(type_name, name)
        elif not candidates:
            for interface in self._interfaces_of(type_name):
                candidates = self.supergraph.interface_object_graphs(interface, name)
                if candidates:
                    entity_type = interface
                    break
        if not candidates:
            raise PlanningError(f"no subgraph resolves {type_name}.{name}")
        choice = self._choose_jump(position, entity_type, candidates)
        if choice is None and not self._is_entity(entity_type):
            return self._jump_via_parent(position, node)
        if choice is None:
            raise PlanningError(
                f"cannot reach {type_name}.{name} from subgraph {position.fetch.graph}"
            )
        graph, key = choice
        position.target.add_typename()
        touched = self._add_selections(_internal(position), key.selections)
        in_graph = self.supergraph.field_in(type_name, name, graph)
        requires = in_graph.requires if in_graph is not None else None
        if requires is not None:
            origin = self._origin_of(position)
            touched |= self._add_selections(_internal(origin), requires.selections)
        child = self._fetch(graph, position.path, frozenset(touched), entity=True)
        self.origins.setdefault(child.id, position)
        for runtime in self.supergraph.possible_type_names(type_name):
            representation = child.representation_for(runtime)
            if entity_type != runtime:
                child.send_typename[runtime] = entity_type
            _copy_into(representation, key)
            if requires is not None:
                _copy_into(representation, requires)
        if requires is not None:
            child.satisfied_requires.add((type_name, name))
        target = child.fragment_for(entity_type)
        child_position = Position(child, target, entity_type, position.path)
        return touched | self._add_field(child_position, node) | {child.id}

    def _is_entity(self, type_name: str) -> bool:
        return any(t.keys for t in self.supergraph.graphs_of_type(type_name).values())

    def _jump_via_parent(self, position: Position, node: FieldNode) -> set[int]:
        """A value type's field from another subgraph: select the path to it again, from the
        nearest entity above, in a subgraph that resolves it."""
        parent, via = position.parent, position.via
        name = node.name.value
        if parent is None or via is None:
            raise PlanningError(f"no subgraph can reach {position.type_name}.{name}")
        inner: SelectionNode = node
        if self._is_abstract(parent.type_name) or position.type_name != self._named_type_of(
            parent.type_name, via.name.value
        ):
            inner = InlineFragmentNode(
                type_condition=NamedTypeNode(name=NameNode(value=position.type_name)),
                directives=(),
                selection_set=SelectionSetNode(selections=(node,)),
            )
        wrapped = FieldNode(
            alias=via.alias,
            name=via.name,
            arguments=via.arguments,
            directives=via.directives,
            selection_set=SelectionSetNode(selections=(inner,)),
        )
        graphs = [
            g
            for g in self.supergraph.resolvers_of(parent.type_name, via.name.value)
            if g != position.fetch.graph
            and self.supergraph.can_resolve(position.type_name, name, g)
        ]
        if not graphs:
            raise PlanningError(f"no subgraph can reach {position.type_name}.{name}")
        return self._jump(parent, wrapped, only=graphs)

    def _named_type_of(self, type_name: str, field_name: str) -> str:
        return get_named_type(self._field_def(type_name, field_name).type).name

    def _origin_of(self, position: Position) -> Position:
        fetch = position.fetch
        if fetch.entity and fetch.merge_path == position.path and fetch.id in self.origins:
            origin = self.origins[fetch.id]
            return Position(origin.fetch, origin.target, position.type_name, position.path)
        return position

    def _interfaces_of(self, type_name: str) -> list[str]:
        found = self.schema.get_type(type_name)
        if isinstance(found, GraphQLObjectType):
            return [i.name for i in found.interfaces]
        return []

    def _choose_jump(
        self, position: Position, entity_type: str, candidates: list[str]
    ) -> tuple[str, SelectionSetNode] | None:
        existing = {
            f.graph
            for f in self.fetches
            if f.entity and f.merge_path == position.path and position.fetch.id in f.depends_on
        }
        ordered = sorted(candidates, key=lambda g: (g not in existing, candidates.index(g)))
        fallback: tuple[str, SelectionSetNode] | None = None
        for graph in ordered:
            type_in = self.supergraph.type_in(entity_type, graph)
            if type_in is None:
                continue
            for key in type_in.keys:
                if not key.resolvable:
                    continue
                if self._available(position.type_name, key.selection, position.fetch.graph):
                    return graph, key.selection
                if fallback is None:
                    fallback = (graph, key.selection)
        return fallback

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


def _at(position: Position, target: Selections, type_name: str) -> Position:
    return replace(position, target=target, type_name=type_name)


def _internal(position: Position) -> Position:
    return replace(position, provided=None, internal=True)


def _provided(provided: SelectionSetNode | None, name: str) -> FieldNode | None:
    if provided is None:
        return None
    for selection in provided.selections:
        if isinstance(selection, FieldNode) and selection.name.value == name:
            return selection
        if isinstance(selection, InlineFragmentNode):
            found = _provided(selection.selection_set, name)
            if found is not None:
                return found
    return None


def _copy_into(target: Selections, selections: SelectionSetNode) -> None:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            item = target.add_field(selection, composite=selection.selection_set is not None)
            if selection.selection_set is not None and item.children is not None:
                _copy_into(item.children, selection.selection_set)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            _copy_into(target.add_fragment(condition), selection.selection_set)


def plan_operation(
    supergraph: Supergraph,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> QueryPlan:
    return Planner(supergraph, operation, fragments).plan()
