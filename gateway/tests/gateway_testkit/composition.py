"""Composes test subgraphs with Apollo's composition (gateway/node/compose.mjs)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from gateway_testkit.federated import Subgraph

GATEWAY_DIR = Path(__file__).resolve().parents[2]
NODE_DIR = GATEWAY_DIR / "node"
FIXTURES = GATEWAY_DIR / "tests" / "fixtures"


def node_modules_missing() -> str | None:
    if not (NODE_DIR / "node_modules" / "@apollo" / "gateway").is_dir():
        return (
            f"{NODE_DIR}/node_modules is missing: run `npm ci --prefix gateway/node` "
            "(make test does this) before the gateway tests"
        )
    return None


def compose(subgraphs: list[Subgraph]) -> str:
    missing = node_modules_missing()
    if missing:
        raise RuntimeError(missing)
    listed = [
        {"name": s.name, "url": f"http://{s.name}.invalid/graphql", "sdl": s.sdl} for s in subgraphs
    ]
    result = subprocess.run(
        ["node", str(NODE_DIR / "compose.mjs"), "--stdin"],
        input=json.dumps(listed),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"composition failed:\n{result.stderr}")
    return result.stdout


def fixture_path(name: str) -> Path:
    return FIXTURES / f"{name}.supergraph.graphql"
