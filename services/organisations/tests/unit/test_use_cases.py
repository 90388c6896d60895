"""The use cases over in-memory repositories."""

from collections.abc import Awaitable
from datetime import date
from typing import Any

import pytest
from kit.identity import Grant, Principal, Role
from organisations.domain import (
    Announcement,
    Approval,
    CellType,
    Conflict,
    Decision,
    Dissemination,
    NotFound,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Plan,
    Relocation,
    Stage,
)
from organisations.service.commands import (
    CreateOrganisation,
    IssueDirective,
    LaunchCampaign,
    UpdateOrganisation,
)

from services.organisations.tests.unit.fakes import Services

AN = Principal("u-an", "Nguyễn Văn An", (Grant(Role.DISTRICT_STANDING), Grant(Role.WARD_COMMITTEE)))


async def ba_dinh(services: Services, wards: tuple[str, ...] = ("GV",)) -> dict[str, str]:
    def create(**fields: Any) -> Awaitable[Organisation]:
        return services.hierarchy.create_organisation(CreateOrganisation(**fields))

    ids = {
        "HN": (
            await create(
                code="HN",
                name="Thành ủy Hà Nội",
                kind=OrganisationKind.CITY_COMMITTEE,
                parent_id=None,
            )
        ).id
    }
    ids["BD"] = (
        await create(
            code="HN-BD",
            name="Quận ủy Ba Đình",
            kind=OrganisationKind.DISTRICT_COMMITTEE,
            parent_id=ids["HN"],
        )
    ).id
    for ward in wards:
        ids[ward] = (
            await create(
                code=f"HN-BD-{ward}",
                name=f"Đảng ủy phường {ward}",
                kind=OrganisationKind.WARD_COMMITTEE,
                parent_id=ids["BD"],
            )
        ).id
        ids[f"{ward}-CQ"] = (
            await create(
                code=f"HN-BD-{ward}-CQ",
                name="Chi bộ cơ quan",
                kind=OrganisationKind.CELL,
                parent_id=ids[ward],
                cell_type=CellType.AGENCY,
            )
        ).id
        ids[f"{ward}-TDP01"] = (
            await create(
                code=f"HN-BD-{ward}-TDP01",
                name="Chi bộ tổ dân phố số 1",
                kind=OrganisationKind.CELL,
                parent_id=ids[ward],
                cell_type=CellType.RESIDENTIAL,
                coverage=["TDP 1"],
            )
        ).id
    await services.directives.issue_directive(
        IssueDirective(
            number="383-CV/QU",
            issuer="Ban Thường vụ Quận ủy Ba Đình",
            issued_on=date(2019, 9, 5),
            title="Triển khai 14-HD/BTCTU",
        )
    )
    return ids


async def launch(services: Services, ids: dict[str, str], *wards: str) -> str:
    campaign = await services.dissolution.launch_campaign(
        LaunchCampaign(
            directive_number="383-CV/QU",
            district_committee_id=ids["BD"],
            ward_committee_ids=[ids[w] for w in wards or ("GV",)],
            plan_deadline=date(2019, 9, 15),
        ),
        AN,
    )
    return campaign.id


async def decide(services: Services, case_id: str, effective_on: date) -> None:
    d, cases = services.dissolution, services.dissolution_reads
    dissemination = Dissemination(date(2019, 9, 9), 20, [])
    await d.record_dissemination(await cases.case(case_id), dissemination, AN, None)
    await d.submit_plan(
        await cases.case(case_id), Plan("01-PA/ĐU", date(2019, 9, 12), []), AN, None
    )
    await d.approve_plan(await cases.case(case_id), Approval(date(2019, 9, 20), None), AN)
    decision = Decision("125-QĐ/ĐU", date(2019, 9, 27), "Bí thư", effective_on)
    await d.issue_decision(await cases.case(case_id), decision, AN, None)


async def test_moving_a_ward_tells_of_every_organisation_whose_ancestry_changed(
    services: Services,
) -> None:
    ids = await ba_dinh(services)
    other = await services.hierarchy.create_organisation(
        CreateOrganisation(
            code="HN-TH",
            name="Quận ủy Tây Hồ",
            kind=OrganisationKind.DISTRICT_COMMITTEE,
            parent_id=ids["HN"],
        )
    )
    services.outbox.events.clear()
    ward = await services.hierarchy.organisation(ids["GV"])
    await services.hierarchy.update_organisation(ward, UpdateOrganisation(parent_id=other.id))
    updated = {e["subject"]: e["data"] for e in services.outbox.of_type("organisation.updated.v1")}
    assert set(updated) == {ids["GV"], ids["GV-CQ"], ids["GV-TDP01"]}
    assert updated[ids["GV-TDP01"]]["ancestorIds"] == [ids["HN"], other.id, ids["GV"]]
    assert updated[ids["GV-TDP01"]]["version"] == 2


