"""A dissolved cell's receptions written in bulk (one update, their events in an outbox batch,
kit.batched_saves), the members service killed between that update and marking the batch
READY: started again, every reception is told once, none invented, and the people still move
and the case still closes."""

import asyncio

from kit.testing import eventually

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway
from tests.e2e.test_dissolution_in_bulk import CASE, INTRODUCE, RECEIVE
from tests.e2e.test_members_dissolution import ANNOUNCE, GiangVo, step
from tests.faults.world import (
    AMQP_URL,
    WRITING,
    EventTally,
    age_writing_batches,
    count_documents,
    died_of_sigkill,
    record,
    restart,
)

MEMBERS = 30
RECEIVED = "partyorg.members.transfer.received.v1"
UPDATED = "partyorg.members.member.updated.v1"


async def test_members_killed_between_the_bulk_reception_and_ready_tell_each_reception_once(
    suite: Suite, gateway: Gateway
) -> None:
    ward = GiangVo(gateway)
    await ward.build()
    await eventually(lambda: ward.register(1), timeout=60)  # the cells are known to members
    await asyncio.gather(*(ward.register(n) for n in range(2, MEMBERS + 1)))
    case_id = await ward.decide()

    async def all_created() -> None:
        case = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        assert case["transferProgress"]["awaitingIntroduction"] == MEMBERS

    await eventually(all_created, timeout=90)
    await step(gateway, case_id, ANNOUNCE)
    letters = (await gateway.execute_ok(INTRODUCE, {"case": case_id}))["issueIntroductions"]
    assert letters["done"] == MEMBERS
    received = {"case_id": case_id, "state": "RECEIVED"}

    async with EventTally(AMQP_URL, suite.exchange, (RECEIVED, UPDATED)) as tally:
        await restart(suite, "members", crash_at="batches.updated")
        answer = await gateway.execute(RECEIVE, {"case": case_id})
        await died_of_sigkill(suite, "members")
        written = await count_documents(suite, "members", "transfers", received)
        left_writing = await count_documents(suite, "members", "outbox", WRITING)
        await age_writing_batches(suite, "members")
        await restart(suite, "members")

        async def each_reception_told_once_and_the_case_closed() -> None:
            told = [tally.bodies[i] for i in tally.seen]
            assert sum(RECEIVED.encode() in body for body in told) == MEMBERS
            assert tally.again == 0
            case = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
            assert (case["stage"], case["transferProgress"]["received"]) == ("CLOSED", MEMBERS)
            agency = {"organisation_id": ward.ids["CQ"]}
            assert await count_documents(suite, "members", "members", agency) == 0
            assert await count_documents(suite, "members", "outbox", WRITING) == 0

        await eventually(each_reception_told_once_and_the_case_closed, timeout=120, interval=1)
    assert answer.get("errors"), "the members service died under the call"
    assert (written, left_writing) == (MEMBERS, 1)
    record(
        "members killed between a bulk reception's update and its batch READY",
        transfers=MEMBERS,
        received_when_killed=written,
        batches_left_writing=left_writing,
        receptions_told=sum(RECEIVED.encode() in b for b in tally.bodies.values()),
        published_again=tally.again,
    )
