"""The events this service publishes and the ones it consumes (its own copies of the contracts)."""

from datetime import date
from typing import Any

from kit.events import new_event

from organisations.domain import (
    AuditEntry,
    Campaign,
    CaseCorrection,
    Directive,
    DissolutionCase,
    Organisation,
    Relocation,
    RestructuringAuditEntry,
    RestructuringCampaign,
    RestructuringCase,
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


def dissolution_opened(case: DissolutionCase) -> Event:
    return new_event(
        DISSOLUTION_OPENED,
        SOURCE,
        {
            "caseId": case.id,
            "campaignId": case.campaign_id,
            "cellId": case.cell_id,
            "wardCommitteeId": case.ward_committee_id,
            "planDeadline": case.plan_deadline.isoformat(),
        },
        subject=case.id,
        id=f"{case.id}:opened",
    )


def _step_details(case: DissolutionCase, step: Step) -> Event:
    if step is Step.RECORD_DISSEMINATION and case.dissemination:
        return {
            "heldOn": case.dissemination.held_on.isoformat(),
            "attendeeCount": case.dissemination.attendee_count,
            "documents": case.dissemination.documents,
        }
    if step is Step.SUBMIT_PLAN and case.plan:
        return {
            "planNumber": case.plan.number,
            "planDate": case.plan.dated_on.isoformat(),
            "placements": placements_of(case),
        }
    if step is Step.APPROVE_PLAN and case.approval:
        return {"approvedOn": case.approval.approved_on.isoformat()}
    if step is Step.RETURN_PLAN and case.returned_plans:
        returned = case.returned_plans[-1]
        return {
            "returnedOn": returned.returned_on.isoformat(),
            "reasons": returned.reasons,
            "planNumber": returned.plan.number,
        }
    if step is Step.ISSUE_DECISION and case.decision and case.plan:
        return {
            "decisionNumber": case.decision.number,
            "signedOn": case.decision.signed_on.isoformat(),
            "signer": case.decision.signer,
            "effectiveOn": case.decision.effective_on.isoformat(),
            "placements": placements_of(case),
        }
    if step is Step.RECORD_ANNOUNCEMENT and case.announcement:
        return {"heldOn": case.announcement.held_on.isoformat()}
    if step is Step.CLOSE and case.relocation:
        return {
            "members": case.relocation.members,
            "candidates": case.relocation.candidates,
            "completedOn": case.relocation.completed_on.isoformat(),
        }
    return {}


def placements_of(case: DissolutionCase) -> list[Event]:
    return [
        {
            "personId": p.person_id,
            "personKind": p.person_kind.value,
            "destinationCellId": p.destination_cell_id,
        }
        for p in (case.plan.placements if case.plan else [])
    ]


def dissolution_step_taken(case: DissolutionCase, entry: AuditEntry) -> Event:
    return new_event(
        DISSOLUTION_STEPS[entry.step],
        SOURCE,
        {
            "caseId": case.id,
            "campaignId": case.campaign_id,
            "cellId": case.cell_id,
            "wardCommitteeId": case.ward_committee_id,
            "stage": entry.to_stage.value,
            "fromStage": entry.from_stage.value,
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "note": entry.note,
            **_step_details(case, entry.step),
        },
        subject=case.id,
    )


def dissolution_step_corrected(case: DissolutionCase, corrections: list[CaseCorrection]) -> Event:
    """A recorded step corrected: each field's old and new value, and the step as it now
    stands (the details its own event carried)."""
    first = corrections[0]
    return new_event(
        DISSOLUTION_STEP_CORRECTED,
        SOURCE,
        {
            "caseId": case.id,
            "campaignId": case.campaign_id,
            "cellId": case.cell_id,
            "wardCommitteeId": case.ward_committee_id,
            "stage": case.stage.value,
            "step": first.step.value,
            "corrections": [
                {"field": c.field, "from": c.old_value, "to": c.new_value} for c in corrections
            ],
            "reason": first.reason,
            "actor": first.actor,
            "at": first.at.isoformat(),
            "record": _step_details(case, first.step),
        },
        subject=case.id,
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


def restructuring_campaign_launched(campaign: RestructuringCampaign) -> Event:
    return new_event(
        RESTRUCTURING_CAMPAIGN_LAUNCHED,
        SOURCE,
        {
            "campaignId": campaign.id,
            "title": campaign.title,
            "organisationId": campaign.organisation_id,
            "directiveNumber": campaign.directive_number,
        },
        subject=campaign.id,
    )


def _restructuring(case: RestructuringCase) -> Event:
    return {
        "caseId": case.id,
        "kind": case.kind.value,
        "campaignId": case.campaign_id,
        "sourceIds": case.source_ids,
        "receivingId": case.receiving_id,
        "newOrganisations": [
            {"organisationId": u.id, "code": u.code, "name": u.name, "parentId": u.parent_id}
            for u in case.new_units
        ],
    }


def restructuring_opened(case: RestructuringCase) -> Event:
    return new_event(
        RESTRUCTURING_OPENED, SOURCE, _restructuring(case), subject=case.id, id=f"{case.id}:opened"
    )


def _decision(case: RestructuringCase) -> Event | None:
    d = case.decision
    if d is None:
        return None
    return {
        "number": d.number,
        "signedOn": d.signed_on.isoformat(),
        "signer": d.signer,
        "effectiveOn": d.effective_on.isoformat(),
    }


def _restructuring_details(case: RestructuringCase, step: RestructuringStep) -> Event:
    if step is RestructuringStep.RECORD_HANDOVER and case.handovers:
        record = case.handovers[-1]
        return {
            "handover": {
                "organisationId": record.organisation_id,
                "signedOn": record.signed_on.isoformat(),
                "giverSigner": record.giver_signer,
                "receiverSigner": record.receiver_signer,
                "memberCount": record.member_count,
                "candidateCount": record.candidate_count,
            }
        }
    if step is RestructuringStep.ACCEPT and case.acceptance and case.outcome:
        return {
            "acceptance": {
                "acceptedOn": case.acceptance.accepted_on.isoformat(),
                "signer": case.acceptance.signer,
                "decisionNumber": case.acceptance.decision_number,
            },
            "moved": [
                {
                    "organisationId": m.organisation_id,
                    "fromParentId": m.from_parent_id,
                    "toParentId": m.to_parent_id,
                    "code": m.code,
                }
                for m in case.outcome.moves
            ],
            "ceased": [
                {
                    "organisationId": c.organisation_id,
                    "status": c.status.value,
                    "successorIds": c.successor_ids,
                }
                for c in case.outcome.cessations
            ],
        }
    return {}


def restructuring_step_taken(case: RestructuringCase, entry: RestructuringAuditEntry) -> Event:
    """Each step, with the decision once there is one; the completion says which
    organisations moved under whom and which merged into (or split among) which, from the
    decision's effective date — members and evaluations follow from it."""
    decision = _decision(case)
    return new_event(
        RESTRUCTURING_STEPS[entry.step],
        SOURCE,
        {
            **_restructuring(case),
            "stage": entry.to_stage.value,
            "fromStage": entry.from_stage.value,
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "note": entry.note,
            "decision": decision,
            "effectiveOn": decision["effectiveOn"] if decision else None,
            **_restructuring_details(case, entry.step),
        },
        subject=case.id,
    )
