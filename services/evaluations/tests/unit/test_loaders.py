"""The per-request loaders read each kind of record once per period for a whole list."""

from collections.abc import Sequence
from datetime import date

from evaluations.domain import Assignment, FinalisedRatings, Period, Placement, Rating, RosterEntry
from evaluations.schema.loaders import Loaders
from evaluations.service import UseCases
from evaluations.service.commands import AssignTask

OCTOBER, YEAR = Period.parse("2019-10"), Period.parse("2019")


async def test_tasks_of_members_in_two_periods_take_one_read_per_period_each_member_its_own(
    service: UseCases,
) -> None:
    for member_id in ("an", "binh"):
        entry = RosterEntry(member_id, member_id, "CADRE", [Placement("gv-tdp-1", None)])
        await service.roster.enrol(entry, 1, f"registered-{member_id}")
    given = {
        (member_id, period): [
            await service.assignments.assign_task(
                AssignTask(member_id, str(period), task, date(2019, 10, day))
            )
            for task, day in [(f"{member_id} {period} b", 9), (f"{member_id} {period} a", 2)]
        ]
        for member_id in ("an", "binh")
        for period in (OCTOBER, YEAR)
    }
    reads: list[tuple[list[str], Period]] = []
    read_many = service.assignments.of_members

    async def counted(members: Sequence[str], period: Period) -> dict[str, list[Assignment]]:
        reads.append((list(members), period))
        return await read_many(members, period)

    service.assignments.of_members = counted  # type: ignore[method-assign]
    keys = [("an", OCTOBER), ("binh", YEAR), ("an", YEAR), ("cuong", OCTOBER)]

    found = await Loaders(service).assignments.load_many(keys)

    assert found == [given.get(key, []) for key in keys]
    assert reads == [(["an", "cuong"], OCTOBER), (["an", "binh"], YEAR)]


def test_a_wards_finalised_ratings_leave_out_the_evaluations_own() -> None:
    ward = FinalisedRatings({"an:2019": Rating.EXCELLENT, "binh:2019": Rating.GOOD})

    assert ward.besides("an:2019") == {Rating.EXCELLENT: 0, Rating.GOOD: 1}
    assert ward.besides("cuong:2019") == {Rating.EXCELLENT: 1, Rating.GOOD: 1}
