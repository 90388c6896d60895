"""The events this service consumes, as it reads them: the organisations service's (its own
copies of their contracts), and its own registrations, which may bring someone into a
dissolving cell."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from members.domain import (
    DissolutionCase,
    KnownOrganisation,
    PersonKind,
)
from members.domain.relocation import Joining
from members.domain.restructuring import (
    CellMerge,
    CompletedRestructuring,
    HandOverSigned,
    ParentChange,
    RestructuringDecision,
)
from members.events import MEMBER_REGISTERED

# consumed: the organisations service's contracts, as this service reads them
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
ORGANISATION_UPDATED = "partyorg.organisations.organisation.updated.v1"
TODAY_SET = "partyorg.organisations.today.set.v1"
DISSOLUTION_OPENED = "partyorg.organisations.dissolution.opened.v1"
DISSOLUTION_DECIDED = "partyorg.organisations.dissolution.decided.v1"
RESTRUCTURING_COMPLETED = "partyorg.organisations.restructuring.completed.v1"
RESTRUCTURING_HANDED_OVER = "partyorg.organisations.restructuring.handed_over.v1"


def known_organisation(data: dict[str, Any]) -> KnownOrganisation:
    dissolved_on = data.get("dissolvedOn")
    return KnownOrganisation(
        id=data["organisationId"],
        code=data["code"],
        name=data["name"],
        kind=data["kind"],
        cell_type=data.get("cellType"),
        parent_id=data.get("parentId"),
        status=data["status"],
        coverage=list(data.get("coverage") or []),
        ancestor_ids=list(data.get("ancestorIds") or []),
        dissolved_on=date.fromisoformat(dissolved_on) if dissolved_on else None,
        version=int(data.get("version") or 0),
    )


def opened_case(data: dict[str, Any]) -> DissolutionCase:
    return DissolutionCase(
        id=data["caseId"],
        cell_id=data["cellId"],
        ward_committee_id=data["wardCommitteeId"],
        campaign_id=data.get("campaignId"),
    )


@dataclass(frozen=True)
class Decision:
    """A dissolution decision as this service reads `dissolution.decided.v1`."""

    case: DissolutionCase
    decided_on: date
    overrides: dict[str, str]


def decision(data: dict[str, Any]) -> Decision:
    effective = data.get("effectiveOn")
    decided_on = data.get("signedOn") or effective or str(data.get("at", ""))[:10]
    return Decision(
        case=DissolutionCase(
            id=data["caseId"],
            cell_id=data["cellId"],
            ward_committee_id=data["wardCommitteeId"],
            campaign_id=data.get("campaignId"),
            decided=True,
            effective_on=date.fromisoformat(effective) if effective else None,
            decision_number=data.get("decisionNumber"),
            decided_on=date.fromisoformat(decided_on),
        ),
        decided_on=date.fromisoformat(decided_on),
        overrides={
            placement["personId"]: placement["destinationCellId"]
            for placement in data.get("placements") or []
            if placement.get("destinationCellId")
        },
    )


def joining(type: str, data: dict[str, Any]) -> Joining:
    """Who joined which cell, as `member.registered` and `candidate.introduced` tell it."""
    if type == MEMBER_REGISTERED:
        return Joining(PersonKind.MEMBER, data["memberId"], data["organisationId"])
    return Joining(PersonKind.CANDIDATE, data["candidateId"], data["organisationId"])


def _decision_of(data: dict[str, Any]) -> RestructuringDecision:
    return RestructuringDecision(
        number=data["number"],
        signer=data["signer"],
        signed_on=date.fromisoformat(data["signedOn"]),
        effective_on=date.fromisoformat(data["effectiveOn"]),
    )


def hand_over_signed(data: dict[str, Any]) -> HandOverSigned:
    """The hand-over record `restructuring.handed_over.v1` tells of (the people are added as
    this service knows them)."""
    record = data["handover"]
    return HandOverSigned(
        case_id=data["caseId"],
        kind=data["kind"],
        organisation_id=record["organisationId"],
        receiving_id=data.get("receivingId"),
        new_units=tuple(unit["name"] for unit in data.get("newOrganisations") or []),
        decision=_decision_of(data["decision"]),
        signed_on=date.fromisoformat(record["signedOn"]),
        giver_signer=record["giverSigner"],
        receiver_signer=record["receiverSigner"],
    )


def completed_restructuring(data: dict[str, Any]) -> CompletedRestructuring:
    """A completed restructuring as `restructuring.completed.v1` tells it: the organisations
    that moved under another parent, those that merged, each into its one successor (the
    handler moves the people of those that are cells), and the new ones under their parents."""
    return CompletedRestructuring(
        case_id=data["caseId"],
        kind=data["kind"],
        decision=_decision_of(data["decision"]),
        parent_changes=[
            ParentChange(moved["organisationId"], moved.get("fromParentId"), moved["toParentId"])
            for moved in data.get("moved") or []
        ],
        cell_merges=[
            CellMerge(data["caseId"], ceased["organisationId"], ceased["successorIds"][0])
            for ceased in data.get("ceased") or []
            if ceased.get("status") == "MERGED" and len(ceased.get("successorIds") or []) == 1
        ],
        new_units={
            unit["organisationId"]: unit.get("parentId")
            for unit in data.get("newOrganisations") or []
        },
    )
