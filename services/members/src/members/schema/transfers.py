# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""A transfer of party activity, what travels with it and its corrected reception dates."""

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from kit.paper_files import PaperFile

from members import domain
from members.authorisation import Operation
from members.schema.candidates import AdmissionCandidate
from members.schema.context import (
    Context,
)
from members.schema.enums import PersonKind, TransferKind, TransferReason, TransferState
from members.schema.members import OrganisationRef, PartyMember

if TYPE_CHECKING:
    from members.schema.entities import DissolutionCase

DissolutionCaseRef = Annotated["DissolutionCase", strawberry.lazy("members.schema.entities")]


@strawberry.type(description="What travels with the member [hồ sơ chuyển sinh hoạt đảng]")
class TransferChecklist:
    introduction_letter: bool = strawberry.field(description="Giấy giới thiệu")
    member_record_sheet: bool = strawberry.field(description="Phiếu đảng viên")
    sealed_member_file: bool = strawberry.field(description="Hồ sơ đảng viên, sealed")
    party_card_or_admission_file: bool = strawberry.field(
        description="Party card, or the admission file for a probationary member"
    )
    last_self_review: bool = strawberry.field(
        description="The last self-review with the committee's comments"
    )
    dues_paid_through: str | None = strawberry.field(
        description="Party dues paid through month YYYY-MM [đã đóng đảng phí đến tháng]"
    )
    missing: list[str]
    complete: bool

    @classmethod
    def of(cls, checklist: domain.Checklist) -> "TransferChecklist":
        missing = checklist.missing()
        return cls(**vars(checklist), missing=missing, complete=not missing)


@strawberry.type(description="A reception date corrected by the receiving side")
class ReceptionCorrection:
    old_received_on: date
    new_received_on: date
    reason: str
    by: str = strawberry.field(description="Who corrected it: their display name")
    subject: str | None = strawberry.field(description="Who corrected it: their token subject")
    on: date = strawberry.field(description="The day it was corrected")

    @classmethod
    def of(cls, c: domain.ReceptionCorrection) -> "ReceptionCorrection":
        return cls(
            old_received_on=c.old_received_on,
            new_received_on=c.new_received_on,
            reason=c.reason,
            by=c.by,
            subject=c.subject,
            on=c.on,
        )


