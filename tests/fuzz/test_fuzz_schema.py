"""Operations made by hypothesis-graphql from the schema the gateway serves (read by
introspection, as a client would): queries and mutations, as each role and as nobody, and
operations that break the schema on purpose. Every answer must be a GraphQL answer: no 5xx, no
internal error, no exception text (tests/fuzz/traffic.py)."""

from collections.abc import Iterator

import httpx
import pytest
from graphql import GraphQLSchema, build_client_schema, get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from infra.local.suite import Suite
from tests.fuzz.conftest import OPERATIONS, World
from tests.fuzz.traffic import TALLY, Answer

SCALARS = {
    "Date": st.dates().map(str).map(nodes.String),
    "DateTime": st.datetimes().map(lambda moment: moment.isoformat()).map(nodes.String),
}


def examples(share: float) -> settings:
    return settings(
        max_examples=max(int(OPERATIONS * share), 10),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def http(suite: Suite, world: World) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def tokens(suite: Suite, world: World) -> dict[str, str]:
    return {role: suite.token_for(principal) for role, principal in world.callers.items()}


@pytest.fixture(scope="module")
def schema(suite: Suite, http: httpx.Client, tokens: dict[str, str]) -> GraphQLSchema:
    response = http.post(
        suite.gateway_url,
        json={"query": get_introspection_query()},
        headers={"authorization": f"Bearer {tokens['CITY_COMMITTEE']}"},
    )
    return build_client_schema(response.json()["data"])


def send(http: httpx.Client, url: str, kind: str, query: str, token: str | None) -> None:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    answer = Answer.of(http.post(url, json={"query": query}, headers=headers))
    faults = TALLY.record(kind, query, answer)
    assert not faults, f"{faults}\nsent: {query}"


def test_generated_queries_as_every_role(
    suite: Suite, http: httpx.Client, tokens: dict[str, str], schema: GraphQLSchema
) -> None:
    callers = st.sampled_from([*sorted(tokens), None])

    @examples(0.3)
    @given(query=queries(schema, custom_scalars=SCALARS), role=callers)
    def run(query: str, role: str | None) -> None:
        send(http, suite.gateway_url, "query", query, tokens.get(role or ""))

    run()


def test_generated_mutations_as_every_role(
    suite: Suite, http: httpx.Client, tokens: dict[str, str], schema: GraphQLSchema
) -> None:
    callers = st.sampled_from([*sorted(tokens), None])

    @examples(0.35)
    @given(mutation=mutations(schema, custom_scalars=SCALARS), role=callers)
    def run(mutation: str, role: str | None) -> None:
        send(http, suite.gateway_url, "mutation", mutation, tokens.get(role or ""))

    run()


def test_operations_that_break_the_schema(
    suite: Suite, http: httpx.Client, tokens: dict[str, str], schema: GraphQLSchema
) -> None:
    invalid = st.one_of(
        queries(schema, custom_scalars=SCALARS, mode=Mode.NEGATIVE),
        mutations(schema, custom_scalars=SCALARS, mode=Mode.NEGATIVE),
    )

    @examples(0.1)
    @given(operation=invalid, role=st.sampled_from(sorted(tokens)))
    def run(operation: str, role: str) -> None:
        send(http, suite.gateway_url, "invalid operation", operation, tokens[role])

    run()
