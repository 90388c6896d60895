import uuid
from datetime import UTC, datetime
from typing import Any

from evaluations import events
from evaluations.handlers import subscriptions
from evaluations.service import UseCases
from kit.events import Event


async def deliver(
    service: UseCases, event_type: str, data: dict[str, Any], at: datetime | None = None
) -> None:
    event = Event(
        id=uuid.uuid4().hex,
        type=event_type,
        source="/partyorg/members",
        time=at or datetime(2019, 10, 1, tzinfo=UTC),
        subject=None,
        data=data,
    )
    await subscriptions(service.roster)[event_type](event)


def registration(member_id: str, cell: str, role: str | None = "CADRE") -> dict[str, Any]:
    return {
        "memberId": member_id,
        "fullName": "Nguyễn Văn An",
        "standing": "OFFICIAL",
        "organisationId": cell,
        "workplaceRole": role,
        "version": 1,
    }


async def test_a_registered_member_is_on_the_roster_of_their_cell(
    service: UseCases,
) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-agency"))
    assert await service.roster.evaluated_by("an", "2019-09") == "gv-agency"


async def test_a_received_transfer_moves_the_member_from_that_period_on(
    service: UseCases,
) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-agency"))
    transfer = {
        "transferId": "t1",
        "memberId": "an",
        "kind": "INTERNAL",
        "fromOrganisationId": "gv-agency",
        "toOrganisationId": "gv-tdp-1",
        "receivedOn": "2019-10-04",
        "caseId": "case-gv",
    }
    await deliver(service, events.TRANSFER_RECEIVED, transfer)
    assert await service.roster.evaluated_by("an", "2019-09") == "gv-agency"
    assert await service.roster.evaluated_by("an", "2019-10") == "gv-tdp-1"


async def test_a_member_update_changes_the_workplace_role(service: UseCases) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-tdp-1", "OTHER"))
    updated = {**registration("an", "gv-tdp-1", "CIVIL_SERVANT"), "version": 2}
    await deliver(service, events.MEMBER_UPDATED, updated)
    entry = await service.roster.entry("an")
    assert entry.workplace_results_required


async def test_an_admitted_candidate_is_evaluated_from_the_admission_on(
    service: UseCases,
) -> None:
    admitted = {"candidateId": "c1", "memberId": "hoa", "organisationId": "gv-tdp-2"}
    await deliver(
        service, events.CANDIDATE_ADMITTED, admitted, at=datetime(2019, 11, 20, tzinfo=UTC)
    )
    assert await service.roster.evaluated_by("hoa", "2019-10") is None
    assert await service.roster.evaluated_by("hoa", "2019-11") == "gv-tdp-2"


async def test_an_organisation_without_ancestor_ids_takes_them_from_its_known_parent(
    service: UseCases,
) -> None:
    cell = {
        "organisationId": "gv-tdp-9",
        "code": "HN-BD-GV-TDP09",
        "name": "Chi bộ tổ dân phố số 9",
        "kind": "CELL",
        "cellType": "RESIDENTIAL",
        "parentId": "giang-vo",
        "status": "ACTIVE",
    }
    await deliver(service, events.ORGANISATION_REGISTERED, cell)
    assert "gv-tdp-9" in await service.roster.grassroots_cells("gv-tdp-1")
    assert "gv-tdp-9" in await service.roster.cells_within("ba-dinh")


async def test_the_roster_keeps_a_members_key_digests_from_their_newest_event(
    service: UseCases,
) -> None:
    registered = {
        **registration("an", "gv-agency"),
        "keyDigests": {"cardNumber": "c1", "citizenId": None},
    }
    await deliver(service, events.MEMBER_REGISTERED, registered)
    assert await service.roster.holders_of(["c1"]) == {"c1": [await service.roster.entry("an")]}

    updated = {**registered, "version": 2, "keyDigests": {"cardNumber": "c1", "citizenId": "i2"}}
    await deliver(service, events.MEMBER_UPDATED, updated)
    older = {**registered, "version": 1, "keyDigests": {"cardNumber": "c0", "citizenId": None}}
    await deliver(service, events.MEMBER_UPDATED, older)
    unkeyed = {k: v for k, v in registered.items() if k != "keyDigests"} | {"version": 3}
    await deliver(service, events.MEMBER_UPDATED, unkeyed)  # of an earlier release

    found = await service.roster.holders_of(["c0", "c1", "i2"])
    assert {digest: [e.member_id for e in entries] for digest, entries in found.items()} == {
        "c0": [],
        "c1": ["an"],
        "i2": ["an"],
    }
