"""Entity jumps: from one subgraph to another through `_entities`, by a key the first can
provide, with the requirements (@requires) fetched before."""

from __future__ import annotations

from graphql import (
    FieldNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
)

from gateway.planner.base import PlannerBase
from gateway.planner.position import (
    PlanningError,
    Position,
    conflicts,
    copy_field_set,
    internal_to,
)

# Each jump nests in the one that needs it; an operation needing more has sent the planner
# round a cycle of subgraphs.
MAX_NESTED_JUMPS = 50


class _KeyOutOfReach(PlanningError):
    """Fetching a key would need the very jump it is fetched for."""


class EntityJumps(PlannerBase):
    def _jump(self, position: Position, node: FieldNode, only: list[str] | None = None) -> set[int]:
        self.jump_depth += 1
        try:
            if self.jump_depth > MAX_NESTED_JUMPS:
                raise PlanningError(
                    f"more than {MAX_NESTED_JUMPS} nested subgraph jumps to reach "
                    f"{position.type_name}.{node.name.value}"
                )
            return self._jump_once(position, node, only)
        finally:
            self.jump_depth -= 1

    def _jump_by_key_or_parent(
        self,
        position: Position,
        node: FieldNode,
        candidates: list[str],
        choice: tuple[str, SelectionSetNode],
    ) -> set[int]:
        """A key this subgraph does not select is fetched first, by jumps of its own, unless
        those come back to this very jump: then the path from the entity above is taken."""
        marker = (position.fetch.id, position.path, position.type_name, node.name.value)
        if marker in self.keys_sought:
            raise _KeyOutOfReach(
                f"no subgraph gives a key to reach {position.type_name}.{node.name.value}"
            )
        self.keys_sought.add(marker)
        try:
            return self._jump_by_key(position, node, choice)
        except _KeyOutOfReach:
            if position.parent is None and position.path:
                raise
            return self._jump_via_parent(position, node, candidates)
        finally:
            self.keys_sought.discard(marker)

    def _jump_once(self, position: Position, node: FieldNode, only: list[str] | None) -> set[int]:
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
            return self._jump_via_parent(position, node, candidates)
        if choice is None:
            raise PlanningError(
                f"cannot reach {type_name}.{name} from subgraph {position.fetch.graph}"
            )
        key = choice[1]
        if not self._available(position.type_name, key, position.fetch.graph):
            return self._jump_by_key_or_parent(position, node, candidates, choice)
        return self._jump_by_key(position, node, choice)

    def _jump_by_key(
        self, position: Position, node: FieldNode, choice: tuple[str, SelectionSetNode]
    ) -> set[int]:
        type_name = position.type_name
        name = node.name.value
        graph, key = choice
        entity_type = self._entity_type_in(type_name, graph)
        position.target.add_typename()
        touched = self._add_selections(internal_to(position), key.selections)
        in_graph = self.supergraph.field_in(type_name, name, graph) or self.supergraph.field_in(
            entity_type, name, graph
        )
        requires = in_graph.requires if in_graph is not None else None
        if requires is not None:
            origin = self._origin_of(position)
            touched |= self._add_selections(internal_to(origin), requires.selections)
        runtimes = self.supergraph.possible_type_names(type_name)
        child = self._fetch(graph, position.path, frozenset(touched), entity=True)
        if requires is not None and any(
            conflicts(child.representations.get(r), requires) for r in runtimes
        ):
            # A representation holds one value per field: a requirement of the same field
            # with other arguments is sent in a fetch of its own.
            child = self._new_fetch(graph, position.path, frozenset(touched), entity=True)
        self.origins.setdefault(child.id, position)
        for runtime in runtimes:
            representation = child.representation_for(runtime)
            if entity_type != runtime:
                child.send_typename[runtime] = entity_type
            copy_field_set(representation, key, position.target)
            if requires is not None:
                copy_field_set(representation, requires, self._origin_of(position).target)
        if requires is not None:
            child.satisfied_requires.update({(type_name, name), (entity_type, name)})
        target = child.fragment_for(entity_type)
        child_position = Position(child, target, entity_type, position.path)
        return touched | self._add_field(child_position, node) | {child.id}

    def _jump_via_parent(
        self, position: Position, node: FieldNode, candidates: list[str]
    ) -> set[int]:
        """A value type's field from another subgraph: select the path to it again, from the
        nearest entity above (or from the root), in a subgraph that resolves it."""
        parent, via = position.parent, position.via
        name = node.name.value
        if parent is None and not position.fetch.entity and not position.path:
            return self._refetch_root_field(position, node, candidates)
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

    def _refetch_root_field(
        self, position: Position, node: FieldNode, candidates: list[str]
    ) -> set[int]:
        """A shareable root field asked again of another subgraph, for what only that one
        resolves below it; a mutation is never sent twice."""
        others = [g for g in candidates if g != position.fetch.graph]
        if not others or position.fetch.operation_type != OperationType.QUERY:
            raise PlanningError(
                f"no subgraph can reach {position.type_name}.{node.name.value} "
                f"from subgraph {position.fetch.graph}"
            )
        fetch = self._fetch(others[0], (), frozenset(), entity=False)
        return self._add_selections(
            Position(fetch, fetch.selections, position.type_name, ()), [node]
        )

    def _entity_type_in(self, type_name: str, graph: str) -> str:
        """The type the subgraph knows the entity by: its own, or an @interfaceObject."""
        if self.supergraph.type_in(type_name, graph) is not None:
            return type_name
        for interface in self._interfaces_of(type_name):
            found = self.supergraph.type_in(interface, graph)
            if found is not None and found.interface_object:
                return interface
        return type_name

    def _origin_of(self, position: Position) -> Position:
        fetch = position.fetch
        if fetch.entity and fetch.merge_path == position.path and fetch.id in self.origins:
            origin = self.origins[fetch.id]
            return Position(origin.fetch, origin.target, position.type_name, position.path)
        return position

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
