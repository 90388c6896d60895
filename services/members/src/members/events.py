"""The events this service publishes (those it consumes are read in consumed_events.py)."""

from datetime import date
from typing import Any

from kit.events import new_event
from kit.pseudonyms import DEVELOPMENT_SECRET, KeyDigests

from members.domain import (
    AdmissionCandidate,
    DissolutionCase,
    PartyMember,
    PersonKind,
    Transfer,
)
from members.domain.restructuring import OrganisationChange

SOURCE = "/partyorg/members"
PREFIX = "partyorg.members."

MEMBER_REGISTERED = PREFIX + "member.registered.v1"
MEMBER_UPDATED = PREFIX + "member.updated.v1"
TRANSFER_CREATED = PREFIX + "transfer.created.v1"
TRANSFER_DESTINATION_SET = PREFIX + "transfer.destination_set.v1"
TRANSFER_INTRODUCED = PREFIX + "transfer.introduced.v1"
TRANSFER_RECEIVED = PREFIX + "transfer.received.v1"
TRANSFER_CANCELLED = PREFIX + "transfer.cancelled.v1"
TRANSFER_RECEPTION_CORRECTED = PREFIX + "transfer.reception_corrected.v1"
CANDIDATE_INTRODUCED = PREFIX + "candidate.introduced.v1"
CANDIDATE_ADVANCED = PREFIX + "candidate.advanced.v1"
CANDIDATE_REHOMED = PREFIX + "candidate.rehomed.v1"
CANDIDATE_UPDATED = PREFIX + "candidate.updated.v1"
CANDIDATE_ADMITTED = PREFIX + "candidate.admitted.v1"
MENTOR_ASSIGNED = PREFIX + "mentor.assigned.v1"
MEMBERS_RELOCATED = PREFIX + "dissolution.members_relocated.v1"

# the personal data of the events above — names, the card number's and citizen ID's digests, who
# corrected a reception: left out on the public exchange (kit.public_stream)
PERSONAL_DATA = {
    MEMBER_REGISTERED: ("fullName", "keyDigests"),
    MEMBER_UPDATED: ("fullName", "keyDigests", "restructuring.decision.signer"),
    CANDIDATE_INTRODUCED: ("fullName",),
    CANDIDATE_ADVANCED: ("fullName",),
    CANDIDATE_UPDATED: ("fullName", "restructuring.decision.signer"),
    TRANSFER_RECEPTION_CORRECTED: ("correctedBy",),
}

# the digests of the keys city systems know members by (kit.pseudonyms); main sets the
# configured secret's before anything is published
_key_digests = KeyDigests(DEVELOPMENT_SECRET)


def use_key_digests(digests: KeyDigests) -> None:
    global _key_digests
    _key_digests = digests


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def member_snapshot(member: PartyMember) -> dict[str, Any]:
    """What other services may know of a member: no card number, citizen ID or birth date —
    only the keyed digests of the card number and citizen ID, which evaluations finds people
    by when a city system names them by those keys."""
    return {
        "memberId": member.id,
        "fullName": member.full_name,
        "standing": member.standing.value,
        "organisationId": member.organisation_id,
        "workplaceRole": member.workplace.role.value if member.workplace else None,
        "admittedOn": member.admitted_on.isoformat(),
        "keyDigests": _key_digests.of_keys(member.card_number, member.citizen_id),
        "version": member.version,
    }


def member_registered(member: PartyMember) -> dict[str, Any]:
    return new_event(MEMBER_REGISTERED, SOURCE, member_snapshot(member), subject=member.id)


def member_updated(
    member: PartyMember,
    restructuring: OrganisationChange | None = None,
    transfer: Transfer | None = None,
) -> dict[str, Any]:
    """The member as changed; `restructuring`: the change of hands they followed, if that
    is what changed (their cell merged, or it or a committee above it handed over);
    `transfer`: the received transfer that moved them, if that is what changed."""
    data = {
        **member_snapshot(member),
        "restructuring": _restructuring(restructuring),
        "transfer": _moved_by(transfer),
    }
    return new_event(MEMBER_UPDATED, SOURCE, data, subject=member.id)


def _moved_by(transfer: Transfer | None) -> dict[str, Any] | None:
    if transfer is None:
        return None
    return {
        "transferId": transfer.id,
        "kind": transfer.kind.value,
        "fromOrganisationId": transfer.from_organisation_id,
        "toOrganisationId": transfer.to_organisation_id,
    }


def _restructuring(change: OrganisationChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "caseId": change.case_id,
        "kind": change.kind,
        "decision": {
            "number": change.decision.number,
            "signer": change.decision.signer,
            "signedOn": change.decision.signed_on.isoformat(),
            "effectiveOn": change.decision.effective_on.isoformat(),
        },
        "organisationId": change.organisation_id,
        "fromOrganisationId": change.from_organisation_id,
        "toOrganisationId": change.to_organisation_id,
    }


def transfer_snapshot(transfer: Transfer) -> dict[str, Any]:
    person = "memberId" if transfer.person_kind is PersonKind.MEMBER else "candidateId"
    return {
        "transferId": transfer.id,
        person: transfer.person_id,
        "personKind": transfer.person_kind.value,
        "kind": transfer.kind.value,
        "reason": transfer.reason.value,
        "state": transfer.state.value,
        "fromOrganisationId": transfer.from_organisation_id,
        "toOrganisationId": transfer.to_organisation_id,
        "destinationName": transfer.destination_name,
        "caseId": transfer.case_id,
        "temporaryUntil": _day(transfer.temporary_until),
    }


def transfer_created(transfer: Transfer) -> dict[str, Any]:
    return new_event(TRANSFER_CREATED, SOURCE, transfer_snapshot(transfer), subject=transfer.id)


