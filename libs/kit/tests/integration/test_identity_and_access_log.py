"""A service made with the kit, against real FerretDB and RabbitMQ: only the gateway's
identity gets in, and every read of personal fields leaves its trace before the answer leaves."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import strawberry
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from kit.access_log import (
    JOINED_REQUEST_IDS_HEADER,
    AccessLog,
    BadAccessLogQuery,
    PersonalType,
    personal_data_reads,
)
from kit.audit import access_entries
from kit.error_codes import ErrorCodes
from kit.http import create_service_app
from kit.identity import IDENTITY_HEADER, Grant, Principal, Role, sign_internal
from kit.runtime import Runtime
from kit.settings import ServiceSettings
from kit.testing import ServiceUnderTest, isolated, serve
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration


@strawberry.type
class Person:
    id: strawberry.ID
    full_name: str
    card_number: str
    cell_id: str


PEOPLE = {
    "p-1": Person(
        id=strawberry.ID("p-1"), full_name="Trần Văn Nam", card_number="C1", cell_id="c-1"
    ),
    "p-2": Person(id=strawberry.ID("p-2"), full_name="Lê Thị Thu", card_number="C2", cell_id="c-2"),
}


@strawberry.type
class Query:
    @strawberry.field
    def people(self) -> list[Person]:
        return list(PEOPLE.values())

    @strawberry.field
    def count(self) -> int:
        return len(PEOPLE)


PERSONAL = {
    "Person": PersonalType(
        frozenset({"fullName", "cardNumber"}),
        person_of=lambda person: str(person.id),
        organisation_of=lambda person: person.cell_id,
    )
}
schema = strawberry.Schema(query=Query, extensions=[ErrorCodes, personal_data_reads(PERSONAL)])


def create_app(settings: ServiceSettings) -> FastAPI:
    return create_service_app(Runtime(settings), schema, use_cases=None)


@pytest_asyncio.fixture(loop_scope="session")
async def service() -> AsyncIterator[ServiceUnderTest]:
    async with serve(create_app, isolated(ServiceSettings, service_name="kitauth")) as running:
        yield running


async def test_graphql_without_the_gateways_identity_is_401(service: ServiceUnderTest) -> None:
    response = await service.client.post("/graphql", json={"query": "{ count }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    forged = sign_internal(
        Principal("x", grants=(Grant(Role.AUDITOR),)), Ed25519PrivateKey.generate()
    )
    response = await service.client.post(
        "/graphql", json={"query": "{ count }"}, headers={IDENTITY_HEADER: forged}
    )
    assert response.status_code == 401
    assert "data" not in response.json()


async def test_health_readiness_and_metrics_stay_open(service: ServiceUnderTest) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert (await service.client.get(path)).status_code == 200


async def read_as(
    service: ServiceUnderTest, reader: Principal, query: str, request_id: str, **headers: str
) -> httpx.Response:
    identity = {IDENTITY_HEADER: service.identity_token(reader), "x-request-id": request_id}
    return await service.client.post(
        "/graphql", json={"query": query}, headers={**identity, **headers}
    )


async def test_each_personal_read_is_logged_once_per_person_with_its_fields(
    service: ServiceUnderTest,
) -> None:
    reader = Principal("u-42", "Phạm Minh Đức", (Grant(Role.AUDITOR, "w-1"),))
    query = "query Roll { people { id fullName cardNumber } count }"
    response = await read_as(service, reader, query, "req-kit-access-1")
    assert response.status_code == 200
    assert len(response.json()["data"]["people"]) == 2
    entries = await service.app.state.runtime.access_log.find(subject="u-42")
    assert sorted((e.person_id, tuple(e.fields)) for e in entries) == [
        ("p-1", ("cardNumber", "fullName")),
        ("p-2", ("cardNumber", "fullName")),
    ]
    assert {e.request_id for e in entries} == {"req-kit-access-1"}
    assert {e.operation for e in entries} == {"Roll"}
    assert {tuple(e.roles) for e in entries} == {("AUDITOR@w-1",)}
    assert {e.organisation_id for e in entries} == {"c-1", "c-2"}
    assert {e.name for e in entries} == {"Phạm Minh Đức"}


async def test_each_request_a_fetch_answers_for_the_gateway_gets_its_entries(
    service: ServiceUnderTest,
) -> None:
    """The gateway joins one caller's identical fetches of one turn into one, naming the other
    requests (x-partyorg-joined-request-ids): each of them is logged as if it had asked."""
    reader = Principal("u-44", "Võ Thị Lan", (Grant(Role.AUDITOR),))
    joined = {JOINED_REQUEST_IDS_HEADER: '["req-joined-b", "req-joined-c"]'}
    response = await read_as(
        service, reader, "{ people { id fullName } }", "req-joined-a", **joined
    )
    assert response.status_code == 200
    entries = await service.app.state.runtime.access_log.find(subject="u-44")
    assert sorted((e.request_id, e.person_id) for e in entries) == [
        (request, person)
        for request in ("req-joined-a", "req-joined-b", "req-joined-c")
        for person in ("p-1", "p-2")
    ]


async def test_unreadable_joined_request_ids_leave_the_requests_own_entries(
    service: ServiceUnderTest,
) -> None:
    reader = Principal("u-45", grants=(Grant(Role.AUDITOR),))
    for sent in ("req-b,req-c", '{"ids": ["req-b"]}', json.dumps(["r"] * 101)):
        joined = {JOINED_REQUEST_IDS_HEADER: sent}
        await read_as(service, reader, "{ people { id cardNumber } }", "req-own", **joined)
    entries = await service.app.state.runtime.access_log.find(subject="u-45")
    assert len(entries) == 6  # two people, three requests
    assert {e.request_id for e in entries} == {"req-own"}


async def test_reads_of_no_personal_field_leave_no_entry(service: ServiceUnderTest) -> None:
    reader = Principal("u-43", grants=(Grant(Role.AUDITOR),))
    data = await service.execute_ok("{ count people { id } }", principal=reader)
    assert data["count"] == 2
    assert await service.app.state.runtime.access_log.find(subject="u-43") == []


async def test_an_unrecordable_read_is_not_answered(service: ServiceUnderTest) -> None:
    runtime = service.app.state.runtime
    kept = runtime.access_log
    # a real store that cannot be reached: nothing listens on port 1
    unreachable: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        "mongodb://127.0.0.1:1/", serverSelectionTimeoutMS=300
    )
    runtime.access_log = AccessLog(unreachable["nowhere"], "kitauth")
    try:
        body = await service.execute("{ people { fullName } }")
    finally:
        runtime.access_log = kept
        await unreachable.close()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "Trần" not in str(body)


@pytest.mark.parametrize("first", [0, -1, 501])
async def test_an_auditors_page_outside_1_to_500_is_bad_input(
    service: ServiceUnderTest, first: int
) -> None:
    with pytest.raises(BadAccessLogQuery) as refused:
        await access_entries(
            service.app.state.runtime.access_log,
            within=None,
            person_id=None,
            subject=None,
            since=None,
            until=None,
            first=first,
        )
    assert (refused.value.code, refused.value.details) == ("BAD_USER_INPUT", {"field": "first"})


async def test_an_auditors_page_keeps_to_the_organisations_within_reach(
    service: ServiceUnderTest,
) -> None:
    reader = Principal("u-44", grants=(Grant(Role.AUDITOR),))
    await service.execute_ok("{ people { fullName } }", principal=reader)
    log = service.app.state.runtime.access_log
    page = await access_entries(
        log, within={"c-2"}, person_id=None, subject="u-44", since=None, until=None, first=10
    )
    assert [(entry.person_id, entry.fields) for entry in page] == [("p-2", ["fullName"])]
