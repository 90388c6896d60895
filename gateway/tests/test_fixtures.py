"""The committed supergraphs of the test subgraphs are what Apollo's composition makes of them."""

from pathlib import Path

import pytest
from gateway_testkit import composition
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


def test_without_node_modules_the_message_says_what_to_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(composition, "NODE_DIR", tmp_path)
    message = composition.node_modules_missing()
    assert message is not None
    assert "npm ci --prefix gateway/node" in message
