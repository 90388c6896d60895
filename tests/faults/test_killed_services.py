"""A service killed with SIGKILL at a seam of a write, and started again: nothing lost,
nothing applied twice. The process kills itself at a crash point (kit.crash_points) so that
the seam is hit every run, not by luck."""

import asyncio
import json
import uuid

import pytest
from kit.testing import eventually

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway
from tests.e2e.giang_vo import GiangVoTree
from tests.e2e.test_city_pushes_by_keys import IMPORT, member_row
from tests.faults.world import (
    AMQP_URL,
    CREATE,
    ORGANISATION_REGISTERED,
    UNSENT,
    EventTally,
    applied_by,
    city_committee,
    count_documents,
    died_of_sigkill,
    record,
    restart,
)

CHANGES = 12
IMPORTED = 300
MEMBER_REGISTERED = "partyorg.members.member.registered.v1"


async def create_organisations(gateway: Gateway, count: int) -> tuple[list[str], int]:
    """Create `count` city committees at once: the codes acknowledged, and how many failed
    (their service died under them)."""
    codes = [f"F-{uuid.uuid4().hex[:8].upper()}" for _ in range(count)]
    answers = await asyncio.gather(*(gateway.execute(CREATE, city_committee(c)) for c in codes))
    acknowledged = [c for c, a in zip(codes, answers, strict=True) if not a.get("errors")]
    return acknowledged, count - len(acknowledged)


async def test_the_relay_killed_between_publish_and_removal_publishes_again_and_loses_nothing(
    suite: Suite, gateway: Gateway
) -> None:
    before = await count_documents(suite, "organisations", "organisations")
    async with EventTally(AMQP_URL, suite.exchange, (ORGANISATION_REGISTERED,)) as tally:
        await restart(suite, "organisations", crash_at="relay.published")
        acknowledged, failed = await create_organisations(gateway, CHANGES)
        await died_of_sigkill(suite, "organisations")
        await restart(suite, "organisations")
        more, _ = await create_organisations(gateway, CHANGES)
        assert len(more) == CHANGES
        acknowledged += more
        stored = await count_documents(suite, "organisations", "organisations") - before
        assert stored >= len(acknowledged)  # a write cut before its answer may be in too

        async def every_stored_one_told_and_known() -> None:
            assert tally.distinct == stored
            known = await count_documents(
                suite, "members", "known_organisations", {"code": {"$in": codes_of(tally)}}
            )
            assert known == stored

        await eventually(every_stored_one_told_and_known, timeout=60, interval=0.5)
    assert tally.again >= 1, "the crash was between publish and removal: published again"
    record(
        "organisations killed in the relay (published, not removed)",
        acknowledged=len(acknowledged),
        refused_while_down=failed,
        stored=stored,
        events_published=sum(tally.seen.values()),
        distinct_events=tally.distinct,
        published_again=tally.again,
        known_to_members=stored,
    )


@pytest.mark.parametrize("seam", ["consumer.handled", "consumer.marked"])
async def test_a_consumer_killed_after_its_write_and_before_its_ack_applies_each_event_once(
    suite: Suite, gateway: Gateway, seam: str
) -> None:
    """`consumer.handled`: the handler wrote, the inbox claim is not marked — the event comes
    back once the claim lapses and is applied again, to no effect (idempotent handler).
    `consumer.marked`: the claim is marked — the event comes back and is acknowledged unapplied."""
    await restart(suite, "members", crash_at=seam)
    acknowledged, failed = await create_organisations(gateway, CHANGES)
    assert failed == 0
    await died_of_sigkill(suite, "members")
    written_before = await count_documents(
        suite, "members", "known_organisations", {"code": {"$in": acknowledged}}
    )
    assert written_before >= 1, "the handler wrote before the crash"
    await restart(suite, "members")

    marked_before = 0 if seam == "consumer.handled" else written_before

    async def every_one_known_and_applied_once() -> None:
        known = await count_documents(
            suite, "members", "known_organisations", {"code": {"$in": acknowledged}}
        )
        assert known == CHANGES
        assert (
            await applied_by(suite, "members", ORGANISATION_REGISTERED) >= CHANGES - marked_before
        )

    await eventually(every_one_known_and_applied_once, timeout=150, interval=1)
    await asyncio.sleep(3)  # and none applied again after
    applied_after = await applied_by(suite, "members", ORGANISATION_REGISTERED)
    assert applied_after == CHANGES - marked_before
    record(
        f"members killed at {seam}",
        acknowledged=len(acknowledged),
        written_before_the_kill=written_before,
        applied_after_restart=applied_after,
        known_to_members=CHANGES,
    )


async def test_a_bulk_import_killed_between_publishing_its_events_and_marking_them_sent(
    suite: Suite, gateway: Gateway
) -> None:
    """The members of an import ride in an outbox batch (kit.event_batches): members killed
    once the batch's events are confirmed, before the batch is marked SENT — started again,
    it publishes the batch again (same ids); every imported member told, none twice as new."""
    tree = await GiangVoTree(gateway).build()
    rows = [member_row(tree, n) for n in range(1, IMPORTED + 1)]

    async def cells_known_to_members() -> None:
        probe = await gateway.execute_ok(IMPORT, {"rows": rows[:3], "dryRun": True})
        assert probe["importMembers"]["rejected"] == 0, probe

    await eventually(cells_known_to_members, timeout=60)
    cells = {"organisation_id": {"$in": [tree.ids[c] for c in ("CQ", "TDP01", "TDP02")]}}
    async with EventTally(AMQP_URL, suite.exchange, (MEMBER_REGISTERED,)) as tally:
        await restart(suite, "members", crash_at="relay.published")
        answer = await gateway.execute(IMPORT, {"rows": rows, "dryRun": False})
        await died_of_sigkill(suite, "members")
        stored = await count_documents(suite, "members", "members", cells)
        await restart(suite, "members")

        async def every_imported_one_told_and_the_batch_again() -> None:
            assert tally.distinct == stored
            assert tally.again == stored  # the batch's events were all confirmed before the kill
            assert await count_documents(suite, "members", "outbox", UNSENT) == 0

        await eventually(every_imported_one_told_and_the_batch_again, timeout=90, interval=0.5)
    assert stored == IMPORTED
    acknowledged = 0 if answer.get("errors") else answer["data"]["importMembers"]["created"]
    record(
        "members killed mid-import (batch published, not marked SENT)",
        rows=IMPORTED,
        acknowledged=acknowledged,
        stored=stored,
        events_published=sum(tally.seen.values()),
        distinct_events=tally.distinct,
        published_again=tally.again,
        outbox_batches_left_unsent=await count_documents(suite, "members", "outbox", UNSENT),
    )


def codes_of(tally: EventTally) -> list[str]:
    return [json.loads(body)["data"]["code"] for body in tally.bodies.values()]
