"""How each aggregate is stored: plain documents, dates as ISO strings."""

from datetime import date
from typing import Any

from kit.mongo import Document

from members.domain import (
    AdmissionCandidate,
    CandidateStage,
    Checklist,
    Gender,
    PartyMember,
    PersonKind,
    ReceptionCorrection,
    Residence,
    StageChange,
    Standing,
    Transfer,
    TransferKind,
    TransferReason,
    TransferState,
    Workplace,
    WorkplaceRole,
)
from members.domain.admission import AwarenessCertificate, Introducer
from members.domain.restructuring import OrganisationChange, RestructuringDecision


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def day_of(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def required_day(value: Any) -> date:
    return date.fromisoformat(value)


def residence_document(residence: Residence | None) -> Document | None:
    if residence is None:
        return None
    return {"address": residence.address, "residential_group": residence.residential_group}


def residence_of(document: Document | None) -> Residence | None:
    if not document:
        return None
    return Residence(document["address"], document["residential_group"])


def workplace_document(workplace: Workplace | None) -> Document | None:
    return {"name": workplace.name, "role": workplace.role.value} if workplace else None


def workplace_of(document: Document | None) -> Workplace | None:
    return Workplace(document["name"], WorkplaceRole(document["role"])) if document else None


def member_document(member: PartyMember) -> Document:
    return {
        "_id": member.id,
        "card_number": member.card_number,
        "full_name": member.full_name,
        "date_of_birth": day(member.date_of_birth),
        "gender": member.gender.value,
        "standing": member.standing.value,
        "admitted_on": day(member.admitted_on),
        "official_on": day(member.official_on),
        "organisation_id": member.organisation_id,
        "residence": residence_document(member.residence),
        "workplace": workplace_document(member.workplace),
        "transferred_out_to": member.transferred_out_to,
        "admission_ceremony_on": day(member.admission_ceremony_on),
        "introducers": [
            {"member_id": i.member_id, "worked_together_since": day(i.worked_together_since)}
            for i in member.introducers
        ],
        "awareness_certificate": {
            "number": member.awareness_certificate.number,
            "issued_on": day(member.awareness_certificate.issued_on),
        }
        if member.awareness_certificate
        else None,
        "restructurings": [_change_document(c) for c in member.restructurings],
        "version": member.version,
        # absent when none: the unique index leaves out the members without one
        **({"citizen_id": member.citizen_id} if member.citizen_id else {}),
    }


def member_from(document: Document) -> PartyMember:
    return PartyMember(
        id=document["_id"],
        card_number=document["card_number"],
        full_name=document["full_name"],
        date_of_birth=required_day(document["date_of_birth"]),
        gender=Gender(document["gender"]),
        standing=Standing(document["standing"]),
        admitted_on=required_day(document["admitted_on"]),
        official_on=day_of(document.get("official_on")),
        organisation_id=document.get("organisation_id"),
        residence=residence_of(document.get("residence")),
        workplace=workplace_of(document.get("workplace")),
        transferred_out_to=document.get("transferred_out_to"),
        admission_ceremony_on=day_of(document.get("admission_ceremony_on")),
        introducers=tuple(
            Introducer(i["member_id"], required_day(i["worked_together_since"]))
            for i in document.get("introducers") or []
        ),
        awareness_certificate=_certificate_of(document.get("awareness_certificate")),
        citizen_id=document.get("citizen_id"),
        restructurings=tuple(_change_of(c) for c in document.get("restructurings") or []),
        version=int(document.get("version", 1)),
    )


def decision_document(decision: RestructuringDecision) -> Document:
    """A restructuring's decision as a member's history and a hand-over record keep it."""
    return {
        "number": decision.number,
        "signer": decision.signer,
        "signed_on": day(decision.signed_on),
        "effective_on": day(decision.effective_on),
    }


def decision_of(document: Document) -> RestructuringDecision:
    return RestructuringDecision(
        document["number"],
        document["signer"],
        required_day(document["signed_on"]),
        required_day(document["effective_on"]),
    )


def _change_document(change: OrganisationChange) -> Document:
    return {
        "case_id": change.case_id,
        "kind": change.kind,
        "decision": decision_document(change.decision),
        "organisation_id": change.organisation_id,
        "from_organisation_id": change.from_organisation_id,
        "to_organisation_id": change.to_organisation_id,
    }


def _change_of(document: Document) -> OrganisationChange:
    return OrganisationChange(
        case_id=document["case_id"],
        kind=document["kind"],
        decision=decision_of(document["decision"]),
        organisation_id=document["organisation_id"],
        from_organisation_id=document.get("from_organisation_id"),
        to_organisation_id=document["to_organisation_id"],
    )


def _certificate_of(document: Document | None) -> AwarenessCertificate | None:
    if not document:
        return None
    return AwarenessCertificate(document["number"], required_day(document["issued_on"]))


def checklist_document(checklist: Checklist) -> Document:
    return dict(vars(checklist))


def transfer_document(transfer: Transfer) -> Document:
    return {
        "_id": transfer.id,
        "person_kind": transfer.person_kind.value,
        "person_id": transfer.person_id,
        "person_name": transfer.person_name,
        "kind": transfer.kind.value,
        "reason": transfer.reason.value,
        "from_organisation_id": transfer.from_organisation_id,
        "ward_committee_id": transfer.ward_committee_id,
        "to_organisation_id": transfer.to_organisation_id,
        "destination_name": transfer.destination_name,
        "state": transfer.state.value,
        "requested_on": day(transfer.requested_on),
        "case_id": transfer.case_id,
        "temporary_until": day(transfer.temporary_until),
        "letter_no": transfer.letter_no,
        "issued_on": day(transfer.issued_on),
        "report_by": day(transfer.report_by),
        "received_on": day(transfer.received_on),
        "cancelled_on": day(transfer.cancelled_on),
        "cancel_reason": transfer.cancel_reason,
        "overdue_reason": transfer.overdue_reason,
        "note": transfer.note,
        "checklist": checklist_document(transfer.checklist),
        "reception_corrections": [
            {
                "old_received_on": day(c.old_received_on),
                "new_received_on": day(c.new_received_on),
                "reason": c.reason,
                "by": c.by,
                "on": day(c.on),
                "subject": c.subject,
            }
            for c in transfer.reception_corrections
        ],
        "version": transfer.version,
    }


def transfer_from(document: Document) -> Transfer:
    return Transfer(
        id=document["_id"],
        person_kind=PersonKind(document["person_kind"]),
        person_id=document["person_id"],
        person_name=document["person_name"],
        kind=TransferKind(document["kind"]),
        reason=TransferReason(document["reason"]),
        from_organisation_id=document["from_organisation_id"],
        ward_committee_id=document.get("ward_committee_id"),
        to_organisation_id=document.get("to_organisation_id"),
        destination_name=document.get("destination_name"),
        state=TransferState(document["state"]),
        requested_on=required_day(document["requested_on"]),
        case_id=document.get("case_id"),
        temporary_until=day_of(document.get("temporary_until")),
        letter_no=document.get("letter_no"),
        issued_on=day_of(document.get("issued_on")),
        report_by=day_of(document.get("report_by")),
        received_on=day_of(document.get("received_on")),
        cancelled_on=day_of(document.get("cancelled_on")),
        cancel_reason=document.get("cancel_reason"),
        overdue_reason=document.get("overdue_reason"),
        note=document.get("note"),
        checklist=Checklist(**(document.get("checklist") or {})),
        reception_corrections=[
            ReceptionCorrection(
                required_day(c["old_received_on"]),
                required_day(c["new_received_on"]),
                c["reason"],
                c["by"],
                required_day(c["on"]),
                c.get("subject"),
            )
            for c in document.get("reception_corrections") or []
        ],
        version=int(document.get("version", 1)),
    )


def candidate_document(candidate: AdmissionCandidate) -> Document:
    return {
        "_id": candidate.id,
        "full_name": candidate.full_name,
        "date_of_birth": day(candidate.date_of_birth),
        "gender": candidate.gender.value,
        "organisation_id": candidate.organisation_id,
        "stage": candidate.stage.value,
        "residence": residence_document(candidate.residence),
        "workplace": workplace_document(candidate.workplace),
        "mentor_ids": list(candidate.mentor_ids),
        "history": [
            {"stage": change.stage.value, "on": day(change.on), "note": change.note}
            for change in candidate.history
        ],
        "member_id": candidate.member_id,
        "restructurings": [_change_document(c) for c in candidate.restructurings],
        "version": candidate.version,
    }


def candidate_from(document: Document) -> AdmissionCandidate:
    return AdmissionCandidate(
        id=document["_id"],
        full_name=document["full_name"],
        date_of_birth=required_day(document["date_of_birth"]),
        gender=Gender(document["gender"]),
        organisation_id=document["organisation_id"],
        stage=CandidateStage(document["stage"]),
        residence=residence_of(document.get("residence")),
        workplace=workplace_of(document.get("workplace")),
        mentor_ids=list(document.get("mentor_ids") or []),
        history=[
            StageChange(CandidateStage(h["stage"]), required_day(h["on"]), h.get("note"))
            for h in document.get("history") or []
        ],
        member_id=document.get("member_id"),
        restructurings=tuple(_change_of(c) for c in document.get("restructurings") or []),
        version=int(document.get("version", 1)),
    )
