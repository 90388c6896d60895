"""Every corpus operation answers the same through our gateway and through @apollo/gateway,
both in front of the same live subgraphs: equal data, errors in both or in neither, and the
errors at the same paths with the same codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.composition import compose, node_modules_missing
from gateway_testkit.federated import Subgraph
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import run_gateway
from gateway_testkit.party import PartyData, party_subgraphs
from gateway_testkit.project import project_subgraphs
from gateway_testkit.reference import run_reference_gateway
from gateway_testkit.serving import RequestLog, RunningSubgraph, serve_subgraphs

from differential.corpus import Operation
from differential.corpus_catalog import CATALOG
from differential.corpus_party import PARTY
from differential.corpus_project import PROJECT
from differential.gateways import UNLIMITED, Gateways, assert_same_answer, both_gateways, explain

SETS: dict[str, tuple[Callable[[], list[Subgraph]], list[Operation]]] = {
    "catalog": (catalog_subgraphs, CATALOG),
    "party": (lambda: party_subgraphs(PartyData()), PARTY),
    "project": (project_subgraphs, PROJECT),
}


@pytest.fixture(scope="module")
def gateways() -> Iterator[dict[str, Gateways]]:
    missing = node_modules_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    with (
        both_gateways(supergraph_of("catalog"), catalog_subgraphs()) as catalog,
        both_gateways(supergraph_of("party"), party_subgraphs(PartyData())) as party,
        both_gateways(compose(project_subgraphs()), project_subgraphs()) as project,
    ):
        yield {"catalog": catalog, "party": party, "project": project}


CASES = [(name, op) for name, (_, corpus) in SETS.items() for op in corpus]


def test_the_corpus_has_at_least_a_hundred_operations() -> None:
    assert len(CASES) >= 100
    assert len({(name, op.id) for name, op in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("subgraph_set", "operation"), CASES, ids=[f"{n}:{o.id}" for n, o in CASES]
)
def test_our_gateway_answers_as_apollo_gateway_does(
    gateways: dict[str, Gateways], subgraph_set: str, operation: Operation
) -> None:
    pair = gateways[subgraph_set]
    assert_same_answer(pair.ask(pair.ours, operation), pair.ask(pair.apollo, operation))


DOWN = [
    Operation(
        "down-nullable-entity-field",
        "{ me { name } topProducts(first: 2) { upc warehouse { name } } }",
    ),
    Operation("down-root-field", "{ warehouses { id } me { name } }"),
    Operation("down-non-null-entity-field", "{ users { name managedWarehouses { id } } }"),
    Operation("down-not-needed", "{ me { name reviews { body } } }"),
]


@pytest.fixture(scope="module")
def gateways_with_a_subgraph_down() -> Iterator[Gateways]:
    """The locations subgraph is unreachable for both gateways."""
    missing = node_modules_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    supergraph = supergraph_of("catalog")
    with serve_subgraphs(catalog_subgraphs()) as running:
        running["locations"] = RunningSubgraph(
            "locations", "http://127.0.0.1:9/graphql", RequestLog()
        )
        urls = {n: s.url for n, s in running.items()}
        with (
            run_gateway(supergraph, running, **UNLIMITED) as ours,
            run_reference_gateway(supergraph, urls) as apollo,
            httpx.Client(timeout=30, headers=ours.http.headers) as http,
        ):
            yield Gateways(f"{ours.url}/graphql", f"{apollo}/", http)


@pytest.mark.parametrize("operation", DOWN, ids=[o.id for o in DOWN])
def test_with_a_subgraph_down_the_partial_answer_is_apollos(
    gateways_with_a_subgraph_down: Gateways, operation: Operation
) -> None:
    # Codes differ on purpose: Apollo says INTERNAL_SERVER_ERROR, we say
    # DOWNSTREAM_SERVICE_ERROR and name the subgraph.
    pair = gateways_with_a_subgraph_down
    apollo = pair.ask(pair.apollo, operation)
    ours = pair.ask(pair.ours, operation)
    assert ours.get("data") == apollo.get("data"), explain(ours, apollo)
    assert ("errors" in ours) == ("errors" in apollo), explain(ours, apollo)
