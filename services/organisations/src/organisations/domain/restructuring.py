"""A restructuring case: organisations merged, split or handed over to another committee
(09-HD/BTCTW, 31-HD/BTCTW) — a state machine with an audit trail.

The upper committee decides (number, signer, effective date); the giving side and the
receiving side sign a hand-over record of the member-list book [biên bản bàn giao sổ danh
sách đảng viên] for each organisation given; the receiving side decides to receive; the case
is then COMPLETED and its outcome — who moves under whom, who ceases in favour of whom, which
organisations are new — is applied to the tree from the effective date.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from organisations.domain.dissolution import Action
from organisations.domain.dissolution_records import Decision
from organisations.domain.errors import DomainError, InvalidTransition
from organisations.domain.hierarchy import (
    Organisation,
    OrganisationStatus,
)

_IDS = uuid.UUID("0b7f3c52-4d1e-4a8b-9e21-6c5d7f80a913")


class RestructuringKind(Enum):
    MERGE_NEW = "MERGE_NEW"  # hợp nhất: into a new organisation
    MERGE_INTO = "MERGE_INTO"  # sáp nhập: into an existing one
    SPLIT = "SPLIT"  # chia tách
    HAND_OVER = "HAND_OVER"  # chuyển giao tổ chức: to another committee
    # kết thúc hoạt động: a committee ends with no successor (the district committees on
    # 01/7/2025), once nothing active stands under it; a committee above it receives its records
    END = "END"


class RestructuringStage(Enum):
    OPENED = "OPENED"
    DECIDED = "DECIDED"
    HANDING_OVER = "HANDING_OVER"
    HANDED_OVER = "HANDED_OVER"
    COMPLETED = "COMPLETED"


class RestructuringStep(Enum):
    ISSUE_DECISION = "ISSUE_DECISION"
    RECORD_HANDOVER = "RECORD_HANDOVER"
    ACCEPT = "ACCEPT"


S, P = RestructuringStage, RestructuringStep
TRANSITIONS: dict[tuple[RestructuringStage, RestructuringStep], RestructuringStage] = {
    (S.OPENED, P.ISSUE_DECISION): S.DECIDED,
    (S.DECIDED, P.RECORD_HANDOVER): S.HANDING_OVER,
    (S.HANDING_OVER, P.RECORD_HANDOVER): S.HANDING_OVER,
    (S.HANDED_OVER, P.ACCEPT): S.COMPLETED,
}


def allowed_steps(stage: RestructuringStage) -> list[RestructuringStep]:
    return [step for (origin, step) in TRANSITIONS if origin is stage]


def require_step(stage: RestructuringStage, step: RestructuringStep) -> RestructuringStage:
    target = TRANSITIONS.get((stage, step))
    if target is None:
        allowed = [s.value for s in allowed_steps(stage)]
        raise InvalidTransition(
            f"{step.value} is not allowed while the restructuring is {stage.value}; "
            f"allowed next: {', '.join(allowed) or 'nothing (the case is completed)'}.",
            stage=stage.value,
            step=step.value,
            allowedSteps=allowed,
        )
    return target


@dataclass(frozen=True)
class NewUnit:
    """An organisation the case forms (hợp nhất, chia tách): its id is fixed when the case
    opens; for a split, the source's children it takes."""

    id: str
    code: str
    name: str
    parent_id: str
    child_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HandoverRecord:
    """The hand-over record of one organisation's member-list book, signed by both sides."""

    organisation_id: str
    signed_on: date
    giver_signer: str
    receiver_signer: str
    member_count: int
    candidate_count: int = 0


@dataclass(frozen=True)
class Acceptance:
    """The receiving side's decision to receive [quyết định tiếp nhận]."""

    accepted_on: date
    signer: str
    decision_number: str | None = None


@dataclass(frozen=True)
class Move:
    organisation_id: str
    from_parent_id: str | None
    to_parent_id: str
    code: str | None = None  # its new code, when it changes


@dataclass(frozen=True)
class Cessation:
    organisation_id: str
    status: OrganisationStatus
    successor_ids: list[str]


@dataclass(frozen=True)
class Outcome:
    """What completion does to the tree, fixed at acceptance and applied from the effective
    date: new organisations first, then the moves, then the cessations."""

    moves: list[Move]
    cessations: list[Cessation]


@dataclass(frozen=True)
class RestructuringAuditEntry:
    step: RestructuringStep
    from_stage: RestructuringStage
    to_stage: RestructuringStage
    actor: str
    at: datetime
    note: str | None
    subject: str | None = None


@dataclass(frozen=True)
class RestructuringCampaign:
    """Many restructuring cases under one plan (the city's 2025 plan is one), launched by a
    committee over its tree."""

    id: str
    title: str
    organisation_id: str
    launched_at: datetime
    launched_by: str
    directive_number: str | None = None


