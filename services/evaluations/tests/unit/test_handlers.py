import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from evaluations import events
from evaluations.domain import Period, Rating
from evaluations.handlers import subscriptions
from evaluations.service import UseCases
from evaluations.service.commands import ProposeRating
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


FOLLOWED = {
    "restructuring": {"caseId": "case-2025", "kind": "MERGE", "organisationId": "gv-tdp-1"},
    "transfer": {"transferId": "t1", "kind": "INTERNAL", "fromOrganisationId": "gv-tdp-1"},
}


@pytest.mark.parametrize("cause", FOLLOWED)
async def test_a_member_update_that_followed_a_restructuring_or_a_transfer_is_not_written(
    service: UseCases, cause: str
) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-tdp-1", "OTHER"))
    followed = {**registration("an", "gv-tdp-2", "OTHER"), "version": 2}
    await deliver(service, events.MEMBER_UPDATED, {**followed, cause: FOLLOWED[cause]})
    assert service.roster.roster.versions["an"] == 1  # type: ignore[attr-defined]

    renamed = {**followed, "fullName": "Nguyễn Văn Ân", "version": 3, cause: None}
    await deliver(service, events.MEMBER_UPDATED, renamed)
    assert (await service.roster.entry("an")).full_name == "Nguyễn Văn Ân"


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


def temporary_stay(host: str | None, until: str | None = "2020-03-31") -> dict[str, object]:
    return {
        "transferId": f"stay-{host}",
        "memberId": "an",
        "kind": "TEMPORARY",
        "reason": "RELOCATION",
        "fromOrganisationId": "gv-tdp-1",
        "toOrganisationId": host,
        "destinationName": "Đảng bộ Học viện" if host is None else None,
        "receivedOn": "2019-10-04",
        "temporaryUntil": until,
        "caseId": None,
    }


@pytest.mark.parametrize("host", ["km-tdp-1", None], ids=["host in the district", "outside it"])
async def test_a_temporary_stay_leaves_the_member_ranked_by_the_home_cell(
    service: UseCases, host: str | None
) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-tdp-1"))
    await deliver(service, events.TRANSFER_RECEIVED, temporary_stay(host))
    for period in ("2019-10", "2019-11", "2019", "2020-04"):
        assert await service.roster.evaluated_by("an", period) == "gv-tdp-1"


async def test_a_temporary_stay_names_its_host_for_the_periods_it_overlaps(
    service: UseCases,
) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-tdp-1"))
    await deliver(service, events.TRANSFER_RECEIVED, temporary_stay("km-tdp-1"))
    entry = await service.roster.entry("an")
    hosts = {p: entry.hosts_for(Period.parse(p)) for p in ("2019-09", "2019-10", "2020-03")}
    assert hosts == {"2019-09": [], "2019-10": ["km-tdp-1"], "2020-03": ["km-tdp-1"]}
    assert entry.hosts_for(Period.parse("2020-04")) == []
    assert entry.hosts_for(Period.parse("2020")) == ["km-tdp-1"]


async def test_a_corrected_reception_date_moves_the_periods_between_and_their_evaluations(
    service: UseCases,
) -> None:
    await deliver(service, events.MEMBER_REGISTERED, registration("an", "gv-agency", "OTHER"))
    received = {
        "transferId": "t1",
        "memberId": "an",
        "kind": "INTERNAL",
        "fromOrganisationId": "gv-agency",
        "toOrganisationId": "gv-tdp-1",
        "receivedOn": "2019-10-04",
        "caseId": None,
    }
    await deliver(service, events.TRANSFER_RECEIVED, received)
    september = await service.evaluations.propose_rating(
        ProposeRating("an", "2019-09", Rating.GOOD, None, None), "Bí thư chi bộ cơ quan"
    )
    assert september.cell_id == "gv-agency"

    def corrected(on: str, previous: str) -> Event:
        data = {
            **received,
            "personKind": "MEMBER",
            "receivedOn": on,
            "previousReceivedOn": previous,
        }
        return Event(
            id=f"t1:reception_corrected:{on}",
            type=events.TRANSFER_RECEPTION_CORRECTED,
            source="/partyorg/members",
            time=datetime(2019, 10, 20, tzinfo=UTC),
            subject="an",
            data=data,
        )

    handle = subscriptions(service.roster)[events.TRANSFER_RECEPTION_CORRECTED]
    earlier = corrected("2019-09-20", "2019-10-04")
    await handle(earlier)
    assert await service.roster.evaluated_by("an", "2019-09") == "gv-tdp-1"
    assert (await service.evaluations.evaluation(september.id)).cell_id == "gv-tdp-1"
    await handle(corrected("2019-10-04", "2019-09-20"))
    await handle(earlier)  # a redelivery changes nothing
    assert await service.roster.evaluated_by("an", "2019-09") == "gv-agency"
    assert await service.roster.evaluated_by("an", "2019-10") == "gv-tdp-1"
    assert (await service.evaluations.evaluation(september.id)).cell_id == "gv-agency"


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
