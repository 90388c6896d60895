"""Transfers of party activity [chuyển sinh hoạt đảng] and their lifecycle. Standard library only.

NEEDS_DESTINATION → AWAITING_INTRODUCTION → INTRODUCED → RECEIVED, or CANCELLED before that.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from members.domain.calendar import IsHoliday, add_working_days
from members.domain.checklists import Checklist, require_month
from members.domain.errors import DomainError, InvalidTransition
from members.domain.organisations import (
    KnownOrganisation,
    regulation_on,
    require_internal_destination,
)

REPORT_WITHIN_WORKING_DAYS = 30
START_WITHIN_WORKING_DAYS = 60


class TransferKind(Enum):
    OFFICIAL = "OFFICIAL"
    TEMPORARY = "TEMPORARY"
    INTERNAL = "INTERNAL"


class TransferReason(Enum):
    CELL_DISSOLVED = "CELL_DISSOLVED"
    RELOCATION = "RELOCATION"
    WORKPLACE_CHANGE = "WORKPLACE_CHANGE"
    STUDY = "STUDY"
    OTHER = "OTHER"


class TransferState(Enum):
    NEEDS_DESTINATION = "NEEDS_DESTINATION"
    AWAITING_INTRODUCTION = "AWAITING_INTRODUCTION"
    INTRODUCED = "INTRODUCED"
    RECEIVED = "RECEIVED"
    CANCELLED = "CANCELLED"


OPEN_STATES = (
    TransferState.NEEDS_DESTINATION,
    TransferState.AWAITING_INTRODUCTION,
    TransferState.INTRODUCED,
)


class PersonKind(Enum):
    MEMBER = "MEMBER"
    CANDIDATE = "CANDIDATE"


@dataclass(frozen=True)
class ReceptionCorrection:
    """A reception date corrected by the receiving side: the date it had, the one it has,
    who, when (the day), why (see domain/reception_corrections.py)."""

    old_received_on: date
    new_received_on: date
    reason: str
    by: str
    on: date
    subject: str | None = None


@dataclass
class Transfer:
    id: str
    person_kind: PersonKind
    person_id: str
    person_name: str
    kind: TransferKind
    reason: TransferReason
    from_organisation_id: str
    state: TransferState
    requested_on: date
    ward_committee_id: str | None = None
    to_organisation_id: str | None = None
    destination_name: str | None = None
    case_id: str | None = None
    temporary_until: date | None = None
    letter_no: str | None = None
    issued_on: date | None = None
    report_by: date | None = None
    received_on: date | None = None
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    overdue_reason: str | None = None
    note: str | None = None
    checklist: Checklist = field(default_factory=Checklist)
    reception_corrections: list[ReceptionCorrection] = field(default_factory=list)
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def applied_as(self) -> str:
        """What a person moved by it keeps as applied, at most once: a dissolution's transfer
        its case (a person is received once per case: a transfer is replaced only when
        cancelled, before any reception), so that a dissolved cell's members moved alike are
        one write per receiving cell; any other its own id."""
        return f"case:{self.case_id}" if self.case_id is not None else self.id

    def again(self, on: date) -> "Transfer":
        """After a dissolution's transfer was cancelled: the person still needs a destination
        (a new transfer of the same case, NEEDS_DESTINATION); the case closes only when they
        are received somewhere."""
        return Transfer(
            id=f"{self.id}/{self.version}",
            person_kind=self.person_kind,
            person_id=self.person_id,
            person_name=self.person_name,
            kind=self.kind,
            reason=self.reason,
            from_organisation_id=self.from_organisation_id,
            state=TransferState.NEEDS_DESTINATION,
            requested_on=on,
            ward_committee_id=self.ward_committee_id,
            case_id=self.case_id,
            note=f"Instead of {self.id}, cancelled: {self.cancel_reason}",
        )

    @property
    def regulation(self) -> str:
        """The charter regulation whose transfer rules it follows: the one in force on the day
        it was requested (or decided)."""
        return regulation_on(self.requested_on)

    @property
    def report_by_source(self) -> str | None:
        """Where the report-by date comes from, once there is one."""
        if self.report_by is None:
            return None
        return (
            f"{self.regulation}: the letter is presented to the receiving cell within "
            f"{REPORT_WITHIN_WORKING_DAYS} working days of the introduction"
        )

    def is_overdue(self, today: date) -> bool:
        """Not received by its report-by date (introduced and still waiting past it)."""
        return (
            self.state is TransferState.INTRODUCED
            and self.report_by is not None
            and today > self.report_by
        )

    def is_away(self, today: date) -> bool:
        """A TEMPORARY stay under way: received by the host and its end date not passed. The
        member stays on the home cell's list throughout, and is back in full after `until`."""
        return (
            self.kind is TransferKind.TEMPORARY
            and self.state is TransferState.RECEIVED
            and self.received_on is not None
            and self.received_on <= today
            and (self.temporary_until is None or today <= self.temporary_until)
        )

    def introduce_by(self, is_holiday: IsHoliday) -> date | None:
        """An official move's procedure starts within 60 working days of the decision
        (by the regulation in force, `regulation`); a temporary stay has no such limit."""
        if self.kind is TransferKind.TEMPORARY:
            return None
        return add_working_days(self.requested_on, START_WITHIN_WORKING_DAYS, is_holiday)

    @property
    def received_late(self) -> bool:
        return (
            self.received_on is not None
            and self.report_by is not None
            and self.received_on > self.report_by
        )

    def _require(self, *states: TransferState, to_do: str) -> None:
        if self.state not in states:
            raise InvalidTransition(
                f"Transfer {self.id} is {self.state.value}: cannot {to_do}.",
                transferId=self.id,
                state=self.state.value,
            )

    def with_destination(self, destination: KnownOrganisation) -> "Transfer":
        self._require(
            TransferState.NEEDS_DESTINATION,
            TransferState.AWAITING_INTRODUCTION,
            to_do="change its destination",
        )
        if self.kind is TransferKind.INTERNAL:
            assert self.ward_committee_id is not None
            require_internal_destination(destination, self.ward_committee_id, self.requested_on)
        else:
            destination.require_active_cell()
        if destination.id == self.from_organisation_id:
            raise DomainError(
                "The destination is the cell the person already belongs to.",
                organisationId=destination.id,
            )
        return replace(
            self,
            to_organisation_id=destination.id,
            destination_name=destination.name,
            state=TransferState.AWAITING_INTRODUCTION,
            version=self.version + 1,
        )

    def introduced(
        self,
        letter_no: str,
        issued_on: date,
        is_holiday: IsHoliday,
        checklist: Checklist | None = None,
    ) -> "Transfer":
        if self.state is TransferState.NEEDS_DESTINATION:
            raise InvalidTransition(
                f"Transfer {self.id} has no destination yet: set it before the introduction.",
                transferId=self.id,
                state=self.state.value,
            )
        self._require(TransferState.AWAITING_INTRODUCTION, to_do="issue an introduction")
        letter_no = letter_no.strip()
        if not letter_no:
            raise DomainError("An introduction letter needs its number.", field="letterNo")
        if issued_on < self.requested_on:
            raise DomainError(
                "The introduction letter cannot predate the transfer.",
                field="issuedOn",
                requestedOn=self.requested_on.isoformat(),
            )
        listed = checklist or self.checklist
        require_month(listed.dues_paid_through)
        return replace(
            self,
            letter_no=letter_no,
            issued_on=issued_on,
            report_by=add_working_days(issued_on, REPORT_WITHIN_WORKING_DAYS, is_holiday),
            checklist=replace(listed, introduction_letter=True),
            state=TransferState.INTRODUCED,
            version=self.version + 1,
        )

    def with_checklist(self, checklist: Checklist) -> "Transfer":
        self._require(*OPEN_STATES, to_do="change what travels with the member")
        require_month(checklist.dues_paid_through)
        return replace(self, checklist=checklist, version=self.version + 1)

    def received(self, received_on: date) -> "Transfer":
        self._require(TransferState.INTRODUCED, to_do="be received")
        assert self.issued_on is not None
        if received_on < self.issued_on:
            raise DomainError(
                "A transfer is received after its introduction letter was issued.",
                field="receivedOn",
                issuedOn=self.issued_on.isoformat(),
            )
        return replace(
            self, received_on=received_on, state=TransferState.RECEIVED, version=self.version + 1
        )

    def cancelled(self, on: date, reason: str) -> "Transfer":
        self._require(*OPEN_STATES, to_do="be cancelled")
        if not reason.strip():
            raise DomainError("Say why the transfer is cancelled.", field="reason")
        return replace(
            self,
            cancelled_on=on,
            cancel_reason=reason.strip(),
            state=TransferState.CANCELLED,
            version=self.version + 1,
        )

    def with_overdue_reason(self, reason: str, today: date) -> "Transfer":
        if not (self.is_overdue(today) or self.received_late):
            raise InvalidTransition(
                f"Transfer {self.id} is not overdue: there is no delay to explain.",
                transferId=self.id,
                reportBy=self.report_by.isoformat() if self.report_by else None,
            )
        if not reason.strip():
            raise DomainError("Record the reason for the delay.", field="reason")
        return replace(self, overdue_reason=reason.strip(), version=self.version + 1)
