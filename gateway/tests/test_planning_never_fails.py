"""The planner plans every operation over every fixture supergraph (the catalog, the party,
partyorg's own, and each federation pattern's), and an operation it cannot plan is a
GraphQL error with a code, never a crash of the gateway."""

from __future__ import annotations

import pytest
from differential.corpus_project import SUPERGRAPH, operations_of
from differential.corpus_random import random_operations
from gateway.engine import Answer, Engine, EngineOptions
from gateway.limits import OperationLimits
from gateway.planner import plan_operation
from gateway.subgraph_client import SubgraphClient
from gateway.supergraph import load_supergraph
from gateway_testkit.composition import compose
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.patterns import PATTERN_SETS
from graphql import OperationDefinitionNode, parse


def _supergraphs() -> dict[str, str]:
    found = {"catalog": supergraph_of("catalog"), "party": supergraph_of("party")}
    found["project"] = SUPERGRAPH.read_text()
    found.update({name: compose(build()) for name, build in PATTERN_SETS.items()})
    return found


SUPERGRAPHS = _supergraphs()


@pytest.mark.parametrize("name", sorted(SUPERGRAPHS))
def test_every_generated_operation_of_every_fixture_supergraph_is_planned(name: str) -> None:
    supergraph = load_supergraph(SUPERGRAPHS[name])
    operations = operations_of(supergraph.api_schema)
    operations += random_operations(supergraph.api_schema, count=150, seed=18)
    for operation in operations:
        document = parse(operation.query)
        definition = document.definitions[0]
        assert isinstance(definition, OperationDefinitionNode)
        plan = plan_operation(supergraph, definition, {})
        assert plan.fetches, operation.query


def test_an_operation_too_deep_to_plan_is_an_error_with_a_code_not_a_500() -> None:
    catalog = load_supergraph(supergraph_of("catalog"))
    limits = OperationLimits(max_depth=1000, max_tokens=100_000)
    engine = Engine(catalog, SubgraphClient({}, {}, 1.0), EngineOptions(limits=limits))
    # Each level crosses from reviews to products and back: sixty jumps, one inside the other.
    query = "{ me { " + "reviews { product { createdBy { " * 30 + "id" + " } } }" * 30 + " } }"
    prepared = engine.prepare(query)
    assert not isinstance(prepared, Answer)
    answer = engine.plan_for(prepared, None)
    assert isinstance(answer, Answer)
    assert answer.status == 200
    assert answer.body["errors"][0]["extensions"]["code"] == "QUERY_PLANNING_FAILED"