async def test_a_cell_in_an_open_case_cannot_be_taken_by_another_campaign(
    services: Services,
) -> None:
    ids = await ba_dinh(services)
    await launch(services, ids)
    with pytest.raises(Conflict):
        await launch(services, ids)
    await services.directives.issue_directive(
        IssueDirective(
            number="384-CV/QU", issuer="Quận ủy", issued_on=date(2019, 9, 6), title="Khác"
        )
    )
    with pytest.raises(Conflict, match="already in an open dissolution case"):
        await services.dissolution.launch_campaign(
            LaunchCampaign(
                directive_number="384-CV/QU",
                district_committee_id=ids["BD"],
                ward_committee_ids=[ids["GV"]],
                plan_deadline=date(2019, 9, 15),
            ),
            AN,
        )
    assert len(services.outbox.of_type("campaign.launched.v1")) == 1


async def test_a_decision_effective_today_dissolves_the_cell_and_a_later_one_waits_for_its_day(
    services: Services,
) -> None:
    ids = await ba_dinh(services, ("GV", "KM"))
    await launch(services, ids, "GV", "KM")
    services.clock.set_today(date(2019, 10, 1))
    cases = {c.cell_id: c.id for c in await services.dissolution_reads.find_cases()}
    await decide(services, cases[ids["GV-CQ"]], effective_on=date(2019, 10, 1))
    await decide(services, cases[ids["KM-CQ"]], effective_on=date(2019, 10, 15))
    assert (
        await services.hierarchy.organisation(ids["GV-CQ"])
    ).status is OrganisationStatus.DISSOLVED
    assert (await services.hierarchy.organisation(ids["KM-CQ"])).is_active
    services.clock.set_today(date(2019, 10, 15))
    await services.dissolution.complete_pending_work()
    await services.dissolution.complete_pending_work()
    km = await services.hierarchy.organisation(ids["KM-CQ"])
    assert (km.status, km.dissolved_on) == (OrganisationStatus.DISSOLVED, date(2019, 10, 15))
    dissolved = [
        e["subject"]
        for e in services.outbox.of_type("organisation.updated.v1")
        if e["data"]["status"] == "DISSOLVED"
    ]
    assert sorted(dissolved) == sorted([ids["GV-CQ"], ids["KM-CQ"]])


async def test_the_same_relocation_report_twice_closes_the_case_once(services: Services) -> None:
    ids = await ba_dinh(services)
    await launch(services, ids)
    services.clock.set_today(date(2019, 10, 20))
    [case] = await services.dissolution_reads.find_cases()
    await decide(services, case.id, effective_on=date(2019, 10, 1))
    await services.dissolution.record_announcement(
        await services.dissolution_reads.case(case.id),
        Announcement(date(2019, 10, 1)),
        AN,
        None,
    )
    report = Relocation(20, 3, date(2019, 10, 8))
    await services.dissolution.members_relocated("event-1", case.id, report)
    await services.dissolution.members_relocated("event-1", case.id, report)
    await services.dissolution.members_relocated("event-2", case.id, report)
    assert (await services.dissolution_reads.case(case.id)).stage is Stage.CLOSED
    assert len(services.outbox.of_type("dissolution.closed.v1")) == 1


async def test_a_step_taken_while_the_members_report_is_applied_is_taken_on_the_case_as_it_is(
    services: Services,
) -> None:
    ids = await ba_dinh(services)
    await launch(services, ids)
    services.clock.set_today(date(2019, 10, 20))
    [case] = await services.dissolution_reads.find_cases()
    await decide(services, case.id, effective_on=date(2019, 10, 1))
    save = services.cases.save
    reported = False

    async def report_first(*args: Any, **kwargs: Any) -> None:
        nonlocal reported
        if not reported:  # the consumer applies the members' report between read and write
            reported = True
            report = Relocation(20, 3, date(2019, 10, 8))
            await services.dissolution.members_relocated("event-1", case.id, report)
        await save(*args, **kwargs)

    services.cases.save = report_first  # type: ignore[method-assign]
    announced = await services.dissolution.record_announcement(
        await services.dissolution_reads.case(case.id), Announcement(date(2019, 10, 1)), AN, None
    )

    assert announced.stage is Stage.CLOSED  # announced, and everyone had moved
    stored = await services.dissolution_reads.case(case.id)
    assert stored.stage is Stage.CLOSED
    assert len(services.outbox.of_type("dissolution.closed.v1")) == 1


async def test_a_directive_resting_on_an_unknown_one_is_not_recorded(services: Services) -> None:
    with pytest.raises(NotFound, match="9-HD/BTCTU"):
        await services.directives.issue_directive(
            IssueDirective(
                number="383-CV/QU",
                issuer="Quận ủy",
                issued_on=date(2019, 9, 5),
                title="x",
                based_on=["9-HD/BTCTU"],
            )
        )
    assert await services.directives.all_directives() == []
    assert services.outbox.events == []
