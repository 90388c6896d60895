"""People who join a cell after its dissolution was decided get their transfer of the case too,
the case is not relocated while they are in the cell, and nobody joins a dissolved cell."""

from typing import Any

from kit.testing import ServiceUnderTest, eventually
from members_support import (
    ADD_CANDIDATE,
    ORGANISATION_UPDATED,
    REGISTER,
    Dissolution,
    Ward,
    add_candidate,
    applied,
    case_view,
    errors_of,
    group_name,
    register,
)
from pymongo.asynchronous.database import AsyncDatabase

INTRODUCE = """
mutation ($id: ID!) {
  issueIntroduction(id: $id, letterNo: "16-GGT/ĐU", issuedOn: "2019-10-01") { state }
}
"""
RECEIVE = """
mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-08") { state } }
"""


async def _with_total(service: ServiceUnderTest, case_id: str, total: int) -> dict[str, Any]:
    view = await case_view(service, case_id)
    assert view["transferProgress"]["total"] == total
    return view


async def _relocated(db: AsyncDatabase[dict[str, Any]], case_id: str) -> bool:
    case = await db["dissolution_cases"].find_one({"_id": case_id})
    return bool(case and case.get("relocated"))


async def test_a_member_and_a_candidate_joining_after_the_decision_get_their_transfer_too(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    first = await register(service, ward.agency, group=group_name(1), name="Đảng viên đầu")
    dissolution = Dissolution(ward)
    await dissolution.open()
    await applied(db, await dissolution.decide())
    await eventually(lambda: _with_total(service, dissolution.case_id, 1), timeout=30)

    latecomer = await register(service, ward.agency, group=group_name(2), name="Đến sau")
    unplaced = await register(service, ward.agency, group="Tổ dân phố 99", name="Không ai phủ")
    candidate = await add_candidate(service, ward.agency, group=group_name(1))

    view = await eventually(lambda: _with_total(service, dissolution.case_id, 4), timeout=30)
    by_person = {(t["member"] or t["candidate"])["id"]: t for t in view["transfers"]}
    assert set(by_person) == {first, latecomer, unplaced, candidate}
    assert by_person[latecomer]["to"]["id"] == ward.residential[group_name(2)]
    assert by_person[candidate]["to"]["id"] == ward.residential[group_name(1)]
    assert (by_person[unplaced]["state"], by_person[unplaced]["to"]) == ("NEEDS_DESTINATION", None)

    # everyone but one latecomer received: the case is not relocated, they are in the cell
    await service.execute_ok(
        "mutation ($id: ID!, $to: ID!) { setTransferDestination(id: $id, organisationId: $to) "
        "{ state } }",
        {"id": by_person[unplaced]["id"], "to": ward.residential[group_name(1)]},
    )
    for person in (first, unplaced, candidate):
        await service.execute_ok(INTRODUCE, {"id": by_person[person]["id"]})
        await service.execute_ok(RECEIVE, {"id": by_person[person]["id"]})
    assert not await _relocated(db, dissolution.case_id)

    await service.execute_ok(INTRODUCE, {"id": by_person[latecomer]["id"]})
    await service.execute_ok(RECEIVE, {"id": by_person[latecomer]["id"]})
    assert await _relocated(db, dissolution.case_id)
    assert await db["members"].count_documents({"organisation_id": ward.agency}) == 0


async def test_a_registration_before_the_decision_is_moved_by_the_decision_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    dissolution = Dissolution(ward)
    await dissolution.open()
    member = await register(service, ward.agency, group=group_name(1))
    await applied(db, await dissolution.decide())
    await applied(db, await dissolution.decide())  # and its registration event, any order
    view = await eventually(lambda: _with_total(service, dissolution.case_id, 1), timeout=30)
    assert view["transfers"][0]["member"]["id"] == member


async def test_nobody_joins_a_dissolved_cell(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    await applied(
        db,
        await ward.organisation(
            ward.agency,
            "CELL",
            parent=ward.id,
            cell_type="AGENCY",
            status="DISSOLVED",
            version=2,
            event_type=ORGANISATION_UPDATED,
        ),
    )
    member = {
        "cardNumber": f"01.{ward.suffix}",
        "fullName": "Đến muộn",
        "dateOfBirth": "1980-05-17",
        "gender": "MALE",
        "standing": "OFFICIAL",
        "admittedOn": "2008-03-02",
        "officialOn": "2009-03-02",
        "organisationId": ward.agency,
    }
    assert errors_of(await service.execute(REGISTER, {"input": member})) == ["CONFLICT"]
    candidate = {
        "fullName": "Trần Thị Bình",
        "dateOfBirth": "1995-06-01",
        "gender": "FEMALE",
        "organisationId": ward.agency,
        "on": "2019-06-01",
    }
    assert errors_of(await service.execute(ADD_CANDIDATE, {"input": candidate})) == ["CONFLICT"]
    assert await db["members"].count_documents({"organisation_id": ward.agency}) == 0


async def test_nobody_joins_a_cell_whose_people_were_all_relocated(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    dissolution = Dissolution(ward)
    await applied(db, await dissolution.decide())  # nobody to move: relocated at once
    await eventually(lambda: _assert_relocated(db, dissolution.case_id), timeout=30)
    body = await service.execute(
        REGISTER,
        {
            "input": {
                "cardNumber": f"01.{ward.suffix}",
                "fullName": "Đến muộn",
                "dateOfBirth": "1980-05-17",
                "gender": "MALE",
                "standing": "OFFICIAL",
                "admittedOn": "2008-03-02",
                "officialOn": "2009-03-02",
                "organisationId": ward.agency,
            }
        },
    )
    assert errors_of(body) == ["CONFLICT"]


async def _assert_relocated(db: AsyncDatabase[dict[str, Any]], case_id: str) -> None:
    assert await _relocated(db, case_id)