def transfer_destination_set(transfer: Transfer) -> dict[str, Any]:
    return new_event(
        TRANSFER_DESTINATION_SET, SOURCE, transfer_snapshot(transfer), subject=transfer.id
    )


def transfer_introduced(transfer: Transfer) -> dict[str, Any]:
    data = {
        **transfer_snapshot(transfer),
        "letterNo": transfer.letter_no,
        "issuedOn": _day(transfer.issued_on),
        "reportBy": _day(transfer.report_by),
    }
    return new_event(TRANSFER_INTRODUCED, SOURCE, data, subject=transfer.id)


def transfer_cancelled(transfer: Transfer) -> dict[str, Any]:
    data = {
        **transfer_snapshot(transfer),
        "cancelledOn": _day(transfer.cancelled_on),
        "reason": transfer.cancel_reason,
    }
    return new_event(TRANSFER_CANCELLED, SOURCE, data, subject=transfer.id)


def transfer_received(transfer: Transfer) -> dict[str, Any]:
    """A member's party activity has moved (OFFICIAL, INTERNAL), or a host cell has taken them
    in for a TEMPORARY stay until `temporaryUntil` (they stay on the home cell's list): the
    event other services act on."""
    data = {
        "transferId": transfer.id,
        "memberId": transfer.person_id,
        "kind": transfer.kind.value,
        "reason": transfer.reason.value,
        "temporaryUntil": _day(transfer.temporary_until),
        "fromOrganisationId": transfer.from_organisation_id,
        "toOrganisationId": transfer.to_organisation_id,
        "destinationName": transfer.destination_name,
        "receivedOn": _day(transfer.received_on),
        "caseId": transfer.case_id,
    }
    return new_event(TRANSFER_RECEIVED, SOURCE, data, subject=transfer.person_id)


def reception_corrected(transfer: Transfer) -> dict[str, Any]:
    """A reception date corrected by the receiving side: the person belongs to the new cell
    from the corrected date."""
    correction = transfer.reception_corrections[-1]
    person = "memberId" if transfer.person_kind is PersonKind.MEMBER else "candidateId"
    data = {
        "transferId": transfer.id,
        person: transfer.person_id,
        "personKind": transfer.person_kind.value,
        "kind": transfer.kind.value,
        "fromOrganisationId": transfer.from_organisation_id,
        "toOrganisationId": transfer.to_organisation_id,
        "previousReceivedOn": _day(correction.old_received_on),
        "receivedOn": _day(transfer.received_on),
        "reason": correction.reason,
        "correctedBy": correction.by,
        "caseId": transfer.case_id,
    }
    return new_event(
        TRANSFER_RECEPTION_CORRECTED,
        SOURCE,
        data,
        subject=transfer.person_id,
        id=f"{transfer.id}:reception_corrected:{len(transfer.reception_corrections)}",
    )


def candidate_rehomed(transfer: Transfer) -> dict[str, Any]:
    data = {
        "transferId": transfer.id,
        "candidateId": transfer.person_id,
        "fromOrganisationId": transfer.from_organisation_id,
        "toOrganisationId": transfer.to_organisation_id,
        "receivedOn": _day(transfer.received_on),
        "caseId": transfer.case_id,
    }
    return new_event(CANDIDATE_REHOMED, SOURCE, data, subject=transfer.person_id)


def candidate_snapshot(candidate: AdmissionCandidate) -> dict[str, Any]:
    return {
        "candidateId": candidate.id,
        "fullName": candidate.full_name,
        "stage": candidate.stage.value,
        "organisationId": candidate.organisation_id,
        "workplaceRole": candidate.workplace.role.value if candidate.workplace else None,
        "mentorIds": candidate.mentor_ids,
    }


def candidate_introduced(candidate: AdmissionCandidate) -> dict[str, Any]:
    return new_event(
        CANDIDATE_INTRODUCED, SOURCE, candidate_snapshot(candidate), subject=candidate.id
    )


def candidate_advanced(candidate: AdmissionCandidate) -> dict[str, Any]:
    return new_event(
        CANDIDATE_ADVANCED, SOURCE, candidate_snapshot(candidate), subject=candidate.id
    )


def candidate_updated(
    candidate: AdmissionCandidate, restructuring: OrganisationChange
) -> dict[str, Any]:
    """The candidate after following their cell through a restructuring."""
    data = {**candidate_snapshot(candidate), "restructuring": _restructuring(restructuring)}
    return new_event(CANDIDATE_UPDATED, SOURCE, data, subject=candidate.id)


def candidate_admitted(candidate: AdmissionCandidate) -> dict[str, Any]:
    data = {
        "candidateId": candidate.id,
        "memberId": candidate.member_id,
        "organisationId": candidate.organisation_id,
        "admittedOn": candidate.admitted_on.isoformat() if candidate.admitted_on else None,
    }
    return new_event(CANDIDATE_ADMITTED, SOURCE, data, subject=candidate.id)


def mentor_assigned(candidate: AdmissionCandidate, mentor: PartyMember) -> dict[str, Any]:
    data = {
        "candidateId": candidate.id,
        "mentorId": mentor.id,
        "organisationId": candidate.organisation_id,
    }
    return new_event(MENTOR_ASSIGNED, SOURCE, data, subject=candidate.id)


def members_relocated(
    case: DissolutionCase, members: int, candidates: int, completed_on: date
) -> dict[str, Any]:
    data = {
        "caseId": case.id,
        "cellId": case.cell_id,
        "wardCommitteeId": case.ward_committee_id,
        "members": members,
        "candidates": candidates,
        "completedOn": completed_on.isoformat(),
    }
    return new_event(
        MEMBERS_RELOCATED, SOURCE, data, subject=case.id, id=f"members-relocated-{case.id}"
    )
