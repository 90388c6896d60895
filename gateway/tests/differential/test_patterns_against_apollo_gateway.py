"""Each federation pattern a planner can get wrong, on subgraphs built for it and composed by
Apollo's composition: the corpus operations, and for every root field an operation
generated over the whole supergraph, answer through our gateway as through @apollo/gateway
(or, where Apollo departs from the Federation spec, as the spec asks: spec_answers.py), and
never with an HTTP 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from gateway_testkit.composition import node_modules_missing
from gateway_testkit.patterns import PATTERN_SETS

from differential.corpus import Operation
from differential.corpus_patterns import GENERATED, PATTERNS, SUPERGRAPHS
from differential.gateways import Gateways, assert_same_answer, both_gateways
from differential.spec_answers import SPEC_ANSWERS


class RunningSets:
    """Starts a pattern's subgraphs and both gateways the first time a test asks for them."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.running: dict[str, Gateways] = {}

    def __getitem__(self, name: str) -> Gateways:
        if name not in self.running:
            self.running[name] = self.stack.enter_context(
                both_gateways(SUPERGRAPHS[name], PATTERN_SETS[name]())
            )
        return self.running[name]


@pytest.fixture(scope="module")
def pattern_gateways() -> Iterator[RunningSets]:
    missing = node_modules_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    with ExitStack() as stack:
        yield RunningSets(stack)


# Still answered differently from @apollo/gateway: (pattern, operation id) -> why.
STILL_DIFFERS: dict[tuple[str, str], str] = {}


def _cases(corpora: dict[str, list[Operation]], prefix: str = "") -> list[Any]:
    return [
        pytest.param(
            name,
            op,
            id=f"{name}:{prefix}{op.id}",
            marks=[pytest.mark.xfail(strict=True, reason=STILL_DIFFERS[(name, prefix + op.id)])]
            if (name, prefix + op.id) in STILL_DIFFERS
            else [],
        )
        for name, corpus in corpora.items()
        for op in corpus
    ]


CASES = _cases(PATTERNS)
GENERATED_CASES = _cases(GENERATED, "generated-")


def test_every_pattern_has_a_corpus_and_the_corpus_has_eighty_operations() -> None:
    assert set(PATTERNS) == set(PATTERN_SETS)
    assert len(CASES) >= 80
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("pattern", "operation"), CASES)
def test_our_gateway_answers_each_pattern_as_apollo_gateway_does(
    pattern_gateways: RunningSets, pattern: str, operation: Operation
) -> None:
    _answers_as_the_reference_or_the_spec(pattern_gateways[pattern], pattern, operation)


@pytest.mark.parametrize(("pattern", "operation"), GENERATED_CASES)
def test_every_root_field_of_every_pattern_answers_as_apollo_gateway_does(
    pattern_gateways: RunningSets, pattern: str, operation: Operation
) -> None:
    _answers_as_the_reference_or_the_spec(pattern_gateways[pattern], pattern, operation)


def _answers_as_the_reference_or_the_spec(
    pair: Gateways, pattern: str, operation: Operation
) -> None:
    ours = pair.post(pair.ours, operation)
    assert ours.status_code != 500, ours.text
    spec = SPEC_ANSWERS.get((pattern, operation.id)) or SPEC_ANSWERS.get(
        (pattern, "generated-" + operation.id)
    )
    if spec is None:
        assert_same_answer(ours.json(), pair.ask(pair.apollo, operation))
        return
    _, expected = spec
    assert ours.json().get("data") == expected(), ours.text
    assert "errors" not in ours.json(), ours.text
