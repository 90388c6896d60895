"""The events of restructurings: a campaign launched, a case opened, each step taken."""

from kit.events import new_event

from organisations.domain import (
    RestructuringAuditEntry,
    RestructuringCampaign,
    RestructuringCase,
    RestructuringStep,
)
from organisations.events import (
    RESTRUCTURING_CAMPAIGN_LAUNCHED,
    RESTRUCTURING_OPENED,
    RESTRUCTURING_STEPS,
    SOURCE,
    Event,
)


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
