"""The patterns corpus (curated and generated operations) through our gateway and through
Hive Gateway, the second reference, in front of the same live subgraphs: equal data, errors
in both or in neither. Where Hive Gateway departs from @apollo/gateway and the Federation
spec, the case is listed with what Hive does (strict xfail: it fails the run once Hive
agrees)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from gateway_testkit.composition import node_modules_missing
from gateway_testkit.harness import run_gateway
from gateway_testkit.patterns import PATTERN_SETS
from gateway_testkit.reference import run_hive_gateway
from gateway_testkit.serving import serve_subgraphs

from differential.corpus import Operation
from differential.corpus_patterns import GENERATED, PATTERNS, SUPERGRAPHS
from differential.gateways import UNLIMITED, explain

_REQUIREMENT = "Hive sends a requirement's ratings list with the client's or another limit"
_PROVIDES = "Hive asks the shelf subgraph for a title its implementations mark @external"
_INTERFACE_OBJECT = (
    "an @interfaceObject entity no subgraph resolves: Hive fails the item (GraphQL spec, "
    "no object type); @apollo/gateway, which we follow, keeps the interface's own fields"
)
_MISMATCH = "Hive sends sibling fields of different types under one name; the subgraph refuses"
_OVERRIDE = "Hive answers an implementer's @override-n field from the subgraph it left"

HIVE_DEPARTS: dict[str, str] = {
    "shareable-root:fragments-over-contributions": "Hive fails with 'Unexpected error.'",
    "requires-with-arguments:client-unlimited-with-limited-requires": _REQUIREMENT,
    "requires-with-arguments:client-limited-requirement-unlimited": _REQUIREMENT,
    "requires-with-arguments:requirement-first-client-unlimited": _REQUIREMENT,
    "requires-with-arguments:two-requirements-of-one-field": _REQUIREMENT,
    "requires-with-arguments:generated-query-items": _REQUIREMENT,
    "provides-on-interface:plain-not-provided": _PROVIDES,
    "provides-on-interface:both-side-by-side": _PROVIDES,
    "provides-on-interface:generated-query-shelves": _PROVIDES,
    "interface-object:non-resolvable-key": _INTERFACE_OBJECT,
    "interface-object:non-resolvable-key-typename": _INTERFACE_OBJECT,
    "interface-object:non-resolvable-key-other-interface-object": _INTERFACE_OBJECT,
    "interface-object:generated-query-editorsPicks": _INTERFACE_OBJECT,
    "child-type-mismatch:same-name-aliased": _MISMATCH,
    "child-type-mismatch:named-fragments": _MISMATCH,
    "override-on-implementers:single-overridden": _OVERRIDE,
    "override-on-implementers:typename-and-price": _OVERRIDE,
    "relay-nodes:node-team-not-found": "Hive adds an INTERNAL_SERVER_ERROR 'Unexpected error.' "
    "where a non-null field of a missing entity nulls its parent",
}


@dataclass
class OursAndHive:
    ours: str
    hive: str
    http: httpx.Client

    def ask(self, url: str, operation: Operation) -> dict[str, Any]:
        body = {"query": operation.query, "variables": operation.variables}
        return self.http.post(url, json=body).json()  # type: ignore[no-any-return]


class RunningSets:
    """Starts a pattern's subgraphs, our gateway and Hive Gateway when first asked."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.running: dict[str, OursAndHive] = {}

    def __getitem__(self, name: str) -> OursAndHive:
        if name not in self.running:
            enter = self.stack.enter_context
            running = enter(serve_subgraphs(PATTERN_SETS[name]()))
            urls = {n: s.url for n, s in running.items()}
            ours = enter(run_gateway(SUPERGRAPHS[name], running, **UNLIMITED))
            hive = enter(run_hive_gateway(SUPERGRAPHS[name], urls))
            http = enter(httpx.Client(timeout=30, headers=ours.http.headers))
            self.running[name] = OursAndHive(f"{ours.url}/graphql", hive, http)
        return self.running[name]


@pytest.fixture(scope="module")
def hive_gateways() -> Iterator[RunningSets]:
    missing = node_modules_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    with ExitStack() as stack:
        yield RunningSets(stack)


def _case(name: str, operation_id: str, operation: Operation) -> Any:
    case_id = f"{name}:{operation_id}"
    departs = HIVE_DEPARTS.get(case_id)
    marks = [pytest.mark.xfail(strict=True, reason=departs)] if departs else []
    return pytest.param(name, operation, id=case_id, marks=marks)


CASES = [_case(n, op.id, op) for n, corpus in PATTERNS.items() for op in corpus] + [
    _case(n, "generated-" + op.id, op) for n, corpus in GENERATED.items() for op in corpus
]


def test_every_departure_of_hive_names_a_case_of_the_corpus() -> None:
    assert set(HIVE_DEPARTS) <= {case.id for case in CASES}


@pytest.mark.parametrize(("pattern", "operation"), CASES)
def test_our_gateway_answers_each_pattern_as_hive_gateway_does(
    hive_gateways: RunningSets, pattern: str, operation: Operation
) -> None:
    pair = hive_gateways[pattern]
    ours, hive = pair.ask(pair.ours, operation), pair.ask(pair.hive, operation)
    assert ours.get("data") == hive.get("data"), explain(ours, hive, "hive")
    assert ("errors" in ours) == ("errors" in hive), explain(ours, hive, "hive")
