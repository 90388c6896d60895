"""The use cases ask the table before they touch anything: who may change the tree where, which
cases a caller sees, and refusals that tell nothing of what exists."""

from datetime import date

import pytest
from kit.errors import Forbidden
from kit.identity import Grant, Principal, Role, Unauthenticated, current_principal
from organisations.domain import (
    Announcement,
    Approval,
    CellType,
    Decision,
    Dissemination,
    DomainError,
    NotFound,
    OrganisationKind,
    OrganisationStatus,
    PersonKind,
    Placement,
    Plan,
    Relocation,
    Stage,
)

from services.organisations.tests.unit.fakes import Services
from services.organisations.tests.unit.two_districts import WHOLE_TREE, acting, two_districts


@pytest.fixture
async def ids(services: Services) -> dict[str, str]:
    services.clock.set_today(date(2019, 9, 20))
    return await two_districts(services)


async def test_a_root_is_created_only_with_a_whole_tree_grant(services: Services) -> None:
    city_staff = acting(Role.DISTRICT_STANDING, "some-city")
    with pytest.raises(Forbidden):
        await services.hierarchy.create_organisation(
            city_staff,
            code="HCM",
            name="Thành ủy",
            kind=OrganisationKind.CITY_COMMITTEE,
            parent_id=None,
        )
    created = await services.hierarchy.create_organisation(
        WHOLE_TREE,
        code="HCM",
        name="Thành ủy",
        kind=OrganisationKind.CITY_COMMITTEE,
        parent_id=None,
    )
    assert created.parent_id is None


async def test_a_district_builds_under_itself_and_not_under_another(
    services: Services, ids: dict[str, str]
) -> None:
    ba_dinh = acting(Role.DISTRICT_STANDING, ids["BD"])
    cell = await services.hierarchy.create_organisation(
        ba_dinh,
        code="X-GV-TDP02",
        name="Chi bộ tổ dân phố số 2",
        kind=OrganisationKind.CELL,
        parent_id=ids["GV"],
        cell_type=CellType.RESIDENTIAL,
    )
    assert cell.ancestor_ids == [ids["HN"], ids["BD"], ids["GV"]]
    with pytest.raises(Forbidden):
        await services.hierarchy.create_organisation(
            ba_dinh,
            code="X-TL-TDP02",
            name="Chi bộ tổ dân phố số 2",
            kind=OrganisationKind.CELL,
            parent_id=ids["TL"],
            cell_type=CellType.RESIDENTIAL,
        )
    await services.hierarchy.update_organisation(ba_dinh, ids["GV"], name="Đảng ủy phường GV")
    with pytest.raises(Forbidden):
        await services.hierarchy.update_organisation(ba_dinh, ids["TL"], name="Đảng ủy phường TL")
    with pytest.raises(Forbidden):
        await services.hierarchy.update_organisation(
            acting(Role.WARD_COMMITTEE, ids["GV"]), ids["GV-TDP01"], name="Chi bộ số 1"
        )


async def test_a_move_needs_both_the_old_parent_and_the_new(
    services: Services, ids: dict[str, str]
) -> None:
    for only_one in (ids["BD"], ids["TH"]):
        with pytest.raises(Forbidden):
            await services.hierarchy.update_organisation(
                acting(Role.DISTRICT_STANDING, only_one), ids["GV"], parent_id=ids["TH"]
            )
    itself_and_new_parent = Principal(
        "u-1",
        "Phường và quận mới",
        (Grant(Role.DISTRICT_STANDING, ids["GV"]), Grant(Role.DISTRICT_STANDING, ids["TH"])),
    )
    with pytest.raises(Forbidden):
        await services.hierarchy.update_organisation(
            itself_and_new_parent, ids["GV"], parent_id=ids["TH"]
        )
    assert (await services.hierarchy.organisation(ids["GV"])).parent_id == ids["BD"]
    both = Principal(
        "u-2",
        "Hai quận",
        (Grant(Role.DISTRICT_STANDING, ids["BD"]), Grant(Role.DISTRICT_STANDING, ids["TH"])),
    )
    moved = await services.hierarchy.update_organisation(both, ids["GV"], parent_id=ids["TH"])
    assert moved.ancestor_ids == [ids["HN"], ids["TH"]]


