"""The committed supergraphs of the test subgraphs are what Apollo's composition makes of them."""

import pytest
from gateway_testkit.composition import compose, node_modules_missing
from gateway_testkit.fixtures import SUBGRAPH_SETS, supergraph_of


@pytest.mark.parametrize("name", sorted(SUBGRAPH_SETS))
def test_the_committed_supergraph_is_fresh(name: str) -> None:
    missing = node_modules_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    assert compose(SUBGRAPH_SETS[name]()) == supergraph_of(name), (
        "recompose with `uv run python gateway/tests/gateway_testkit/fixtures.py`"
    )
