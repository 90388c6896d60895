"""The dissolution case [hồ sơ giải thể] of one cell: a state machine with an audit trail."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from organisations.domain.dissolution_records import (
    Announcement,
    Approval,
    Decision,
    Dissemination,
    Plan,
    PlanReturn,
    Relocation,
)
from organisations.domain.errors import DomainError, InvalidTransition


class Stage(Enum):
    OPENED = "OPENED"
    DISSEMINATED = "DISSEMINATED"
    PLAN_SUBMITTED = "PLAN_SUBMITTED"
    PLAN_APPROVED = "PLAN_APPROVED"
    DECISION_ISSUED = "DECISION_ISSUED"
    ANNOUNCED = "ANNOUNCED"
    CLOSED = "CLOSED"


class Step(Enum):
    RECORD_DISSEMINATION = "RECORD_DISSEMINATION"
    SUBMIT_PLAN = "SUBMIT_PLAN"
    APPROVE_PLAN = "APPROVE_PLAN"
    RETURN_PLAN = "RETURN_PLAN"
    ISSUE_DECISION = "ISSUE_DECISION"
    RECORD_ANNOUNCEMENT = "RECORD_ANNOUNCEMENT"
    CLOSE = "CLOSE"


TRANSITIONS: dict[tuple[Stage, Step], Stage] = {
    (Stage.OPENED, Step.RECORD_DISSEMINATION): Stage.DISSEMINATED,
    (Stage.DISSEMINATED, Step.SUBMIT_PLAN): Stage.PLAN_SUBMITTED,
    (Stage.PLAN_SUBMITTED, Step.APPROVE_PLAN): Stage.PLAN_APPROVED,
    (Stage.PLAN_SUBMITTED, Step.RETURN_PLAN): Stage.DISSEMINATED,
    (Stage.PLAN_APPROVED, Step.ISSUE_DECISION): Stage.DECISION_ISSUED,
    (Stage.DECISION_ISSUED, Step.RECORD_ANNOUNCEMENT): Stage.ANNOUNCED,
    (Stage.ANNOUNCED, Step.CLOSE): Stage.CLOSED,
}

AWAITING_PLAN = (Stage.OPENED, Stage.DISSEMINATED)


def allowed_steps(stage: Stage) -> list[Step]:
    return [step for (origin, step) in TRANSITIONS if origin is stage]


def next_stage(stage: Stage, step: Step) -> Stage:
    """Where `step` leads from `stage`; refuses an out-of-order step, naming what is allowed."""
    target = TRANSITIONS.get((stage, step))
    if target is None:
        allowed = [s.value for s in allowed_steps(stage)]
        raise InvalidTransition(
            f"{step.value} is not allowed while the case is {stage.value}; "
            f"allowed next: {', '.join(allowed) or 'nothing (the case is closed)'}.",
            stage=stage.value,
            step=step.value,
            allowedSteps=allowed,
        )
    return target


@dataclass(frozen=True)
class Action:
    """Who takes a step (their display name and the subject that tells apart two people of one
    name), when, and why."""

    actor: str
    at: datetime
    note: str | None = None
    subject: str | None = None

    @property
    def today(self) -> date:
        return self.at.date()


@dataclass(frozen=True)
class AuditEntry:
    step: Step
    from_stage: Stage
    to_stage: Stage
    actor: str
    at: datetime
    note: str | None
    subject: str | None = None  # None: recorded before subjects were kept


@dataclass(frozen=True)
class CaseCorrection:
    """One field of a recorded step corrected: the value it had, the one it has, who, when,
    why (see domain/case_corrections.py)."""

    step: Step
    field: str
    old_value: str | None
    new_value: str | None
    reason: str
    actor: str
    at: datetime
    subject: str | None = None


@dataclass
class DissolutionCase:
    id: str
    campaign_id: str
    cell_id: str
    ward_committee_id: str
    plan_deadline: date
    opened_at: datetime
    stage: Stage = Stage.OPENED
    dissemination: Dissemination | None = None
    plan: Plan | None = None
    returned_plans: list[PlanReturn] = field(default_factory=list)
    approval: Approval | None = None
    decision: Decision | None = None
    announcement: Announcement | None = None
    relocation: Relocation | None = None
    audit_trail: list[AuditEntry] = field(default_factory=list)
    corrections: list[CaseCorrection] = field(default_factory=list)
    cell_dissolved: bool = False
    version: int = 1

    def is_overdue(self, today: date) -> bool:
        """The plan is not submitted and the campaign's deadline has passed."""
        return self.stage in AWAITING_PLAN and today > self.plan_deadline

    @property
    def allowed_steps(self) -> list[Step]:
        return allowed_steps(self.stage)

    def _take(self, step: Step, action: Action) -> AuditEntry:
        target = next_stage(self.stage, step)
        entry = AuditEntry(
            step, self.stage, target, action.actor, action.at, action.note, action.subject
        )
        self.stage = target
        self.audit_trail.append(entry)
        self.version += 1
        return entry

    def record_dissemination(self, dissemination: Dissemination, action: Action) -> AuditEntry:
        next_stage(self.stage, Step.RECORD_DISSEMINATION)
        _not_in_future(dissemination.held_on, action, "heldOn")
        if dissemination.attendee_count < 1:
            raise DomainError("A conference needs at least one attendee.", field="attendeeCount")
        self.dissemination = dissemination
        return self._take(Step.RECORD_DISSEMINATION, action)

    def submit_plan(self, plan: Plan, action: Action) -> AuditEntry:
        next_stage(self.stage, Step.SUBMIT_PLAN)
        if not plan.number.strip():
            raise DomainError("A plan needs its number.", field="planNumber")
        _not_in_future(plan.dated_on, action, "planDate")
        assert self.dissemination is not None
        _not_before(plan.dated_on, self.dissemination.held_on, "planDate", "the dissemination")
        people = [p.person_id for p in plan.placements]
        if len(people) != len(set(people)):
            raise DomainError("A plan places each person once.", field="placements")
        if any(p.destination_cell_id == self.cell_id for p in plan.placements):
            raise DomainError(
                "Nobody can be placed in the cell being dissolved.", field="placements"
            )
        self.plan = plan
        return self._take(Step.SUBMIT_PLAN, action)

    def approve_plan(self, approval: Approval, action: Action) -> AuditEntry:
        next_stage(self.stage, Step.APPROVE_PLAN)
        assert self.plan is not None
        _not_in_future(approval.approved_on, action, "approvedOn")
        _not_before(approval.approved_on, self.plan.dated_on, "approvedOn", "the plan")
        self.approval = approval
        return self._take(Step.APPROVE_PLAN, action)

    def return_plan(self, returned_on: date, reasons: str, action: Action) -> AuditEntry:
        next_stage(self.stage, Step.RETURN_PLAN)
        assert self.plan is not None
        if not reasons.strip():
            raise DomainError("A returned plan needs the district's reasons.", field="reasons")
        _not_in_future(returned_on, action, "returnedOn")
        _not_before(returned_on, self.plan.dated_on, "returnedOn", "the plan")
        self.returned_plans.append(PlanReturn(self.plan, returned_on, reasons.strip()))
        self.plan = None
        return self._take(Step.RETURN_PLAN, action)

    def issue_decision(self, decision: Decision, action: Action) -> AuditEntry:
        next_stage(self.stage, Step.ISSUE_DECISION)
        assert self.approval is not None
        if not decision.number.strip() or not decision.signer.strip():
            raise DomainError("A decision needs its number and signer.", field="decisionNumber")
        _not_in_future(decision.signed_on, action, "signedOn")
        _not_before(decision.signed_on, self.approval.approved_on, "signedOn", "the approval")
        _not_before(decision.effective_on, decision.signed_on, "effectiveOn", "the signature")
        self.decision = decision
        return self._take(Step.ISSUE_DECISION, action)

    def record_announcement(self, announcement: Announcement, action: Action) -> AuditEntry:
        next_stage(self.stage, Step.RECORD_ANNOUNCEMENT)
        assert self.decision is not None
        _not_in_future(announcement.held_on, action, "heldOn")
        _not_before(announcement.held_on, self.decision.signed_on, "heldOn", "the decision")
        self.announcement = announcement
        return self._take(Step.RECORD_ANNOUNCEMENT, action)

    def members_relocated(self, relocation: Relocation, action: Action) -> AuditEntry | None:
        """Everyone of the cell has been received: close the case, or remember it for the close
        that follows the announcement when the members moved before it was recorded."""
        if self.relocation is not None:
            return None
        if self.stage is Stage.DECISION_ISSUED:
            self.relocation = relocation
            self.version += 1
            return None
        next_stage(self.stage, Step.CLOSE)
        self.relocation = relocation
        return self._take(Step.CLOSE, action)

    def close_if_relocated(self, action: Action) -> AuditEntry | None:
        """Close an announced case whose members were all received before the announcement."""
        if self.relocation is None or self.stage is not Stage.ANNOUNCED:
            return None
        return self._take(Step.CLOSE, action)

    def cell_dissolves_by(self, today: date) -> bool:
        return (
            self.decision is not None
            and not self.cell_dissolved
            and self.decision.effective_on <= today
        )


def _not_in_future(day: date, action: Action, name: str) -> None:
    if day > action.today:
        raise DomainError(f"{name} {day.isoformat()} is in the future.", field=name)


def _not_before(day: date, earlier: date, name: str, what: str) -> None:
    if day < earlier:
        raise DomainError(
            f"{name} {day.isoformat()} is before {what} ({earlier.isoformat()}).", field=name
        )
