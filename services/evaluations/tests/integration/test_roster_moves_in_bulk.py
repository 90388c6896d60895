"""Members received by transfer in a batch (a dissolved cell's): the roster and the open
evaluations move in a few writes, once, whether the members are known yet or not."""

import uuid
from datetime import date
from typing import Any

from evaluations.domain import Placement, Policy
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
from evaluations.service.roster_ports import Profile
from kit.testing import ServiceUnderTest

from services.evaluations.tests.integration.test_ranking import propose


async def test_a_batch_of_receptions_moves_each_member_and_their_open_evaluation_once(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, first, second) = await scenario.ward()
    members = [await scenario.member(agency, "OTHER") for _ in range(40)]
    for member in members:
        await scenario.until_evaluated_by(member, "2019-10", agency)
    await propose(service, members[0], "2019-10", "GOOD")
    unknown = f"member-{uuid.uuid4().hex[:8]}"  # its registration not heard of yet
    db = service.app.state.runtime.db
    repositories = MongoRepositories(db)
    roster = use_cases(repositories, Policy()).roster
    moves = [
        (m, Placement((first, second)[n % 2], date(2019, 10, 8), f"t-{m}"), f"e-{m}")
        for n, m in enumerate([*members, unknown])
    ]

    await roster.record_transfers(moves)
    await roster.record_transfers(moves)  # the batch redelivered

    for n, member in enumerate(members):
        assert await scenario.evaluated_by(member, "2019-10") == (first, second)[n % 2]
        assert await scenario.evaluated_by(member, "2019-09") == agency
    entries = {e.member_id: e for e in await repositories.roster.many([*members, unknown])}
    assert {len(e.placements) for m, e in entries.items() if m != unknown} == {2}
    assert [p.cell_id for p in entries[unknown].placements] == [first]
    moved = await repositories.evaluations.get(f"{members[0]}:2019-10")
    assert moved is not None and moved.cell_id == first


async def test_a_batch_of_profile_updates_keeps_each_members_newest_profile(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, _, _) = await scenario.ward()
    members = [await scenario.member(agency, "OTHER") for _ in range(12)]
    for member in members:
        await scenario.until_evaluated_by(member, "2019-10", agency)
    unknown = f"member-{uuid.uuid4().hex[:8]}"  # its registration not heard of yet
    roster = MongoRepositories(service.app.state.runtime.db).roster
    await roster.update_profile(members[0], "Tên mới hơn", "CADRE", 9)
    batch = [
        *(Profile(m, f"Đổi tên {n}", "CADRE", 5) for n, m in enumerate(members)),
        Profile(members[1], "Tên cũ", "OTHER", 4),  # an older version, behind the newer one
        Profile(members[2], "Tên mới nhất", "PUBLIC_EMPLOYEE", 6),
        Profile(unknown, "Người chưa biết", None, 2),
    ]

    await roster.update_profiles(batch)
    await roster.update_profiles(batch)  # the batch redelivered

    entries = {e.member_id: e for e in await roster.many([*members, unknown])}
    assert (entries[members[0]].full_name, entries[members[0]].workplace_role) == (
        "Tên mới hơn",
        "CADRE",
    )
    assert entries[members[1]].full_name == "Đổi tên 1"
    assert (entries[members[2]].full_name, entries[members[2]].workplace_role) == (
        "Tên mới nhất",
        "PUBLIC_EMPLOYEE",
    )
    assert [entries[m].full_name for m in members[3:]] == [
        f"Đổi tên {n}" for n in range(3, len(members))
    ]
    assert (entries[unknown].full_name, entries[unknown].placements) == ("Người chưa biết", [])


async def test_a_profile_told_again_at_the_next_version_writes_nothing(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (agency, _, _) = await scenario.ward()
    member = await scenario.member(agency, "OTHER")
    await scenario.until_evaluated_by(member, "2019-10", agency)
    roster = MongoRepositories(service.app.state.runtime.db).roster
    documents = service.app.state.runtime.db["roster"]
    [entry] = await roster.many([member])
    same = Profile(member, entry.full_name, entry.workplace_role, 2, entry.key_digests)

    await roster.update_profiles([same])  # a move's member.updated: nothing the roster shows
    assert (await documents.find_one({"_id": member}))["version"] == 1

    await roster.update_profiles([same._replace(version=4)])  # a version came between
    assert (await documents.find_one({"_id": member}))["version"] == 4
    await roster.update_profiles([same._replace(full_name="Tên mới", version=5)])
    assert (await roster.many([member]))[0].full_name == "Tên mới"
