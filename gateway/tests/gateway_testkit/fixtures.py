"""The named sets of test subgraphs and their committed supergraphs.

`uv run python gateway/tests/gateway_testkit/fixtures.py` recomposes every set."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.composition import compose, fixture_path
from gateway_testkit.federated import Subgraph
from gateway_testkit.party import PartyData, party_subgraphs

SUBGRAPH_SETS: dict[str, Callable[[], list[Subgraph]]] = {
    "party": lambda: party_subgraphs(PartyData()),
    "catalog": catalog_subgraphs,
}


def supergraph_of(name: str) -> str:
    return fixture_path(name).read_text()


def recompose() -> None:
    for name, build in SUBGRAPH_SETS.items():
        path = fixture_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(compose(build()))
        print(f"wrote {path}")


if __name__ == "__main__":
    recompose()
