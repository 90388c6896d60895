"""The events this service publishes and the ones it consumes (its own copies of the contracts)."""

from datetime import date
from typing import Any

from kit.events import new_event

from organisations.domain import (
    Campaign,
    Directive,
    Organisation,
    Relocation,
    RestructuringStep,
    Step,
)

Event = dict[str, Any]

SOURCE = "/partyorg/organisations"
PREFIX = "partyorg.organisations."

ORGANISATION_REGISTERED = PREFIX + "organisation.registered.v1"
ORGANISATION_UPDATED = PREFIX + "organisation.updated.v1"
DIRECTIVE_ISSUED = PREFIX + "directive.issued.v1"
CAMPAIGN_LAUNCHED = PREFIX + "campaign.launched.v1"
DISSOLUTION_OPENED = PREFIX + "dissolution.opened.v1"
TODAY_SET = PREFIX + "today.set.v1"
DISSOLUTION_STEP_CORRECTED = PREFIX + "dissolution.step_corrected.v1"
DISSOLUTION_STEPS = {
    Step.RECORD_DISSEMINATION: PREFIX + "dissolution.disseminated.v1",
    Step.SUBMIT_PLAN: PREFIX + "dissolution.plan_submitted.v1",
    Step.APPROVE_PLAN: PREFIX + "dissolution.plan_approved.v1",
    Step.RETURN_PLAN: PREFIX + "dissolution.plan_returned.v1",
    Step.ISSUE_DECISION: PREFIX + "dissolution.decided.v1",
    Step.RECORD_ANNOUNCEMENT: PREFIX + "dissolution.announced.v1",
    Step.CLOSE: PREFIX + "dissolution.closed.v1",
}

RESTRUCTURING_CAMPAIGN_LAUNCHED = PREFIX + "restructuring.campaign_launched.v1"
RESTRUCTURING_OPENED = PREFIX + "restructuring.opened.v1"
RESTRUCTURING_STEPS = {
    RestructuringStep.ISSUE_DECISION: PREFIX + "restructuring.decided.v1",
    RestructuringStep.RECORD_HANDOVER: PREFIX + "restructuring.handed_over.v1",
    RestructuringStep.ACCEPT: PREFIX + "restructuring.completed.v1",
}

# the personal data of the events above — who acted and who signed, by name, and a step's
# corrected values (a signer's among them): left out on the public exchange (kit.public_stream)
_DECIDED, _HANDED_OVER, _COMPLETED = RESTRUCTURING_STEPS.values()
PERSONAL_DATA = {
    **dict.fromkeys(DISSOLUTION_STEPS.values(), ("actor",)),
    DISSOLUTION_STEPS[Step.ISSUE_DECISION]: ("actor", "signer"),
    DISSOLUTION_STEP_CORRECTED: ("actor", "corrections", "record.signer"),
    _DECIDED: ("actor", "decision.signer"),
    _HANDED_OVER: ("actor", "decision.signer", "handover.giverSigner", "handover.receiverSigner"),
    _COMPLETED: ("actor", "decision.signer", "acceptance.signer"),
}

# consumed: the members service's contract, as this service reads it
MEMBERS_RELOCATED = "partyorg.members.dissolution.members_relocated.v1"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def organisation_snapshot(organisation: Organisation) -> Event:
    return {
        "organisationId": organisation.id,
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind.value,
        "cellType": organisation.cell_type.value if organisation.cell_type else None,
        "parentId": organisation.parent_id,
        "ancestorIds": organisation.ancestor_ids,
        "status": organisation.status.value,
        "coverage": organisation.coverage,
        "dissolvedOn": _iso(organisation.dissolved_on),
        "version": organisation.version,
        "formerCodes": [f.code for f in organisation.former_codes],
        "successorIds": [link.organisation_id for link in organisation.successors],
        "predecessorIds": [link.organisation_id for link in organisation.predecessors],
        "ceasedOn": _iso(organisation.ceased_on),
        "establishedOn": _iso(organisation.established_on),
    }


def organisation_registered(organisation: Organisation) -> Event:
    return new_event(
        ORGANISATION_REGISTERED,
        SOURCE,
        organisation_snapshot(organisation),
        subject=organisation.id,
    )


def organisation_updated(organisation: Organisation) -> Event:
    return new_event(
        ORGANISATION_UPDATED, SOURCE, organisation_snapshot(organisation), subject=organisation.id
    )


def directive_issued(directive: Directive) -> Event:
    return new_event(
        DIRECTIVE_ISSUED,
        SOURCE,
        {
            "directiveId": directive.id,
            "number": str(directive.number),
            "kind": directive.number.kind.name,
            "issuer": directive.issuer,
            "issuerOrganisationId": directive.issuer_organisation_id,
            "issuedOn": directive.issued_on.isoformat(),
            "otherIssuedDates": [d.isoformat() for d in directive.other_issued_dates],
            "title": directive.title,
            "basedOnIds": directive.based_on_ids,
        },
        subject=directive.id,
    )


def campaign_launched(campaign: Campaign) -> Event:
    return new_event(
        CAMPAIGN_LAUNCHED,
        SOURCE,
        {
            "campaignId": campaign.id,
            "directiveNumber": campaign.directive_number,
            "districtCommitteeId": campaign.district_committee_id,
            "wardCommitteeIds": campaign.ward_committee_ids,
            "planDeadline": campaign.plan_deadline.isoformat(),
            "cellIds": [target.cell_id for target in campaign.targets],
        },
        subject=campaign.id,
    )


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else int(value or 0)


def relocation_of(data: dict[str, Any], received_on: date) -> tuple[str, Relocation]:
    """The case id and what the members service reports of everyone's reception; `members`
    and `candidates` may be counts or lists of ids."""
    completed = data.get("completedOn")
    return data["caseId"], Relocation(
        members=_count(data.get("members")),
        candidates=_count(data.get("candidates")),
        completed_on=date.fromisoformat(completed) if completed else received_on,
    )


def today_set(today: date | None) -> Event:
    """Development only: the day every service takes as today (null: the real date)."""
    return new_event(TODAY_SET, SOURCE, {"today": today.isoformat() if today else None})
