"""The events of dissolution cases: opened, each step taken, a step corrected."""

from kit.events import new_event

from organisations.domain import AuditEntry, CaseCorrection, DissolutionCase, Step
from organisations.events import (
    DISSOLUTION_OPENED,
    DISSOLUTION_STEP_CORRECTED,
    DISSOLUTION_STEPS,
    SOURCE,
    Event,
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
