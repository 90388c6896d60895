"""The foundation's query across the three partyorg-shaped subgraphs."""

from collections.abc import Iterator

import pytest
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.party import PartyData, party_subgraphs
from gateway_testkit.serving import serve_subgraphs


@pytest.fixture(scope="module")
def gateway() -> Iterator[GatewayUnderTest]:
    with (
        serve_subgraphs(party_subgraphs(PartyData(members_per_organisation=100))) as running,
        run_gateway(supergraph_of("party"), running) as gateway,
    ):
        yield gateway


def test_a_query_spanning_three_subgraphs_returns_data_from_all(gateway: GatewayUnderTest) -> None:
    answer = gateway.query(
        """{ organisation(id: "org-2") { name members { fullName
             evaluations(period: "2019-10") { period } } } }"""
    )
    assert "errors" not in answer
    organisation = answer["data"]["organisation"]
    assert organisation["name"] == "Organisation 2"
    assert len(organisation["members"]) == 100
    assert organisation["members"][0] == {
        "fullName": "Member 2.1",
        "evaluations": [{"period": "2019-10"}],
    }


def test_a_list_of_a_hundred_members_costs_one_entities_call_per_subgraph(
    gateway: GatewayUnderTest,
) -> None:
    gateway.clear_logs()
    gateway.query(
        """{ organisation(id: "org-1") { members { fullName evaluations { rating } } } }"""
    )
    assert [s.log.count for s in gateway.subgraphs.values()] == [1, 1, 1]
    representations = gateway.subgraphs["evaluations"].log.requests[0]["variables"][
        "representations"
    ]
    assert len(representations) == 100


def test_equal_entities_are_fetched_once(gateway: GatewayUnderTest) -> None:
    gateway.clear_logs()
    answer = gateway.query(
        """{ organisations { id } a: organisation(id: "org-3") { parent { members { id } } }
             b: organisation(id: "org-3") { parent { parent { id } } } }"""
    )
    assert "errors" not in answer
    assert gateway.subgraphs["members"].log.count == 1


def test_mutations_run_one_after_another(gateway: GatewayUnderTest) -> None:
    answer = gateway.query(
        """mutation { first: createOrganisation(name: "Cell A", kind: CELL) { id name }
             second: createOrganisation(name: "Cell B", kind: CELL) { id members { id } } }"""
    )
    assert "errors" not in answer
    assert answer["data"]["first"]["name"] == "Cell A"
    assert answer["data"]["second"]["members"] == []
    assert answer["data"]["first"]["id"] != answer["data"]["second"]["id"]
