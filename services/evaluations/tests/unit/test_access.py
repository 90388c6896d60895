"""The request's access check looks up what the rules need in batches: one query per kind,
however many objects."""

import asyncio
from collections.abc import Sequence
from typing import Any

from evaluations.authorisation import Operation
from evaluations.domain import Placement, RosterEntry
from evaluations.schema.access import Access
from evaluations.service import UseCases
from kit.errors import Forbidden
from kit.identity import Grant, Principal, Role

from services.evaluations.tests.unit.fakes import Fakes


class Counted:
    """Counts the calls of a repository's batch method."""

    def __init__(self, repository: Any, method: str) -> None:
        self.calls: list[Sequence[str]] = []
        original = getattr(repository, method)

        async def counted(ids: Sequence[str]) -> Any:
            self.calls.append(list(ids))
            return await original(ids)

        setattr(repository, method, counted)


async def test_many_evaluations_are_authorised_with_one_query_per_kind(
    service: UseCases, fakes: Fakes
) -> None:
    cells = ["gv-tdp-1", "gv-tdp-2", "km-tdp-1"]
    members = [f"m-{n}" for n in range(12)]
    for n, member in enumerate(members):
        entry = RosterEntry(member, member, None, [Placement(cells[n % 3], None)])
        await service.roster.enrol(entry, 1, f"registered-{member}")
    organisations = Counted(fakes.organisations, "many")
    roster = Counted(fakes.roster, "many")
    evaluations = Counted(fakes.evaluations, "many")
    ward = Principal("u-1", "", (Grant(Role.WARD_COMMITTEE, "giang-vo"),))
    access = Access(ward, service.roster, service.evaluations)

    async def read(member: str) -> str | None:
        try:
            return (await access.evaluation(Operation.READ_EVALUATION, f"{member}:2019-10")).id
        except Forbidden:
            return None

    found = await asyncio.gather(*(read(member) for member in members))

    assert [f is not None for f in found] == [n % 3 != 2 for n in range(12)]
    assert (len(organisations.calls), len(roster.calls), len(evaluations.calls)) == (1, 1, 1)
    assert sorted(organisations.calls[0]) == sorted(cells)


async def test_a_list_is_filtered_with_one_lookup_of_the_organisations(
    service: UseCases, fakes: Fakes
) -> None:
    organisations = Counted(fakes.organisations, "many")
    secretary = Principal("u-2", "", (Grant(Role.CELL_SECRETARY, "gv-tdp-1"),))
    places = [("gv-tdp-1", "a"), ("gv-tdp-2", "b"), ("km-tdp-1", "c"), (None, "d")] * 5

    visible = await Access(secretary, service.roster, service.evaluations).keep(
        Operation.READ_EVALUATION, places, lambda place: place
    )

    assert visible == [("gv-tdp-1", "a")] * 5
    assert len(organisations.calls) == 1
