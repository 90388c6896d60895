"""A change reads its subject once, for the caller's check, and writes exactly what was checked:
a subject changed by someone else after the check is refused with CONFLICT, nothing written."""

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import TypeVar

import pytest
from kit.identity import Grant, Principal, Role
from organisations.domain import Dissemination, Organisation
from organisations.service.commands import UpdateOrganisation

from services.organisations.tests.unit.fakes import Services, answer
from services.organisations.tests.unit.two_districts import acting, two_districts

T = TypeVar("T")
UPDATE = """mutation ($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) { id }
}"""
DISSEMINATE = """mutation ($input: RecordDisseminationInput!) {
  recordDissemination(input: $input) { id }
}"""
Read = Callable[[str], Awaitable[T]]


def counted(read: Read[T], reads: Counter[str]) -> Read[T]:
    async def counting(id: str) -> T:
        reads[id] += 1
        return await read(id)

    return counting


def changed_meanwhile(read: Read[T], when: str, change: Callable[[], Awaitable[object]]) -> Read[T]:
    """`read`, but someone else makes `change` as `when` is first read: the checks read the
    subject first, then what the check needs (its cell, a new parent), then write."""
    pending = [change]

    async def reading(id: str) -> T:
        if id == when and pending:
            await pending.pop()()
        return await read(id)

    return reading


def dissemination(attendees: int) -> Dissemination:
    return Dissemination(date(2019, 9, 9), attendees, ["38-KL/TW"])


async def test_a_step_reads_its_case_once_and_an_update_its_organisation_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await two_districts(services)
    services.clock.set_today(date(2019, 9, 20))
    cases, organisations = Counter[str](), Counter[str]()
    monkeypatch.setattr(services.cases, "get", counted(services.cases.get, cases))
    monkeypatch.setattr(
        services.organisations, "get", counted(services.organisations.get, organisations)
    )

    held = {"caseId": ids["GV-case"], "heldOn": "2019-09-09", "attendeeCount": 20, "documents": []}
    ward = acting(Role.WARD_COMMITTEE, ids["GV"])
    assert (await answer(services, ward, DISSEMINATE, input=held))[1] == []
    renamed = {"id": ids["GV-TDP01"], "name": "Chi bộ số 1"}
    district = acting(Role.DISTRICT_STANDING, ids["BD"])
    assert (await answer(services, district, UPDATE, input=renamed))[1] == []

    assert cases[ids["GV-case"]] == 1
    assert organisations[ids["GV-TDP01"]] == 1


async def test_a_step_someone_else_took_after_the_check_is_refused_as_the_case_now_stands(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await two_districts(services)
    services.clock.set_today(date(2019, 9, 20))
    case_id = ids["GV-case"]

    async def someone_else_records_it() -> None:
        other = acting(Role.WARD_COMMITTEE, ids["GV"], name="Lê Thị Khác", subject="u-khac")
        case = await services.dissolution_reads.case(case_id)
        await services.dissolution.record_dissemination(case, dissemination(30), other, None)

    # the check reads the case, then its cell's ancestry: someone else records the step between
    pending = [someone_else_records_it]
    get_many = services.organisations.get_many

    async def reading(organisation_ids: Sequence[str]) -> list[Organisation]:
        if ids["GV-CQ"] in organisation_ids and pending:
            await pending.pop()()
        return await get_many(organisation_ids)

    monkeypatch.setattr(services.organisations, "get_many", reading)
    # taken again on the case as it now is, the step is no longer the next one
    held = {"caseId": case_id, "heldOn": "2019-09-09", "attendeeCount": 20, "documents": []}
    ward = acting(Role.WARD_COMMITTEE, ids["GV"])
    assert (await answer(services, ward, DISSEMINATE, input=held))[1] == ["INVALID_TRANSITION"]

    case = await services.dissolution_reads.case(case_id)
    assert case.dissemination == dissemination(30) and len(case.audit_trail) == 1
    assert len(services.outbox.of_type("dissolution.disseminated.v1")) == 1


async def test_an_organisation_renamed_by_someone_else_while_its_move_is_checked_is_a_conflict(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await two_districts(services)
    services.clock.set_today(date(2019, 9, 20))
    both_districts = Principal(
        "u-2",
        "Hai quận",
        (Grant(Role.DISTRICT_STANDING, ids["BD"]), Grant(Role.DISTRICT_STANDING, ids["TH"])),
    )
    updated_before = len(services.outbox.of_type("organisation.updated.v1"))

    async def someone_else_renames_it() -> None:
        ward = await services.hierarchy.organisation(ids["GV"])
        await services.hierarchy.update_organisation(ward, UpdateOrganisation(name="Giảng Võ mới"))

    monkeypatch.setattr(
        services.organisations,
        "get",
        changed_meanwhile(services.organisations.get, ids["TH"], someone_else_renames_it),
    )
    move = {"id": ids["GV"], "parentId": ids["TH"]}
    assert (await answer(services, both_districts, UPDATE, input=move))[1] == ["CONFLICT"]

    ward = await services.hierarchy.organisation(ids["GV"])
    cell = await services.hierarchy.organisation(ids["GV-CQ"])
    assert (ward.name, ward.parent_id, cell.ancestor_ids) == (
        "Giảng Võ mới",
        ids["BD"],
        [ids["HN"], ids["BD"], ids["GV"]],
    )
    assert len(services.outbox.of_type("organisation.updated.v1")) == updated_before + 1
