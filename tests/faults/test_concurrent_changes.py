"""50 concurrent changes to one member through the gateway: none lost — each applied, and told
once, or refused with CONFLICT; the member's stored version counts exactly the applied ones."""

import asyncio
import os
import uuid
from collections import Counter
from typing import Any

import aio_pika
from kit.testing import eventually
from pymongo import AsyncMongoClient

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway
from tests.faults.world import record

CHANGES = 50
MEMBER_UPDATED = "partyorg.members.member.updated.v1"
CREATE = """
mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }
"""
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
UPDATE = """
mutation ($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { id } }
"""


async def a_member(gateway: Gateway) -> str:
    suffix = uuid.uuid4().hex[:6].upper()
    parent = None
    for kind, extra in (
        ("CITY_COMMITTEE", {}),
        ("DISTRICT_COMMITTEE", {}),
        ("WARD_COMMITTEE", {}),
        ("CELL", {"cellType": "RESIDENTIAL"}),
    ):
        fields = {"code": f"{kind[:3]}-{suffix}", "name": f"{kind} {suffix}", "kind": kind}
        data = await gateway.execute_ok(CREATE, {"input": {**fields, **extra, "parentId": parent}})
        parent = data["createOrganisation"]["id"]
    member = {
        "cardNumber": f"01.{suffix}",
        "fullName": "Nguyễn Văn Thử",
        "dateOfBirth": "1980-01-01",
        "gender": "MALE",
        "standing": "OFFICIAL",
        "admittedOn": "2005-01-01",
        "officialOn": "2006-01-01",
        "organisationId": parent,
    }

    async def registered() -> str:  # once the members service has the cell's event
        data = await gateway.execute_ok(REGISTER, {"input": member})
        return str(data["registerMember"]["id"])

    return await eventually(registered)


async def stored_version(suite: Suite, member_id: str) -> int:
    url = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    try:
        database = client[suite.environment("members")["MONGODB_DATABASE"]]
        document = await database["members"].find_one({"_id": member_id}, {"version": 1})
        assert document is not None
        return int(document["version"])
    finally:
        await client.close()


async def test_50_concurrent_changes_to_one_member_are_each_applied_or_refused_with_conflict(
    suite: Suite, gateway: Gateway
) -> None:
    member_id = await a_member(gateway)
    before = await stored_version(suite, member_id)
    told: list[str] = []
    amqp_url = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(suite.exchange)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, routing_key=MEMBER_UPDATED)

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                if member_id.encode() in message.body:
                    told.append(message.message_id or "")

        await queue.consume(collect)

        answers = await asyncio.gather(
            *(
                gateway.execute(
                    UPDATE, {"id": member_id, "input": {"fullName": f"Nguyễn Văn Thử {n}"}}
                )
                for n in range(CHANGES)
            )
        )

        outcomes = Counter(
            answer["errors"][0]["extensions"]["code"] if answer.get("errors") else "APPLIED"
            for answer in answers
        )
        applied = outcomes["APPLIED"]
        print(f"\n{CHANGES} concurrent updateMember: {dict(outcomes)}")
        assert set(outcomes) <= {"APPLIED", "CONFLICT"}, outcomes
        assert applied >= 1
        assert await stored_version(suite, member_id) == before + applied

        async def each_applied_told_once() -> None:
            assert len(told) == applied

        await eventually(each_applied_told_once, timeout=30)
        await asyncio.sleep(1)  # and no more after
        assert len(told) == applied
    record(
        "50 concurrent changes to one member",
        applied=applied,
        conflict=outcomes["CONFLICT"],
        stored_version_moved_by=applied,
        events_told=len(told),
    )
