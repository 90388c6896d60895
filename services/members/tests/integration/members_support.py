"""Helpers of the members integration tests: a ward told through real events, registrations."""

import uuid
from typing import Any

from kit.identity import Grant, Principal, Role
from kit.inbox import Inbox
from kit.mongo import Document
from kit.testing import ServiceUnderTest, eventually
from pymongo.asynchronous.database import AsyncDatabase

ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
ORGANISATION_UPDATED = "partyorg.organisations.organisation.updated.v1"
DISSOLUTION_OPENED = "partyorg.organisations.dissolution.opened.v1"
DISSOLUTION_DECIDED = "partyorg.organisations.dissolution.decided.v1"


class Ward:
    """A ward Party Committee with its agency cell and residential cells, told to the service
    through real organisation events."""

    def __init__(self, service: ServiceUnderTest, db: AsyncDatabase[Document]) -> None:
        self.service = service
        self.db = db
        self.suffix = uuid.uuid4().hex[:8]
        self.id = f"ward-{self.suffix}"
        self.agency = f"agency-{self.suffix}"
        self.residential: dict[str, str] = {}

    async def organisation(
        self,
        organisation_id: str,
        kind: str,
        *,
        parent: str | None,
        cell_type: str | None = None,
        coverage: list[str] | None = None,
        status: str = "ACTIVE",
        version: int = 1,
        event_type: str = ORGANISATION_REGISTERED,
    ) -> str:
        return await self.service.deliver(
            event_type,
            {
                "organisationId": organisation_id,
                "code": organisation_id.upper(),
                "name": f"Tổ chức {organisation_id}",
                "kind": kind,
                "cellType": cell_type,
                "parentId": parent,
                "ancestorIds": ["hn", "bd", parent] if parent else [],
                "status": status,
                "coverage": coverage or [],
                "dissolvedOn": None,
                "version": version,
            },
        )

    async def set_up(self, groups: int) -> "Ward":
        await self.organisation(self.id, "WARD_COMMITTEE", parent="bd")
        await self.organisation(self.agency, "CELL", parent=self.id, cell_type="AGENCY")
        for number in range(1, groups + 1):
            cell_id = f"tdp{number:02d}-{self.suffix}"
            self.residential[group_name(number)] = cell_id
            await self.organisation(
                cell_id,
                "CELL",
                parent=self.id,
                cell_type="RESIDENTIAL",
                coverage=[group_name(number)],
            )
        expected = groups + 2

        async def known() -> None:
            count = await self.db["known_organisations"].count_documents(
                {"_id": {"$regex": self.suffix}}
            )
            assert count == expected

        await eventually(known, timeout=30)
        return self


def ward_committee(ward: Ward) -> Principal:
    return Principal(
        f"u-ward-{ward.suffix}", "Đảng ủy phường", (Grant(Role.WARD_COMMITTEE, ward.id),)
    )


def group_name(number: int) -> str:
    return f"Tổ dân phố {number}"


REGISTER = """
mutation ($input: RegisterMemberInput!) {
  registerMember(input: $input) { id fullName organisation { id } }
}
"""


async def register(
    service: ServiceUnderTest,
    cell: str,
    *,
    card: str | None = None,
    name: str = "Nguyễn Văn An",
    group: str | None = None,
    standing: str = "OFFICIAL",
) -> str:
    data = await service.execute_ok(
        REGISTER,
        {
            "input": {
                "cardNumber": card or f"01.{uuid.uuid4().hex[:8]}",
                "fullName": name,
                "dateOfBirth": "1980-05-17",
                "gender": "MALE",
                "standing": standing,
                "admittedOn": "2008-03-02",
                "officialOn": "2009-03-02" if standing == "OFFICIAL" else None,
                "organisationId": cell,
                "residence": {"address": "Giảng Võ, Ba Đình", "residentialGroup": group}
                if group
                else None,
                "workplace": {"name": "UBND phường Giảng Võ", "role": "CIVIL_SERVANT"},
            }
        },
    )
    return str(data["registerMember"]["id"])


ADD_CANDIDATE = """
mutation ($input: AddCandidateInput!) { addCandidate(input: $input) { id stage } }
"""


async def add_candidate(
    service: ServiceUnderTest, cell: str, *, group: str | None = None, born: str = "1995-06-01"
) -> str:
    data = await service.execute_ok(
        ADD_CANDIDATE,
        {
            "input": {
                "fullName": "Trần Thị Bình",
                "dateOfBirth": born,
                "gender": "FEMALE",
                "organisationId": cell,
                "on": "2019-06-01",
                "residence": {"address": "Ngọc Khánh", "residentialGroup": group}
                if group
                else None,
                "workplace": {"name": "UBND phường", "role": "NON_SPECIALISED"},
            }
        },
    )
    return str(data["addCandidate"]["id"])


def errors_of(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


PROGRESS = """
query ($case: ID!) {
  _entities(representations: [{__typename: "DissolutionCase", id: $case}]) {
    ... on DissolutionCase {
      transferProgress {
        total members candidates needingDestination awaitingIntroduction introduced received
        overdue
      }
      transfers { id personKind state to { id } member { id } candidate { id } }
    }
  }
}
"""


async def case_view(service: ServiceUnderTest, case_id: str) -> dict[str, Any]:
    data = await service.execute_ok(PROGRESS, {"case": case_id})
    view: dict[str, Any] = data["_entities"][0]
    return view


class Dissolution:
    """A ward's agency cell dissolved: its case opened and decided through real events."""

    def __init__(self, ward: Ward) -> None:
        self.ward = ward
        self.case_id = f"case-{ward.suffix}"

    def data(self, **more: Any) -> dict[str, Any]:
        return {
            "caseId": self.case_id,
            "campaignId": f"campaign-{self.ward.suffix}",
            "cellId": self.ward.agency,
            "wardCommitteeId": self.ward.id,
            **more,
        }

    async def open(self) -> None:
        opened = self.data(planDeadline="2019-09-15")
        await self.ward.service.deliver(DISSOLUTION_OPENED, opened)

    async def decide(
        self, placements: list[dict[str, Any]] | None = None, *, event_id: str | None = None
    ) -> str:
        return await self.ward.service.deliver(
            DISSOLUTION_DECIDED,
            self.data(
                stage="DECISION_ISSUED",
                fromStage="PLAN_APPROVED",
                at="2019-09-25T09:00:00+07:00",
                actor="Đảng ủy phường",
                note=None,
                decisionNumber="125-QĐ/ĐU",
                signedOn="2019-09-25",
                signer="Bí thư Đảng ủy phường",
                effectiveOn="2019-10-01",
                placements=placements or [],
            ),
            id=event_id,
        )


def reception(
    transfer_id: str, member_id: str, from_cell: str, to_cell: str, case_id: str | None
) -> dict[str, Any]:
    """A transfer.received as the service publishes it, for a redelivery of the service's own
    event (its handler reads the ids)."""
    return {
        "transferId": transfer_id,
        "memberId": member_id,
        "kind": "INTERNAL",
        "fromOrganisationId": from_cell,
        "toOrganisationId": to_cell,
        "destinationName": None,
        "receivedOn": "2019-10-08",
        "caseId": case_id,
    }


async def applied(db: AsyncDatabase[Document], event_id: str) -> None:
    """Wait until the service has applied an event (the inbox says so: claimed, then marked)."""

    async def in_inbox() -> None:
        assert await Inbox(db["inbox"]).has_applied(event_id)

    await eventually(in_inbox, timeout=30)
