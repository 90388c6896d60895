"""Small subgraph sets, one per federation pattern a planner can get wrong; each is composed by
Apollo's composition when the tests start. Their data makes a wrong plan visible: lists,
nulls, arguments, and values that differ where a subgraph should not have been asked."""

from collections.abc import Callable

from gateway_testkit.federated import Subgraph
from gateway_testkit.patterns.abstract import (
    child_type_mismatch,
    override_on_implementers,
    spread_unions,
)
from gateway_testkit.patterns.entities import entity_through_parent, shareable_root
from gateway_testkit.patterns.interface_objects import interface_object
from gateway_testkit.patterns.nodes import relay_nodes
from gateway_testkit.patterns.requirements import provides_on_interface, requires_with_arguments

PATTERN_SETS: dict[str, Callable[[], list[Subgraph]]] = {
    "shareable-root": shareable_root,
    "entity-through-parent": entity_through_parent,
    "requires-with-arguments": requires_with_arguments,
    "provides-on-interface": provides_on_interface,
    "interface-object": interface_object,
    "spread-unions": spread_unions,
    "child-type-mismatch": child_type_mismatch,
    "override-on-implementers": override_on_implementers,
    "relay-nodes": relay_nodes,
}

__all__ = ["PATTERN_SETS"]