def new_unit_id(case_id: str, index: int) -> str:
    return str(uuid.uuid5(_IDS, f"unit:{case_id}:{index}"))


def city_of(organisation: Organisation) -> str:
    return organisation.ancestor_ids[0] if organisation.ancestor_ids else organisation.id


@dataclass
class RestructuringCase:
    id: str
    kind: RestructuringKind
    source_ids: list[str]
    opened_at: datetime
    opened_by: str
    campaign_id: str | None = None
    receiving_id: str | None = None  # HAND_OVER, MERGE_INTO; END: who takes its records
    new_units: list[NewUnit] = field(default_factory=list)  # MERGE_NEW (one), SPLIT (several)
    new_codes: dict[str, str] = field(default_factory=dict)  # HAND_OVER: source → its new code
    stage: RestructuringStage = RestructuringStage.OPENED
    decision: Decision | None = None
    handovers: list[HandoverRecord] = field(default_factory=list)
    acceptance: Acceptance | None = None
    outcome: Outcome | None = None
    audit_trail: list[RestructuringAuditEntry] = field(default_factory=list)
    tree_applied: bool = False
    version: int = 1

    @property
    def allowed_steps(self) -> list[RestructuringStep]:
        return allowed_steps(self.stage)

    @property
    def receiving_ids(self) -> list[str]:
        """The receiving side: the organisation received into, or the new units' parents."""
        if self.receiving_id is not None:
            return [self.receiving_id]
        return list(dict.fromkeys(unit.parent_id for unit in self.new_units))

    @property
    def awaiting_handover(self) -> list[str]:
        recorded = {r.organisation_id for r in self.handovers}
        return [s for s in self.source_ids if s not in recorded]

    def _take(self, step: RestructuringStep, action: Action) -> RestructuringAuditEntry:
        target = require_step(self.stage, step)
        if step is RestructuringStep.RECORD_HANDOVER and not self.awaiting_handover:
            target = RestructuringStage.HANDED_OVER
        entry = RestructuringAuditEntry(
            step, self.stage, target, action.actor, action.at, action.note, action.subject
        )
        self.stage = target
        self.audit_trail.append(entry)
        self.version += 1
        return entry

    def issue_decision(self, decision: Decision, action: Action) -> RestructuringAuditEntry:
        require_step(self.stage, RestructuringStep.ISSUE_DECISION)
        if not decision.number.strip() or not decision.signer.strip():
            raise DomainError("A decision needs its number and signer.", field="decisionNumber")
        _not_in_future(decision.signed_on, action, "signedOn")
        _not_before(decision.effective_on, decision.signed_on, "effectiveOn", "the signature")
        self.decision = decision
        return self._take(RestructuringStep.ISSUE_DECISION, action)

    def record_handover(self, record: HandoverRecord, action: Action) -> RestructuringAuditEntry:
        require_step(self.stage, RestructuringStep.RECORD_HANDOVER)
        assert self.decision is not None
        if record.organisation_id not in self.source_ids:
            raise DomainError(
                "Hand-over records are signed for the organisations the case gives.",
                field="organisationId",
            )
        if record.organisation_id not in self.awaiting_handover:
            raise InvalidTransition(
                "This organisation's hand-over record is recorded already.",
                field="organisationId",
                stage=self.stage.value,
            )
        if not record.giver_signer.strip() or not record.receiver_signer.strip():
            raise DomainError("A hand-over record is signed by both sides.", field="giverSigner")
        if record.member_count < 0 or record.candidate_count < 0:
            raise DomainError("Counts cannot be negative.", field="memberCount")
        _not_in_future(record.signed_on, action, "signedOn")
        _not_before(record.signed_on, self.decision.signed_on, "signedOn", "the decision")
        self.handovers.append(record)
        return self._take(RestructuringStep.RECORD_HANDOVER, action)

    def accept(
        self, acceptance: Acceptance, outcome: Outcome, action: Action
    ) -> RestructuringAuditEntry:
        require_step(self.stage, RestructuringStep.ACCEPT)
        if not acceptance.signer.strip():
            raise DomainError("The acceptance names its signer.", field="signer")
        _not_in_future(acceptance.accepted_on, action, "acceptedOn")
        last_record = max(r.signed_on for r in self.handovers)
        _not_before(acceptance.accepted_on, last_record, "acceptedOn", "the hand-over record")
        self.acceptance = acceptance
        self.outcome = outcome
        return self._take(RestructuringStep.ACCEPT, action)


def _not_in_future(day: date, action: Action, name: str) -> None:
    if day > action.today:
        raise DomainError(f"{name} {day.isoformat()} is in the future.", field=name)


def _not_before(day: date, earlier: date, name: str, what: str) -> None:
    if day < earlier:
        raise DomainError(
            f"{name} {day.isoformat()} is before {what} ({earlier.isoformat()}).", field=name
        )
