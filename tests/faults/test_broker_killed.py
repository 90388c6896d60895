"""RabbitMQ killed with `kill -9` twice while 5,000 members are registered one by one through
the gateway, and started again on its data each time: every registration is acknowledged and
stored, every member's event published (some twice: the relay publishes again what it could
not see confirmed) and applied once, and every member is on the evaluations roster. A broker
of the test's own (tests/faults/private_broker.py) under a whole suite of its own."""

import asyncio
import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from kit.testing import STAFF, eventually

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway, running_suite
from tests.e2e.giang_vo import GiangVoTree
from tests.e2e.test_city_pushes_by_keys import member_row
from tests.faults.private_broker import PrivateBroker, broker_available
from tests.faults.world import count_documents, record

MUTATIONS = 5_000
KILLED_AFTER = (1_500, 3_500)  # acknowledged registrations when the broker is killed
DOWN_SECONDS = 5
IN_FLIGHT = 8
MEMBER_REGISTERED = "partyorg.members.member.registered.v1"
pytestmark = pytest.mark.timeout(1800)  # 5,000 registrations: minutes on a busy machine
REGISTER = """
mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }
"""


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[PrivateBroker]:
    if not broker_available():
        pytest.fail("no RabbitMQ: `make infra` installs Debian's rabbitmq-server")
    with PrivateBroker(tmp_path / "rabbitmq") as running:
        yield running


@pytest.fixture
def suite_on_broker(broker: PrivateBroker) -> Iterator[Suite]:
    with running_suite("faults-broker", env={"AMQP_URL": broker.url}) as running:
        yield running


@contextlib.asynccontextmanager
async def kept_on_the_broker(broker: PrivateBroker, exchange: str) -> AsyncIterator[str]:
    """A durable queue bound to the members' registrations: it keeps every message published
    across the kills, read at the end. Yields its name."""
    name = f"tally.{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(broker.url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(name, durable=True)
        await queue.bind(exchange, routing_key=MEMBER_REGISTERED)
    yield name


async def read_all(broker: PrivateBroker, name: str) -> Counter[str]:
    """Each message id the queue holds, and how often."""
    seen: Counter[str] = Counter()
    connection = await aio_pika.connect(broker.url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.get_queue(name)
        while (message := await queue.get(fail=False, no_ack=True)) is not None:
            seen[message.message_id or ""] += 1
    return seen


class Registrations:
    """Members registered one by one, IN_FLIGHT at a time, each outcome kept."""

    def __init__(self, gateway: Gateway, tree: GiangVoTree) -> None:
        self.gateway = gateway
        self.tree = tree
        self.acknowledged: list[str] = []  # member ids
        self.refused: list[dict[str, Any]] = []
        self._next = 0

    async def run(self, count: int) -> None:
        async def writer() -> None:
            while self._next < count:
                n = self._next
                self._next += 1
                await self.register(n)

        await asyncio.gather(*(writer() for _ in range(IN_FLIGHT)))

    async def register(self, n: int) -> None:
        row = member_row(self.tree, n)
        cell = self.tree.ids[row.pop("organisationCode").removeprefix(f"{self.tree.tag}-")]
        del row["row"]
        answer = await self.gateway.execute(REGISTER, {"input": {**row, "organisationId": cell}})
        if answer.get("errors"):
            self.refused.append(answer["errors"][0])
        else:
            self.acknowledged.append(answer["data"]["registerMember"]["id"])


async def test_the_broker_killed_twice_during_5000_registrations_loses_nothing(
    broker: PrivateBroker, suite_on_broker: Suite
) -> None:
    suite = suite_on_broker
    gateway = Gateway(suite.gateway_url, suite.authorization(STAFF))
    tree = await GiangVoTree(gateway).build()

    async def cells_known() -> None:
        for service in ("members", "evaluations"):
            known = await count_documents(suite, service, "known_organisations")
            assert known == len(tree.ids), service

    await eventually(cells_known, timeout=60, interval=0.5)
    async with kept_on_the_broker(broker, suite.exchange) as tally:
        registrations = Registrations(gateway, tree)
        running = asyncio.create_task(registrations.run(MUTATIONS))
        for after in KILLED_AFTER:

            async def reached(after: int = after) -> None:
                assert len(registrations.acknowledged) >= after

            await eventually(reached, timeout=600, interval=0.2)
            broker.kill_9()
            print(f"broker killed at {len(registrations.acknowledged)} acknowledged")
            await asyncio.sleep(DOWN_SECONDS)
            await asyncio.to_thread(broker.start)
        await running
        members = registrations.acknowledged
        # the suite's databases are its own: every member in them is one of these
        stored = await count_documents(suite, "members", "members")

        async def every_member_applied() -> None:
            assert await count_documents(suite, "evaluations", "roster") == stored
            assert await count_documents(suite, "members", "outbox") == 0
            assert (
                await count_documents(
                    suite, "members", "members", {"pending_events.0": {"$exists": True}}
                )
                == 0
            )

        await eventually(every_member_applied, timeout=300, interval=1)
        published = await read_all(broker, tally)
    applied = await count_documents(suite, "evaluations", "inbox", {"type": MEMBER_REGISTERED})
    await gateway.close()
    record(
        "RabbitMQ killed twice during 5,000 registrations",
        acknowledged=len(members),
        refused=len(registrations.refused),
        stored=stored,
        events_published=sum(published.values()),
        distinct_events=len(published),
        published_again=sum(published.values()) - len(published),
        applied_by_evaluations=applied,
        on_the_roster=await count_documents(suite, "evaluations", "roster"),
    )
    assert registrations.refused == []  # registering needs the store, not the broker
    assert len(members) == MUTATIONS == stored
    assert len(published) == stored
    assert applied == stored