@strawberry.federation.type(
    keys=["id"], description="A transfer of party activity [chuyển sinh hoạt đảng]"
)
class Transfer:
    id: strawberry.ID
    person_kind: PersonKind  # type: ignore[valid-type]
    person_name: str
    kind: TransferKind  # type: ignore[valid-type]
    reason: TransferReason  # type: ignore[valid-type]
    state: TransferState  # type: ignore[valid-type]
    destination_name: str | None = strawberry.field(
        description="The receiving cell's name, or the organisation outside the district"
    )
    requested_on: date
    temporary_until: date | None
    letter_no: str | None = strawberry.field(description="Introduction letter number")
    issued_on: date | None
    report_by: date | None = strawberry.field(
        description="30 working days after the letter (weekends and public holidays excluded)"
    )
    received_on: date | None
    received_late: bool
    cancelled_on: date | None
    cancel_reason: str | None
    overdue_reason: str | None
    note: str | None
    checklist: TransferChecklist
    domain_transfer: strawberry.Private[domain.Transfer]

    @strawberry.field(description="Corrections of receivedOn, oldest first")
    def reception_corrections(self) -> list[ReceptionCorrection]:
        return [ReceptionCorrection.of(c) for c in self.domain_transfer.reception_corrections]

    @strawberry.field(name="from", description="The cell the person leaves")
    def from_(self) -> OrganisationRef:
        from members.schema.entities import Organisation  # it builds on this module's types

        return Organisation(id=strawberry.ID(self.domain_transfer.from_organisation_id))

    @strawberry.field(description="The receiving cell, when it is in the district")
    def to(self) -> OrganisationRef | None:
        from members.schema.entities import organisation  # it builds on this module's types

        return organisation(self.domain_transfer.to_organisation_id)

    @strawberry.field(description="The member transferred (null for a candidate's re-homing)")
    async def member(self, info: Context) -> PartyMember | None:
        person = self.domain_transfer.person_id
        if self.domain_transfer.person_kind is not domain.PersonKind.MEMBER:
            return None
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.member_loader.load(person)
        )
        return PartyMember.of(member)

    @strawberry.field(description="The candidate re-homed (null for a member's transfer)")
    async def candidate(self, info: Context) -> AdmissionCandidate | None:
        person = self.domain_transfer.person_id
        if self.domain_transfer.person_kind is not domain.PersonKind.CANDIDATE:
            return None
        found = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.candidate_loader.load(person)
        )
        return AdmissionCandidate.of(found)

    @strawberry.field(
        description="The introduction letter [giấy giới thiệu sinh hoạt đảng] as a PDF, once "
        "issued (null before): read as the person's record is, and logged as personal data"
    )
    async def introduction_letter(self, info: Context) -> PaperFile | None:
        transfer = self.domain_transfer
        if transfer.letter_no is None:
            return None
        access, person_id = info.context.access, transfer.person_id
        person: domain.PartyMember | domain.AdmissionCandidate
        if transfer.person_kind is domain.PersonKind.MEMBER:
            members = info.context.member_loader
            person = await access.fetch(Operation.READ_PERSON, lambda: members.load(person_id))
        else:
            candidates = info.context.candidate_loader
            person = await access.fetch(Operation.READ_PERSON, lambda: candidates.load(person_id))
        paper = await info.context.use_cases.papers.introduction_letter(transfer, person)
        return PaperFile.of(paper.filename, paper.content_type, paper.content)

    @strawberry.field(description="The dissolution case that caused it, if any")
    def dissolution_case(self) -> DissolutionCaseRef | None:
        from members.schema.entities import DissolutionCase  # it builds on this module's types

        case_id = self.domain_transfer.case_id
        return DissolutionCase(id=strawberry.ID(case_id)) if case_id else None

    @strawberry.field(description="Where reportBy comes from: the regulation and its rule")
    def report_by_source(self) -> str | None:
        return self.domain_transfer.report_by_source

    @strawberry.field(
        description="The regulation implementing the Party Charter whose transfer rules it "
        "follows: the one in force on the day it was requested or decided — 29-QĐ/TW from "
        "25/7/2016, 24-QĐ/TW from 30/7/2021, 294-QĐ/TW from 01/7/2025"
    )
    def regulation(self) -> str:
        return self.domain_transfer.regulation

    @strawberry.field(
        description="60 working days after the decision or request: the procedure starts by "
        "then (by the regulation in force); none for a TEMPORARY transfer"
    )
    def introduce_by(self, info: Context) -> date | None:
        return self.domain_transfer.introduce_by(info.context.use_cases.transfers.is_holiday)

    @strawberry.field(
        description="A TEMPORARY stay under way today: received by the host and temporaryUntil "
        "not passed; the member stays on the home cell's list, ranked by it"
    )
    def away(self, info: Context) -> bool:
        return self.domain_transfer.is_away(info.context.use_cases.transfers.today())

    @strawberry.field(description="Introduced and not received by reportBy")
    def overdue(self, info: Context) -> bool:
        return self.domain_transfer.is_overdue(info.context.use_cases.transfers.today())

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "Transfer":
        transfer = await info.context.access.fetch(
            Operation.READ_TRANSFER, lambda: info.context.transfer_loader.load(id)
        )
        return cls.of(transfer)

    @classmethod
    def of(cls, transfer: domain.Transfer) -> "Transfer":
        return cls(
            id=strawberry.ID(transfer.id),
            person_kind=transfer.person_kind,
            person_name=transfer.person_name,
            kind=transfer.kind,
            reason=transfer.reason,
            state=transfer.state,
            destination_name=transfer.destination_name,
            requested_on=transfer.requested_on,
            temporary_until=transfer.temporary_until,
            letter_no=transfer.letter_no,
            issued_on=transfer.issued_on,
            report_by=transfer.report_by,
            received_on=transfer.received_on,
            received_late=transfer.received_late,
            cancelled_on=transfer.cancelled_on,
            cancel_reason=transfer.cancel_reason,
            overdue_reason=transfer.overdue_reason,
            note=transfer.note,
            checklist=TransferChecklist.of(transfer.checklist),
            domain_transfer=transfer,
        )