async def test_an_unknown_id_is_forbidden_to_a_scoped_caller_and_not_found_to_the_whole_tree(
    services: Services, ids: dict[str, str]
) -> None:
    scoped = acting(Role.DISTRICT_STANDING, ids["BD"])
    with pytest.raises(Forbidden):
        await services.hierarchy.update_organisation(scoped, "no-such-id", name="x")
    with pytest.raises(NotFound):
        await services.hierarchy.update_organisation(WHOLE_TREE, "no-such-id", name="x")
    with pytest.raises(Forbidden):
        await services.dissolution.case(scoped, "no-such-case")
    with pytest.raises(NotFound):
        await services.dissolution.case(WHOLE_TREE, "no-such-case")
    with pytest.raises(Forbidden):
        await services.dissolution.approve_plan(
            "no-such-case", Approval(date(2019, 9, 20), None), scoped
        )


async def test_a_ward_runs_its_own_case_and_cannot_touch_another_wards(
    services: Services, ids: dict[str, str]
) -> None:
    giang_vo = acting(Role.WARD_COMMITTEE, ids["GV"])
    tu_lien_case = ids["TL-case"]
    plan = Plan("01-PA", date(2019, 9, 12), [Placement("m-1", PersonKind.MEMBER, "not-a-cell")])
    with pytest.raises(Forbidden):
        # refused before the destinations are looked at: an outsider learns nothing of them
        await services.dissolution.submit_plan(tu_lien_case, plan, giang_vo, None)
    assert (await services.dissolution.case(WHOLE_TREE, tu_lien_case)).audit_trail == []


async def test_the_audit_trail_tells_apart_two_people_of_one_name(
    services: Services, ids: dict[str, str]
) -> None:
    case_id = ids["GV-case"]
    first = acting(Role.WARD_COMMITTEE, ids["GV"], subject="u-an-1")
    second = acting(Role.WARD_COMMITTEE, ids["GV"], subject="u-an-2")
    await services.dissolution.record_dissemination(
        case_id, Dissemination(date(2019, 9, 9), 20, []), first, None
    )
    case = await services.dissolution.submit_plan(
        case_id, Plan("01-PA", date(2019, 9, 12), []), second, None
    )
    assert [(e.actor, e.subject) for e in case.audit_trail] == [
        ("Nguyễn Văn An", "u-an-1"),
        ("Nguyễn Văn An", "u-an-2"),
    ]


async def test_lists_of_cases_hold_only_what_the_caller_may_read(
    services: Services, ids: dict[str, str]
) -> None:
    async def case_ids(principal: Principal, **criteria: str) -> set[str]:
        return {c.id for c in await services.dissolution.find_cases(principal, **criteria)}

    both = {ids["GV-case"], ids["TL-case"]}
    assert await case_ids(WHOLE_TREE) == both
    assert await case_ids(acting(Role.AUDITOR, ids["HN"])) == both
    assert await case_ids(acting(Role.WARD_COMMITTEE, ids["GV"])) == {ids["GV-case"]}
    assert await case_ids(acting(Role.CELL_SECRETARY, ids["TL-CQ"])) == {ids["TL-case"]}
    assert await case_ids(acting(Role.CELL_SECRETARY, ids["GV-TDP01"])) == set()
    assert await case_ids(acting(Role.MEMBER, ids["GV-CQ"])) == set()
    assert await case_ids(acting(Role.WORKPLACE_ASSESSOR, ids["BD"])) == set()
    giang_vo = acting(Role.WARD_COMMITTEE, ids["GV"])
    assert await case_ids(giang_vo, ward_committee_id=ids["GV"]) == {ids["GV-case"]}
    with pytest.raises(Forbidden):
        await case_ids(giang_vo, ward_committee_id=ids["TL"])


