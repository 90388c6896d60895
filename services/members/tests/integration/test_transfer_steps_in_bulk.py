"""A dissolved cell's introduction letters and receptions in one call each: every transfer is
answered on its own, a re-run changes nothing, and each event is told once."""

import asyncio
from typing import Any

from conftest import Published
from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest, eventually
from members_support import Dissolution, Ward, add_candidate, case_view, group_name, register
from pymongo.asynchronous.database import AsyncDatabase

INTRODUCE = """
mutation ($input: IssueIntroductionsInput!) {
  issueIntroductions(input: $input) {
    done unchanged refused
    items { transferId outcome code reason field transfer { letterNo state reportBy } }
  }
}
"""
RECEIVE = """
mutation ($input: ReceiveTransfersInput!) {
  receiveTransfers(input: $input) {
    done unchanged refused
    items { transferId outcome code transfer { state receivedOn } }
  }
}
"""
CANCEL = 'mutation ($id: ID!) { cancelTransfer(id: $id, reason: "Đã chuyển đi nơi khác") { id } }'
INTRODUCED = "partyorg.members.transfer.introduced.v1"
RECEIVED = "partyorg.members.transfer.received.v1"
REHOMED = "partyorg.members.candidate.rehomed.v1"
UPDATED = "partyorg.members.member.updated.v1"
RELOCATED = "partyorg.members.dissolution.members_relocated.v1"


async def decided_case(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], members: int
) -> tuple[Ward, Dissolution, list[dict[str, Any]]]:
    """A ward whose agency cell of `members` members and one candidate is dissolved."""
    ward = await Ward(service, db).set_up(groups=3)
    for n in range(members):
        await register(service, ward.agency, group=group_name(n % 3 + 1), name=f"Đảng viên {n}")
    await add_candidate(service, ward.agency, group=group_name(1))
    dissolution = Dissolution(ward)
    await dissolution.open()
    await dissolution.decide()

    async def created() -> list[dict[str, Any]]:
        view = await case_view(service, dissolution.case_id)
        assert view["transferProgress"]["total"] == members + 1
        transfers: list[dict[str, Any]] = view["transfers"]
        return transfers

    return ward, dissolution, await eventually(created, timeout=30)


def letters(ids: list[str], **more: Any) -> dict[str, Any]:
    return {
        "input": {
            "transfers": {"transferIds": ids},
            "letterSeries": "GGT/ĐU",
            "issuedOn": "2019-10-01",
            **more,
        }
    }


def outcomes(answer: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(item["outcome"], item["code"]) for item in answer["items"]]


