"""One request's journey through every path: gateway → subgraph → MongoDB → outbox →
RabbitMQ → consumer in another service → a federated query across all three."""

import json
import uuid
from typing import Any

from kit.testing import eventually

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway

CREATE = """
mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id name } }
"""
REGISTER = """
mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id fullName } }
"""
ACROSS_ALL_THREE = """
query ($id: ID!) {
  organisation(id: $id) {
    name
    members { fullName evaluations(period: "2019-10") { period } }
  }
}
"""


async def create(gateway: Gateway, **fields: Any) -> str:
    data = await gateway.execute_ok(CREATE, {"input": fields})
    return str(data["createOrganisation"]["id"])


async def test_a_query_spans_all_three_services_after_events_have_travelled(
    gateway: Gateway,
) -> None:
    suffix = uuid.uuid4().hex[:6].upper()
    city = await create(gateway, code=f"HN-{suffix}", name="Thành ủy Hà Nội", kind="CITY_COMMITTEE")
    district = await create(
        gateway,
        code=f"BD-{suffix}",
        name="Quận ủy Ba Đình",
        kind="DISTRICT_COMMITTEE",
        parentId=city,
    )
    ward = await create(
        gateway,
        code=f"GV-{suffix}",
        name="Đảng ủy phường Giảng Võ",
        kind="WARD_COMMITTEE",
        parentId=district,
    )
    cell = await create(
        gateway,
        code=f"GV-CQ-{suffix}",
        name="Chi bộ cơ quan phường Giảng Võ",
        kind="CELL",
        cellType="AGENCY",
        parentId=ward,
    )
    member = {
        "cardNumber": f"01.{suffix}",
        "fullName": "Nguyễn Thị Hồng Hạnh",
        "dateOfBirth": "1985-04-12",
        "gender": "FEMALE",
        "standing": "OFFICIAL",
        "admittedOn": "2010-05-19",
        "officialOn": "2011-05-19",
        "organisationId": cell,
    }

    async def register() -> None:  # the members service learns of the cell by its event
        await gateway.execute_ok(REGISTER, {"input": member})

    await eventually(register)

    async def everything_known() -> dict[str, Any]:
        data = await gateway.execute_ok(ACROSS_ALL_THREE, {"id": cell})
        assert data["organisation"]["members"][0]["evaluations"], "roster not updated yet"
        return data

    data = await eventually(everything_known)
    assert data == {
        "organisation": {
            "name": "Chi bộ cơ quan phường Giảng Võ",
            "members": [
                {"fullName": "Nguyễn Thị Hồng Hạnh", "evaluations": [{"period": "2019-10"}]}
            ],
        }
    }


async def test_bad_input_gets_a_coded_error_and_changes_nothing(gateway: Gateway) -> None:
    suffix = uuid.uuid4().hex[:6].upper()
    city = await create(gateway, code=f"HN-{suffix}", name="Thành ủy", kind="CITY_COMMITTEE")
    body = await gateway.execute(
        CREATE,
        {"input": {"code": f"HN-{suffix}", "name": "Again", "kind": "CITY_COMMITTEE"}},
    )
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    body = await gateway.execute(
        "query ($id: ID!) { organisation(id: $id) { name } }", {"id": city}
    )
    assert body["data"] == {"organisation": {"name": "Thành ủy"}}


async def test_the_request_id_travels_from_the_gateway_to_the_consumer_in_another_service(
    gateway: Gateway, suite: Suite
) -> None:
    trace = f"e2e-trace-{uuid.uuid4().hex[:8]}"
    response = await gateway.client.post(
        gateway.url,
        json={
            "query": CREATE,
            "variables": {
                "input": {"code": f"T-{trace}", "name": "Thành ủy", "kind": "CITY_COMMITTEE"}
            },
        },
        headers={"x-request-id": trace},
    )
    assert "errors" not in response.json()

    async def members_log_mentions_it() -> None:
        lines = suite.log_files["members"].read_text().splitlines()
        applied = [json.loads(line) for line in lines if trace in line]
        assert any(entry["message"] == "event applied" for entry in applied)
        assert all(entry["request_id"] == trace for entry in applied)

    await eventually(members_log_mentions_it)
