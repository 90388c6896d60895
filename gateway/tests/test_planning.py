"""Query plans over the catalog supergraph, and how the executor runs them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gateway.engine import Engine, EngineOptions
from gateway.executor import execute_plan
from gateway.plan import Fetch, QueryPlan
from gateway.planner import plan_operation
from gateway.subgraph_client import SubgraphClient
from gateway.supergraph import Supergraph, load_supergraph
from gateway_testkit.fixtures import supergraph_of
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse


@pytest.fixture(scope="module")
def catalog() -> Supergraph:
    return load_supergraph(supergraph_of("catalog"))


def plan(supergraph: Supergraph, query: str) -> QueryPlan:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return plan_operation(supergraph, operation, fragments)


def shape(query_plan: QueryPlan) -> list[tuple[str, str, list[int]]]:
    return [(f.graph, "/".join(f.merge_path), sorted(f.depends_on)) for f in query_plan.fetches]


def test_fields_of_one_subgraph_take_one_fetch(catalog: Supergraph) -> None:
    assert shape(plan(catalog, "{ me { name address { city } } users { id } }")) == [
        ("accounts", "", [])
    ]


def test_fields_of_other_subgraphs_are_fetched_in_parallel_after_their_parent(
    catalog: Supergraph,
) -> None:
    assert shape(plan(catalog, "{ me { reviewCount legacyId managedWarehouses { id } } }")) == [
        ("accounts", "", []),
        ("reviews", "me", [0]),
        ("legacy", "me", [0]),
        ("locations", "me", [0]),
    ]


def test_a_requirement_is_fetched_before_the_field_that_needs_it(catalog: Supergraph) -> None:
    assert shape(plan(catalog, "{ latestReviews { product { deliveryScore } } }")) == [
        ("reviews", "", []),
        ("products", "latestReviews/product", [0]),
        ("inventory", "latestReviews/product", [0, 1]),
        ("reviews", "latestReviews/product", [0, 1, 2]),
    ]


def test_a_provided_field_is_read_where_it_is_provided(catalog: Supergraph) -> None:
    assert shape(plan(catalog, "{ latestReviews { author { username } } }")) == [
        ("reviews", "", [])
    ]


def test_a_shareable_field_comes_from_the_subgraph_already_fetched(catalog: Supergraph) -> None:
    assert shape(plan(catalog, "{ legacyProducts { name } }")) == [("legacy", "", [])]


def test_mutation_fields_run_in_order(catalog: Supergraph) -> None:
    query = """mutation { a: renameUser(id: "u1", name: "A") { name }
                          r: addReview(upc: "1", body: "b", rating: 1) { id }
                          b: renameUser(id: "u1", name: "B") { name } }"""
    assert shape(plan(catalog, query)) == [
        ("accounts", "", []),
        ("reviews", "", [0]),
        ("accounts", "", [0, 1]),
    ]


def test_plans_are_cached_per_document_and_operation_name(catalog: Supergraph) -> None:
    engine = Engine(catalog, SubgraphClient({}, {}, 1.0), EngineOptions())
    query = "query A { me { id } } query B { users { id } }"
    prepared = engine.prepare(query)
    assert not isinstance(prepared, type(None))
    first = engine.plan_for(prepared, "A")  # type: ignore[arg-type]
    again = engine.plan_for(engine.prepare(query), "A")  # type: ignore[arg-type]
    other = engine.plan_for(engine.prepare(query), "B")  # type: ignore[arg-type]
    assert first[1] is again[1]  # type: ignore[index]
    assert first[1] is not other[1]  # type: ignore[index]


async def test_independent_fetches_are_in_flight_together(catalog: Supergraph) -> None:
    query_plan = plan(catalog, "{ me { reviewCount legacyId } }")
    both_started = asyncio.Barrier(2)

    async def send(fetch: Fetch, variables: dict[str, Any]) -> dict[str, Any]:
        if fetch.graph == "accounts":
            return {"data": {"me": {"__typename": "User", "id": "u1"}}}
        await asyncio.wait_for(both_started.wait(), 10)
        field = "reviewCount" if fetch.graph == "reviews" else "legacyId"
        return {"data": {"_entities": [{field: 1}]}}

    outcome = await execute_plan(query_plan, {}, send)
    assert outcome.data["me"]["reviewCount"] == 1
    assert outcome.data["me"]["legacyId"] == 1