async def test_cases_by_id_answer_each_id_on_its_own(
    services: Services, ids: dict[str, str]
) -> None:
    giang_vo = acting(Role.AUDITOR, ids["GV"])
    answers = await services.dissolution.cases_by_id(
        giang_vo, [ids["GV-case"], ids["TL-case"], "no-such-case"]
    )
    assert [type(a).__name__ for a in answers] == ["DissolutionCase", "Forbidden", "Forbidden"]
    answers = await services.dissolution.cases_by_id(WHOLE_TREE, ["no-such-case"])
    assert [type(a) for a in answers] == [NotFound]


async def test_a_campaign_is_launched_by_its_own_district_only(
    services: Services, ids: dict[str, str]
) -> None:
    ba_dinh = acting(Role.DISTRICT_STANDING, ids["BD"])
    # an unknown directive: refused before it is looked up in another district, NOT_FOUND in its own
    for district, ward, refusal in (("TH", "TL", Forbidden), ("BD", "GV", NotFound)):
        with pytest.raises(refusal):
            await services.dissolution.launch_campaign(
                directive_number="999-CV/QU",
                district_committee_id=ids[district],
                ward_committee_ids=[ids[ward]],
                plan_deadline=date(2019, 9, 15),
                by=ba_dinh,
            )


async def test_a_directive_is_recorded_by_a_district_standing_committee_only(
    services: Services, ids: dict[str, str]
) -> None:
    for role in (Role.WARD_COMMITTEE, Role.AUDITOR, Role.INTEGRATION):
        with pytest.raises(Forbidden):
            await services.directives.issue_directive(
                acting(role, ids["BD"]),
                number="384-CV/QU",
                issuer="x",
                issued_on=date(2019, 9, 6),
                title="x",
            )
    with pytest.raises(DomainError):
        await services.directives.issue_directive(
            acting(Role.DISTRICT_STANDING, ids["TH"]),
            number="not a number",
            issuer="x",
            issued_on=date(2019, 9, 6),
            title="x",
        )


async def test_the_members_report_and_the_daily_check_act_as_the_system_not_as_a_caller(
    services: Services, ids: dict[str, str]
) -> None:
    with pytest.raises(Unauthenticated):
        current_principal()  # no request here: nothing below can lean on a caller's identity
    services.clock.set_today(date(2019, 10, 20))
    ward = acting(Role.WARD_COMMITTEE, ids["GV"])
    district = acting(Role.DISTRICT_STANDING, ids["BD"])
    d, case_id = services.dissolution, ids["GV-case"]
    await d.record_dissemination(case_id, Dissemination(date(2019, 9, 9), 20, []), ward, None)
    await d.submit_plan(case_id, Plan("01-PA", date(2019, 9, 12), []), ward, None)
    await d.approve_plan(case_id, Approval(date(2019, 9, 20), None), district)
    decision = Decision("125-QĐ/ĐU", date(2019, 9, 27), "Bí thư", date(2019, 10, 25))
    await d.issue_decision(case_id, decision, ward, None)
    await d.members_relocated("event-1", case_id, Relocation(20, 3, date(2019, 10, 8)))
    await d.record_announcement(case_id, Announcement(date(2019, 10, 1)), ward, None)
    services.clock.set_today(date(2019, 10, 25))
    await d.complete_pending_work()
    case = await d.case(WHOLE_TREE, case_id)
    assert case.stage is Stage.CLOSED
    assert (case.audit_trail[-1].actor, case.audit_trail[-1].subject) == (
        "members service",
        "system",
    )
    cell = await services.hierarchy.organisation(ids["GV-CQ"])
    assert (cell.status, cell.dissolved_on) == (OrganisationStatus.DISSOLVED, date(2019, 10, 25))
