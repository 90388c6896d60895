"""The events this service publishes and the ones it consumes (its own copies of the contracts)."""

from datetime import date
from typing import Any

from kit.events import new_event

from evaluations.domain import (
    Evaluation,
    KnownOrganisation,
    Placement,
    RosterEntry,
    Stay,
    WorkplaceAssessment,
)
from evaluations.domain.restructuring import CompletedRestructuring, ParentChange

SOURCE = "/partyorg/evaluations"
PREFIX = "partyorg.evaluations."

EVALUATION_FINALISED = PREFIX + "evaluation.finalised.v1"
EVALUATION_REOPENED = PREFIX + "evaluation.reopened.v1"
WORKPLACE_ASSESSMENT_RECORDED = PREFIX + "workplace_assessment.recorded.v1"

# the personal data of the events above — who assessed, sent, finalised or reopened, by name:
# left out on the public exchange (kit.public_stream)
PERSONAL_DATA = {
    EVALUATION_FINALISED: ("finalisedBy",),
    EVALUATION_REOPENED: ("reopenedBy",),
    WORKPLACE_ASSESSMENT_RECORDED: ("assessorName", "submitter"),
}

# consumed: the members service's contract, as this service reads it
MEMBER_REGISTERED = "partyorg.members.member.registered.v1"
MEMBER_UPDATED = "partyorg.members.member.updated.v1"
TRANSFER_RECEIVED = "partyorg.members.transfer.received.v1"
TRANSFER_RECEPTION_CORRECTED = "partyorg.members.transfer.reception_corrected.v1"
CANDIDATE_ADMITTED = "partyorg.members.candidate.admitted.v1"

# consumed: the organisations service's contract
ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
ORGANISATION_UPDATED = "partyorg.organisations.organisation.updated.v1"
RESTRUCTURING_COMPLETED = "partyorg.organisations.restructuring.completed.v1"
TODAY_SET = "partyorg.organisations.today.set.v1"


def evaluation_finalised(evaluation: Evaluation, rule_set: str) -> dict[str, Any]:
    return new_event(
        EVALUATION_FINALISED,
        SOURCE,
        {
            "evaluationId": evaluation.id,
            "memberId": evaluation.member_id,
            "organisationId": evaluation.cell_id,
            "period": str(evaluation.period),
            "rating": evaluation.final_rating.value if evaluation.final_rating else None,
            "score": evaluation.final_score,
            "ruleSet": rule_set,
            "overrides": [{"rule": o.rule, "reason": o.reason} for o in evaluation.overrides],
            "finalisedAt": evaluation.finalised_at.isoformat() if evaluation.finalised_at else None,
            "finalisedBy": evaluation.history[-1].by if evaluation.history else None,
        },
        subject=evaluation.member_id,
        id=_finalised_id(evaluation),
    )


def _finalised_id(evaluation: Evaluation) -> str:
    """One per finalisation: the first keeps the id it always had, each after a reopening
    is told apart by its count (consumers deduplicate by id)."""
    reopened = len(evaluation.reopenings)
    return f"{evaluation.id}:finalised" + (f":{reopened + 1}" if reopened else "")


def evaluation_reopened(evaluation: Evaluation) -> dict[str, Any]:
    """A finalised rating taken back by the ward committee: it no longer counts as final."""
    reopening = evaluation.reopenings[-1]
    return new_event(
        EVALUATION_REOPENED,
        SOURCE,
        {
            "evaluationId": evaluation.id,
            "memberId": evaluation.member_id,
            "organisationId": evaluation.cell_id,
            "period": str(evaluation.period),
            "previousRating": reopening.rating.value,
            "previousScore": reopening.score,
            "reason": reopening.reason,
            "reopenedBy": reopening.by,
            "reopenedAt": reopening.at.isoformat(),
        },
        subject=evaluation.member_id,
        id=f"{evaluation.id}:reopened:{len(evaluation.reopenings)}",
    )


def workplace_assessment_recorded(
    assessment: WorkplaceAssessment, cell_id: str | None, ward_committee_id: str | None
) -> dict[str, Any]:
    """A job result recorded, with the cell that evaluates the member for its period and that
    cell's ward committee, for a city system to act on without calling back."""
    return new_event(
        WORKPLACE_ASSESSMENT_RECORDED,
        SOURCE,
        {
            "assessmentId": assessment.id,
            "externalId": assessment.external_id,
            "submitter": assessment.submitter,
            "submittedBy": assessment.submitted_by,
            "memberId": assessment.member_id,
            "organisationId": cell_id,
            "wardCommitteeId": ward_committee_id,
            "period": str(assessment.period),
            "assessorRole": assessment.assessor_role.value,
            "assessorName": assessment.assessor_name,
            "rating": assessment.rating.value,
            "recordedAt": assessment.recorded_at.isoformat(),
        },
        subject=assessment.member_id,
        id=f"{assessment.id}:recorded",
    )