async def test_letters_are_numbered_in_order_and_each_transfer_answers_for_itself(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    _, dissolution, transfers = await decided_case(service, db, 5)
    ids = [t["id"] for t in transfers]
    await service.execute_ok(CANCEL, {"id": ids[2]})
    named = [*ids, "no-such-transfer"]

    first = (await service.execute_ok(INTRODUCE, letters(named)))["issueIntroductions"]

    assert (first["done"], first["unchanged"], first["refused"]) == (5, 0, 2)
    assert [item["transferId"] for item in first["items"]] == named
    assert outcomes(first)[2] == ("REFUSED", "INVALID_TRANSITION")
    assert outcomes(first)[-1] == ("REFUSED", "NOT_FOUND")
    done = [item for item in first["items"] if item["outcome"] == "DONE"]
    assert [item["transfer"]["letterNo"] for item in done] == [
        "01-GGT/ĐU",
        "02-GGT/ĐU",
        "04-GGT/ĐU",
        "05-GGT/ĐU",
        "06-GGT/ĐU",
    ]
    assert {item["transfer"]["reportBy"] for item in done} == {"2019-11-12"}

    again = (await service.execute_ok(INTRODUCE, letters(named)))["issueIntroductions"]
    assert (again["done"], again["unchanged"], again["refused"]) == (0, 5, 2)
    renumbered = await service.execute_ok(INTRODUCE, letters(ids[:1], firstNumber=9))
    assert outcomes(renumbered["issueIntroductions"]) == [("REFUSED", "INVALID_TRANSITION")]

    async def told_once_each() -> None:
        told = [e for e in published.of_type(INTRODUCED, caseId=dissolution.case_id)]
        assert sorted(e["data"]["transferId"] for e in told) == sorted(
            item["transferId"] for item in done
        )

    await eventually(told_once_each, timeout=30)
    await asyncio.sleep(1)  # anything told twice would have come by now
    await told_once_each()


async def test_a_dissolved_cell_is_received_in_one_call_and_its_case_relocated_once(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]], published: Published
) -> None:
    ward, dissolution, transfers = await decided_case(service, db, 6)
    ids = [t["id"] for t in transfers]
    waiting = ids[-1]  # not introduced: it cannot be received yet
    await service.execute_ok(INTRODUCE, letters(ids[:-1]))
    by_case = {"input": {"transfers": {"caseId": dissolution.case_id}, "receivedOn": "2019-10-08"}}

    first = (await service.execute_ok(RECEIVE, by_case))["receiveTransfers"]

    assert (first["done"], first["refused"]) == (6, 1)
    refused = [item for item in first["items"] if item["outcome"] == "REFUSED"]
    assert [(r["transferId"], r["code"]) for r in refused] == [(waiting, "INVALID_TRANSITION")]
    await service.execute_ok(CANCEL, {"id": waiting})
    # a cancelled transfer is not done: the person needs another destination
    again = (await service.execute_ok(RECEIVE, by_case))["receiveTransfers"]
    assert (again["done"], again["unchanged"], again["refused"]) == (0, 6, 2)
    view = await case_view(service, dissolution.case_id)
    [instead] = [t for t in view["transfers"] if t["state"] == "NEEDS_DESTINATION"]
    assert published.of_type(RELOCATED, caseId=dissolution.case_id) == []
    await service.execute_ok(
        "mutation ($id: ID!, $to: ID!) { setTransferDestination(id: $id, organisationId: $to) "
        "{ id } }",
        {"id": instead["id"], "to": ward.residential[group_name(2)]},
    )
    await service.execute_ok(INTRODUCE, letters([instead["id"]]))
    last = (await service.execute_ok(RECEIVE, by_case))["receiveTransfers"]
    assert (last["done"], last["unchanged"], last["refused"]) == (1, 6, 1)

    view = await case_view(service, dissolution.case_id)
    assert view["transferProgress"]["received"] == 7
    for transfer in view["transfers"]:
        if transfer["state"] != "RECEIVED":
            continue
        person = transfer["member"] or transfer["candidate"]
        stored = await db[
            "members" if transfer["personKind"] == "MEMBER" else "candidates"
        ].find_one({"_id": person["id"]})
        assert stored is not None and stored["organisation_id"] == transfer["to"]["id"]

    received = [t for t in view["transfers"] if t["state"] == "RECEIVED"]
    members = {t["member"]["id"]: t for t in received if t["member"]}

    async def told_once_each() -> None:
        for member_id, transfer in members.items():
            published.one(RECEIVED, memberId=member_id)
            moved = [
                e
                for e in published.of_type(UPDATED, memberId=member_id)
                if e["data"]["organisationId"] != ward.agency
            ]
            assert len(moved) == 1
            # the update names the transfer that moved them: a profile is unchanged by it
            assert moved[0]["data"]["transfer"] == {
                "transferId": transfer["id"],
                "kind": "INTERNAL",
                "fromOrganisationId": ward.agency,
                "toOrganisationId": transfer["to"]["id"],
            }
        assert len(published.of_type(REHOMED, caseId=dissolution.case_id)) == 1
        relocated = published.one(RELOCATED, caseId=dissolution.case_id)
        assert (relocated["data"]["members"], relocated["data"]["candidates"]) == (6, 1)

    await eventually(told_once_each, timeout=30)
    await asyncio.sleep(1)
    await told_once_each()


async def test_only_the_cells_a_caller_covers_are_received_and_bad_input_changes_nothing(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward, dissolution, transfers = await decided_case(service, db, 3)
    ids = [t["id"] for t in transfers]
    await service.execute_ok(INTRODUCE, letters(ids))
    first_cell = ward.residential[group_name(1)]
    secretary = Principal(
        f"u-secretary-{ward.suffix}", "Bí thư chi bộ", (Grant(Role.CELL_SECRETARY, first_cell),)
    )
    outsider = Principal(
        "u-elsewhere", "Đảng ủy phường khác", (Grant(Role.WARD_COMMITTEE, "kim-ma"),)
    )
    by_ids = {"input": {"transfers": {"transferIds": ids}, "receivedOn": "2019-10-08"}}

    refused = await service.execute_ok(RECEIVE, by_ids, principal=outsider)
    assert outcomes(refused["receiveTransfers"]) == [("REFUSED", "FORBIDDEN")] * len(ids)
    member_only = Principal("u-member", "Đảng viên", (Grant(Role.MEMBER),), "m-1")
    forbidden = await service.execute(RECEIVE, by_ids, principal=member_only)
    assert [e["extensions"]["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    both = {
        "input": {
            "transfers": {"transferIds": ids, "caseId": dissolution.case_id},
            "receivedOn": "2019-10-08",
        }
    }
    bad = await service.execute(RECEIVE, both)
    assert [e["extensions"]["code"] for e in bad["errors"]] == ["BAD_USER_INPUT"]
    assert (await case_view(service, dissolution.case_id))["transferProgress"]["received"] == 0

    mine = await service.execute_ok(
        RECEIVE,
        {"input": {"transfers": {"caseId": dissolution.case_id}, "receivedOn": "2019-10-08"}},
        principal=secretary,
    )
    to_first_cell = [t["id"] for t in transfers if t["to"]["id"] == first_cell]
    answer = mine["receiveTransfers"]
    assert sorted(item["transferId"] for item in answer["items"]) == sorted(to_first_cell)
    assert answer["done"] == len(to_first_cell) and answer["refused"] == 0
