"""Corrections of a dissolution case's recorded steps: a wrong date, number or name fixed by
the role that may record the step, each changed field kept in the case's corrections with its
old value, its new one, who, when and why. Standard library only."""

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from organisations.domain.dissolution import (
    Action,
    CaseCorrection,
    DissolutionCase,
    Step,
    _not_before,
    _not_in_future,
)
from organisations.domain.errors import DomainError, InvalidTransition


@dataclass(frozen=True)
class StepCorrection:
    """The fields a correction gives (None: unchanged)."""

    held_on: date | None = None
    attendee_count: int | None = None
    documents: list[str] | None = None
    plan_number: str | None = None
    plan_date: date | None = None
    approved_on: date | None = None
    opinion: str | None = None
    decision_number: str | None = None
    signed_on: date | None = None
    signer: str | None = None
    effective_on: date | None = None

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


# for each correctable step: the case's record of it, and each correctable field's attribute
RECORDS: dict[Step, tuple[str, dict[str, str]]] = {
    Step.RECORD_DISSEMINATION: (
        "dissemination",
        {"held_on": "held_on", "attendee_count": "attendee_count", "documents": "documents"},
    ),
    Step.SUBMIT_PLAN: ("plan", {"plan_number": "number", "plan_date": "dated_on"}),
    Step.APPROVE_PLAN: ("approval", {"approved_on": "approved_on", "opinion": "opinion"}),
    Step.ISSUE_DECISION: (
        "decision",
        {
            "decision_number": "number",
            "signed_on": "signed_on",
            "signer": "signer",
            "effective_on": "effective_on",
        },
    ),
    Step.RECORD_ANNOUNCEMENT: ("announcement", {"held_on": "held_on"}),
}


def correct_step(
    case: DissolutionCase, step: Step, correction: StepCorrection, reason: str, action: Action
) -> list[CaseCorrection]:
    """Correct what was recorded at `step`; the dates must still follow one another as when
    they were recorded. Returns the fields changed, kept in the case's corrections."""
    if not reason.strip():
        raise DomainError("A correction needs its reason.", field="reason")
    if step not in RECORDS:
        raise DomainError(
            f"{step.value} records nothing that can be corrected.",
            field="step",
            correctable=[s.value for s in RECORDS],
        )
    record_name, attributes = RECORDS[step]
    record = getattr(case, record_name)
    if record is None:
        raise InvalidTransition(
            f"{step.value} is not recorded on the case (it is {case.stage.value}): "
            "there is nothing to correct.",
            stage=case.stage.value,
            step=step.value,
        )
    given = correction.given()
    foreign = sorted(_camel(name) for name in given if name not in attributes)
    if foreign:
        raise DomainError(
            f"{', '.join(foreign)} are not recorded at {step.value}.",
            field=foreign[0],
            correctable=[_camel(name) for name in attributes],
        )
    changed = {
        name: value
        for name, value in _cleaned(given).items()
        if getattr(record, attributes[name]) != value
    }
    if not changed:
        raise DomainError("The correction changes nothing.", field="step")
    if "effective_on" in changed and case.cell_dissolved:
        raise InvalidTransition(
            "The cell is dissolved already: its decision's effective date stands.",
            field="effectiveOn",
        )
    corrected = replace(record, **{attributes[name]: value for name, value in changed.items()})
    _check_records(replace(case, **{record_name: corrected}), action)
    entries = [
        CaseCorrection(
            step,
            _camel(name),
            _text(getattr(record, attributes[name])),
            _text(value),
            reason.strip(),
            action.actor,
            action.at,
            action.subject,
        )
        for name, value in changed.items()
    ]
    setattr(case, record_name, corrected)
    case.corrections.extend(entries)
    case.version += 1
    return entries


def _cleaned(given: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in given.items()
    }


def _check_records(case: DissolutionCase, action: Action) -> None:
    """What recording each step checked, over the records as corrected."""
    d, plan, approval, decision = case.dissemination, case.plan, case.approval, case.decision
    if d is not None:
        _not_in_future(d.held_on, action, "heldOn")
        if d.attendee_count < 1:
            raise DomainError("A conference needs at least one attendee.", field="attendeeCount")
    if plan is not None:
        if not plan.number:
            raise DomainError("A plan needs its number.", field="planNumber")
        _not_in_future(plan.dated_on, action, "planDate")
        if d is not None:
            _not_before(plan.dated_on, d.held_on, "planDate", "the dissemination")
    if approval is not None:
        _not_in_future(approval.approved_on, action, "approvedOn")
        if plan is not None:
            _not_before(approval.approved_on, plan.dated_on, "approvedOn", "the plan")
    if decision is not None:
        if not decision.number or not decision.signer:
            raise DomainError("A decision needs its number and signer.", field="decisionNumber")
        _not_in_future(decision.signed_on, action, "signedOn")
        if approval is not None:
            _not_before(decision.signed_on, approval.approved_on, "signedOn", "the approval")
        _not_before(decision.effective_on, decision.signed_on, "effectiveOn", "the signature")
    if case.announcement is not None and decision is not None:
        _not_in_future(case.announcement.held_on, action, "heldOn")
        _not_before(case.announcement.held_on, decision.signed_on, "heldOn", "the decision")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)