def admitted_on(data: dict[str, Any]) -> date | None:
    """The admission date an event gives (events of earlier releases give none)."""
    return date.fromisoformat(data["admittedOn"][:10]) if data.get("admittedOn") else None


def key_digests(data: dict[str, Any]) -> tuple[str, ...] | None:
    """The digests of the member's card number and citizen ID (None: an event of an earlier
    release, which gives none)."""
    given = data.get("keyDigests")
    if given is None:
        return None
    return tuple(digest for digest in (given.get("cardNumber"), given.get("citizenId")) if digest)


def may_change_the_profile(data: dict[str, Any]) -> bool:
    """A member's update names the restructuring they followed (their cell merged or handed
    over) or the received transfer that moved them, when that is all that changed: the roster
    follows that restructuring's or transfer's own event."""
    return not data.get("restructuring") and not data.get("transfer")


def roster_entry_of_registration(data: dict[str, Any]) -> RosterEntry:
    """Evaluated by their cell from their admission on (not for periods before it)."""
    return RosterEntry(
        member_id=data["memberId"],
        full_name=data["fullName"],
        workplace_role=data.get("workplaceRole"),
        placements=[Placement(cell_id=data["organisationId"], since=admitted_on(data))],
        key_digests=key_digests(data) or (),
    )


def roster_entry_of_admission(data: dict[str, Any], sent_on: date) -> RosterEntry:
    """From the admission's date; the day the event was sent, for events that give none."""
    return RosterEntry(
        member_id=data["memberId"],
        full_name=data.get("fullName") or "",
        workplace_role=data.get("workplaceRole"),
        placements=[Placement(cell_id=data["organisationId"], since=admitted_on(data) or sent_on)],
    )


def placement_of_transfer(data: dict[str, Any]) -> Placement:
    """A transfer out of the district has no receiving cell here: no cell evaluates them."""
    return Placement(
        cell_id=data.get("toOrganisationId") or "",
        since=date.fromisoformat(data["receivedOn"][:10]),
        transfer_id=data["transferId"],
    )


def is_temporary(data: dict[str, Any]) -> bool:
    """A TEMPORARY stay does not move the member: the home cell keeps evaluating them."""
    return data.get("kind") == "TEMPORARY"


def stay_of_transfer(data: dict[str, Any]) -> Stay | None:
    """The host cell's stay, until `temporaryUntil` (open in events of earlier releases); None
    for a host outside the district, which nobody here speaks for."""
    host = data.get("toOrganisationId")
    if not host:
        return None
    until = data.get("temporaryUntil")
    return Stay(
        cell_id=host,
        since=date.fromisoformat(data["receivedOn"][:10]),
        until=date.fromisoformat(until[:10]) if until else None,
        transfer_id=data["transferId"],
    )


def known_organisation(data: dict[str, Any]) -> KnownOrganisation:
    return KnownOrganisation(
        id=data["organisationId"],
        code=data["code"],
        name=data["name"],
        kind=data["kind"],
        cell_type=data.get("cellType"),
        parent_id=data.get("parentId"),
        ancestor_ids=tuple(data.get("ancestorIds") or ()),
        status=data.get("status", "ACTIVE"),
        version=int(data.get("version") or 0),
    )


def completed_restructuring(data: dict[str, Any]) -> CompletedRestructuring:
    """`restructuring.completed.v1` as this service reads it: from the decision's effective
    date, the organisations under another parent and the cells merged into one successor."""
    return CompletedRestructuring(
        case_id=data["caseId"],
        effective_on=date.fromisoformat(data["effectiveOn"]),
        parent_changes=[
            ParentChange(moved["organisationId"], moved.get("fromParentId"))
            for moved in data.get("moved") or []
        ],
        cell_merges={
            ceased["organisationId"]: ceased["successorIds"][0]
            for ceased in data.get("ceased") or []
            if ceased.get("status") == "MERGED" and len(ceased.get("successorIds") or []) == 1
        },
    )
