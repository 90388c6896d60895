"""partyorg's own subgraph schemas (services/*/schema.graphql), served with mocked data."""

from __future__ import annotations

import json
from pathlib import Path

from gateway_testkit.federated import Subgraph
from gateway_testkit.mocked import mocked_subgraph

ROOT = Path(__file__).resolve().parents[3]


def project_subgraphs() -> list[Subgraph]:
    listed = json.loads((ROOT / "gateway" / "subgraphs.json").read_text())
    return [mocked_subgraph(s["name"], (ROOT / s["schema"]).read_text()) for s in listed]
