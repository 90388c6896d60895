"""Events between real services over a real broker: redelivery, duplicates, outages."""

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from evaluations.config import Settings as EvaluationsSettings
from evaluations.main import create_app as create_evaluations
from kit.testing import ServiceUnderTest, eventually, isolated, serve
from members.config import Settings as MembersSettings
from members.main import create_app as create_members
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration

MEMBER_REGISTERED = "partyorg.members.member.registered.v1"
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
REGISTER = """
mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }
"""


def a_cell(cell_id: str) -> dict[str, Any]:
    return {
        "organisationId": cell_id,
        "code": f"C-{cell_id[:8]}",
        "name": "Chi bộ tổ dân phố số 1",
        "kind": "CELL",
        "cellType": "RESIDENTIAL",
        "parentId": None,
        "ancestorIds": [],
        "status": "ACTIVE",
        "coverage": ["TDP 1"],
        "dissolvedOn": None,
        "version": 1,
    }


def a_member(cell_id: str, n: int) -> dict[str, Any]:
    return {
        "cardNumber": f"09.{uuid.uuid4().hex[:10]}",
        "fullName": f"Trần Văn Thành {n}",
        "dateOfBirth": "1979-02-03",
        "gender": "MALE",
        "standing": "OFFICIAL",
        "admittedOn": "2004-06-01",
        "officialOn": "2005-06-01",
        "organisationId": cell_id,
    }


async def roster(service: ServiceUnderTest) -> list[dict[str, Any]]:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(service.settings.mongodb_url)
    try:
        collection = mongo[service.settings.database_name]["roster"]
        return [document async for document in collection.find({})]
    finally:
        await mongo.close()


async def test_the_same_event_delivered_twice_is_applied_once() -> None:
    settings = isolated(EvaluationsSettings)
    async with serve(create_evaluations, settings) as evaluations:
        event_id = uuid.uuid4().hex
        data = {
            "memberId": "m-1",
            "fullName": "Lê Thị Mai",
            "standing": "OFFICIAL",
            "organisationId": "cell-1",
            "workplaceRole": "CIVIL_SERVANT",
            "admittedOn": "2005-03-02",
            "version": 1,
        }
        await evaluations.deliver(MEMBER_REGISTERED, data, id=event_id)
        await evaluations.deliver(MEMBER_REGISTERED, data, id=event_id)
        consumer = evaluations.app.state.runtime.consumer

        async def both_handled() -> None:
            assert await consumer.inbox.has_applied(event_id)

        await eventually(both_handled)
        await asyncio.sleep(0.5)  # give the second delivery its chance to do harm
        entries = await roster(evaluations)
        assert len(entries) == 1
        assert len(entries[0]["placements"]) == 1


# --- RabbitMQ stops for ten seconds while members are being registered -------------------

OUTAGE_NODE = f"partyorg-outage-{os.getpid()}@localhost"


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "-n", OUTAGE_NODE, *args], check=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    pytest.fail(f"the test's RabbitMQ node did not open port {port}")


@pytest.fixture(scope="module")
def outage_broker() -> Iterator[str]:
    """A RabbitMQ node of this test's own, so that stopping it disturbs nobody else."""
    if shutil.which("rabbitmq-server") is None:
        pytest.fail("rabbitmq-server is not installed: run infra/local/infra.sh up")
    port, distribution_port = free_port(), free_port()
    env = {
        **os.environ,
        "RABBITMQ_NODENAME": OUTAGE_NODE,
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(distribution_port),
    }
    subprocess.run(["rabbitmq-server", "-detached"], env=env, check=True, timeout=60)
    try:
        wait_for_port(port)
        yield f"amqp://guest:guest@127.0.0.1:{port}/"
    finally:
        with contextlib.suppress(Exception):
            rabbitmqctl("stop")


@contextlib.asynccontextmanager
async def members_and_evaluations(
    amqp_url: str,
) -> AsyncIterator[tuple[ServiceUnderTest, ServiceUnderTest]]:
    exchange = f"test.outage.{uuid.uuid4().hex[:8]}"
    members_settings = isolated(MembersSettings, amqp_url=amqp_url, event_exchange=exchange)
    evaluations_settings = isolated(EvaluationsSettings, amqp_url=amqp_url, event_exchange=exchange)
    async with (
        serve(create_evaluations, evaluations_settings) as evaluations,
        serve(create_members, members_settings) as members,
    ):
        yield members, evaluations


async def test_members_registered_while_rabbitmq_is_down_all_reach_the_roster_once(
    outage_broker: str,
) -> None:
    async with members_and_evaluations(outage_broker) as (members, evaluations):
        cell_id = str(uuid.uuid4())
        await members.deliver(ORGANISATION_REGISTERED, a_cell(cell_id))
        await eventually(lambda: members.execute_ok(REGISTER, {"input": a_member(cell_id, 0)}))

        registered = 1
        outage_over = asyncio.Event()

        async def keep_registering() -> None:
            nonlocal registered
            while not outage_over.is_set() or registered < 40:
                await members.execute_ok(REGISTER, {"input": a_member(cell_id, registered)})
                registered += 1
                await asyncio.sleep(0.1)

        registering = asyncio.create_task(keep_registering())
        await asyncio.sleep(1)
        await asyncio.to_thread(rabbitmqctl, "stop_app")
        before_outage = registered
        await asyncio.sleep(10)
        registered_while_down = registered - before_outage
        await asyncio.to_thread(rabbitmqctl, "start_app")
        outage_over.set()
        await registering

        async def everyone_on_the_roster() -> None:
            assert len(await roster(evaluations)) == registered

        await eventually(everyone_on_the_roster, timeout=60)
        entries = await roster(evaluations)
        assert registered_while_down >= 10
        assert len({entry["_id"] for entry in entries}) == registered
        assert all(len(entry["placements"]) == 1 for entry in entries)
