"""Members received by transfer in a batch (a dissolved cell's): the roster and the open
evaluations move in a few writes, once, whether the members are known yet or not."""

import uuid
from datetime import date
from typing import Any

from evaluations.domain import Placement, Policy
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
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
