# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""Queries and mutations of the members subgraph: thin over the use cases."""

from collections.abc import Collection
from datetime import date
from typing import Annotated

import strawberry
from kit.audit import access_log_field

from members import domain
from members.authorisation import Cell, Operation
from members.schema.candidates import AdmissionCandidate
from members.schema.context import (
    Context,
)
from members.schema.enums import (
    CandidateStage,
    Gender,
    Standing,
    TransferKind,
    TransferReason,
    TransferState,
    WorkplaceRole,
)
from members.schema.members import (
    AWAY,
    DEFAULT_PAGE,
    PartyMember,
    PartyMemberConnection,
    member_page,
    scope_of_list,
)
from members.schema.transfers import Transfer

CITIZEN_ID = (
    "Citizen ID [số định danh cá nhân, on the CCCD]: exactly 12 digits; personal data, never "
    "in events or logs. A member's is corrected, not removed, by updateMember."
)


@strawberry.input
class ResidenceInput:
    address: str
    residential_group: str

    def to_domain(self) -> domain.Residence:
        return domain.Residence(self.address.strip(), self.residential_group.strip())


@strawberry.input
class WorkplaceInput:
    name: str
    role: WorkplaceRole  # type: ignore[valid-type]

    def to_domain(self) -> domain.Workplace:
        return domain.Workplace(self.name.strip(), self.role)


def residence(given: ResidenceInput | None) -> domain.Residence | None:
    return given.to_domain() if given else None


def workplace(given: WorkplaceInput | None) -> domain.Workplace | None:
    return given.to_domain() if given else None


@strawberry.input
class RegisterMemberInput:
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    standing: Standing  # type: ignore[valid-type]
    admitted_on: date
    organisation_id: strawberry.ID
    official_on: date | None = None
    residence: ResidenceInput | None = None
    workplace: WorkplaceInput | None = None
    citizen_id: str | None = strawberry.field(default=None, description=CITIZEN_ID)
    admission_ceremony_on: date | None = strawberry.field(
        default=None, description="The admission ceremony [lễ kết nạp], when held"
    )


@strawberry.input(description="An official member introducing the candidate [người giới thiệu]")
class IntroducerInput:
    member_id: strawberry.ID
    worked_together_since: date = strawberry.field(
        description="Since when they have worked with the candidate: a year or more by the "
        "admission decision"
    )

    def to_domain(self) -> domain.Introducer:
        return domain.Introducer(str(self.member_id), self.worked_together_since)


@strawberry.input(description="The awareness-class certificate [giấy chứng nhận]")
class AwarenessCertificateInput:
    number: str
    issued_on: date

    def to_domain(self) -> domain.AwarenessCertificate:
        return domain.AwarenessCertificate(self.number.strip(), self.issued_on)


@strawberry.input(description="Only the fields given change; the cell changes by a transfer")
class UpdateMemberInput:
    full_name: str | None = None
    date_of_birth: date | None = None
    gender: Gender | None = None  # type: ignore[valid-type]
    admitted_on: date | None = None
    official_on: date | None = None
    residence: ResidenceInput | None = None
    workplace: WorkplaceInput | None = None
    citizen_id: str | None = strawberry.field(default=None, description=CITIZEN_ID)


@strawberry.input
class RequestTransferInput:
    member_id: strawberry.ID
    kind: TransferKind  # type: ignore[valid-type]
    reason: TransferReason  # type: ignore[valid-type]
    requested_on: date
    to_organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The receiving cell, when the members service knows it"
    )
    destination_name: str | None = strawberry.field(
        default=None,
        description="The receiving organisation outside the district (OFFICIAL or TEMPORARY)",
    )
    until: date | None = strawberry.field(
        default=None,
        description="End of a TEMPORARY transfer: 3 months to under 1 year later (reason "
        "STUDY: up to 2 years); the member is away until then, and back in full after",
    )
    note: str | None = None


@strawberry.input(description="What travels with the member (RULES.md)")
class TransferChecklistInput:
    member_record_sheet: bool = False
    sealed_member_file: bool = False
    party_card_or_admission_file: bool = False
    last_self_review: bool = False
    dues_paid_through: str | None = strawberry.field(
        default=None, description="YYYY-MM [đã đóng đảng phí đến tháng]"
    )
    introduction_letter: bool = False

    def to_domain(self) -> domain.Checklist:
        return domain.Checklist(
            introduction_letter=self.introduction_letter,
            member_record_sheet=self.member_record_sheet,
            sealed_member_file=self.sealed_member_file,
            party_card_or_admission_file=self.party_card_or_admission_file,
            last_self_review=self.last_self_review,
            dues_paid_through=self.dues_paid_through,
        )


@strawberry.input
class AddCandidateInput:
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    organisation_id: strawberry.ID
    on: date
    residence: ResidenceInput | None = None
    workplace: WorkplaceInput | None = None


@strawberry.type
class Admission:
    candidate: AdmissionCandidate
    member: PartyMember


# A change reads its subject once, for the check, and hands the use case what was checked:
# the use case's version-guarded write is refused (CONFLICT) if the subject changed since.


async def member_to_change(info: Context, member_id: str) -> domain.PartyMember:
    return await info.context.access.fetch(
        Operation.CHANGE_PERSON, lambda: info.context.use_cases.members.member(member_id)
    )


async def transfer_to_run(info: Context, transfer_id: str) -> domain.Transfer:
    """The ward committee of the cell the person leaves runs the transfer."""
    return await info.context.access.fetch(
        Operation.RUN_TRANSFER, lambda: info.context.use_cases.transfers.transfer(transfer_id)
    )


async def candidate_to_change(info: Context, candidate_id: str) -> domain.AdmissionCandidate:
    return await info.context.access.fetch(
        Operation.CHANGE_PERSON, lambda: info.context.use_cases.candidates.candidate(candidate_id)
    )


async def audited_organisations(info: Context) -> Collection[str] | None:
    """The organisations whose persons' reads the caller audits (None: the whole tree)."""
    access = info.context.access
    access.require_some_right(Operation.READ_ACCESS_LOG)
    return (await access.scope(Operation.READ_ACCESS_LOG)).organisation_ids


@strawberry.type
class Query:
    @strawberry.field
    async def member(self, info: Context, id: strawberry.ID) -> PartyMember:
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.use_cases.members.member(id)
        )
        return PartyMember.of(member)

    @strawberry.field
    async def member_by_card(self, info: Context, card_number: str) -> PartyMember:
        member = await info.context.access.fetch(
            Operation.READ_PERSON,
            lambda: info.context.use_cases.members.member_by_card(card_number),
        )
        return PartyMember.of(member)

    @strawberry.field(
        description="Members by cell and standing; `search` matches name or card number, "
        "diacritics and case ignored"
    )
    async def members(
        self,
        info: Context,
        organisation_id: strawberry.ID | None = None,
        standing: Standing | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        away: Annotated[bool | None, strawberry.argument(description=AWAY)] = None,
    ) -> PartyMemberConnection:
        return PartyMemberConnection.of(
            await member_page(info, organisation_id, standing, search, first, after, away),
            PartyMember.of,
        )

    @strawberry.field
    async def transfer(self, info: Context, id: strawberry.ID) -> Transfer:
        transfer = await info.context.access.fetch(
            Operation.READ_TRANSFER, lambda: info.context.use_cases.transfers.transfer(id)
        )
        return Transfer.of(transfer)

    @strawberry.field(description="Transfers by state, lateness, and cell (leaving or receiving)")
    async def transfers(
        self,
        info: Context,
        state: TransferState | None = None,  # type: ignore[valid-type]
        overdue: bool | None = None,
        organisation_id: strawberry.ID | None = None,
        overdue_reason_recorded: Annotated[
            bool | None,
            strawberry.argument(
                description="false: those without a recorded reason for the delay (with "
                "overdue: true, the late transfers that still need one); true: those with one"
            ),
        ] = None,
    ) -> list[Transfer]:
        scope = await scope_of_list(info, Operation.READ_TRANSFER, organisation_id)
        found = await info.context.use_cases.transfers.find_transfers(
            state=state,
            overdue=overdue,
            reason_recorded=overdue_reason_recorded,
            organisation_id=organisation_id,
            scope=scope,
        )
        return [Transfer.of(t) for t in found]

    @strawberry.field(
        description="Probationary members [đảng viên dự bị] of an organisation's whole subtree "
        "(a ward: all its cells), or of the caller's scope, in name order — kept to those whose "
        "admission ceremony is late, or whose recognition as official is overdue, when asked"
    )
    async def probationary_members(
        self,
        info: Context,
        organisation_id: strawberry.ID | None = None,
        ceremony_late: bool | None = None,
        recognition_overdue: bool | None = None,
    ) -> list[PartyMember]:
        access, use_cases = info.context.access, info.context.use_cases
        if organisation_id is None:
            access.require_some_right(Operation.READ_PERSON)
            scope = await access.scope(Operation.READ_PERSON)
        else:
            await access.require(Operation.READ_PERSON, Cell(organisation_id))
            scope = await use_cases.members.subtree_scope(organisation_id)
        found = await use_cases.members.probationers_due(scope, ceremony_late, recognition_overdue)
        return [PartyMember.of(member) for member in found]

    @strawberry.field
    async def candidate(self, info: Context, id: strawberry.ID) -> AdmissionCandidate:
        candidate = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.use_cases.candidates.candidate(id)
        )
        return AdmissionCandidate.of(candidate)

    @strawberry.field(description="Candidates of a cell, or by name (diacritics ignored)")
    async def candidates(
        self,
        info: Context,
        organisation_id: strawberry.ID | None = None,
        search: str | None = None,
    ) -> list[AdmissionCandidate]:
        scope = await scope_of_list(info, Operation.READ_PERSON, organisation_id)
        found = await info.context.use_cases.candidates.find_candidates(
            organisation_id, search, scope
        )
        return [AdmissionCandidate.of(c) for c in found]

    member_data_access_log = access_log_field(
        "Who read which personal fields of whom, newest first (auditors; a scoped auditor sees "
        "the persons of their subtrees) [nhật ký truy cập dữ liệu cá nhân]",
        within=audited_organisations,
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Put a party member on the list of their cell.")
    async def register_member(self, info: Context, input: RegisterMemberInput) -> PartyMember:
        await info.context.access.require(Operation.CHANGE_PERSON, Cell(input.organisation_id))
        member = await info.context.use_cases.members.register_member(
            card_number=input.card_number,
            full_name=input.full_name,
            date_of_birth=input.date_of_birth,
            gender=input.gender,
            standing=input.standing,
            admitted_on=input.admitted_on,
            official_on=input.official_on,
            organisation_id=input.organisation_id,
            residence=residence(input.residence),
            workplace=workplace(input.workplace),
            admission_ceremony_on=input.admission_ceremony_on,
            citizen_id=input.citizen_id,
        )
        return PartyMember.of(member)

    @strawberry.mutation(description="Correct a member's details, residence or workplace.")
    async def update_member(
        self, info: Context, id: strawberry.ID, input: UpdateMemberInput
    ) -> PartyMember:
        member = await member_to_change(info, id)
        changed = await info.context.use_cases.members.update_member(
            member,
            full_name=input.full_name,
            date_of_birth=input.date_of_birth,
            gender=input.gender,
            admitted_on=input.admitted_on,
            official_on=input.official_on,
            residence=residence(input.residence),
            workplace=workplace(input.workplace),
            citizen_id=input.citizen_id,
        )
        return PartyMember.of(changed)

    @strawberry.mutation(description="Recognise a probationary member as OFFICIAL after 12 months.")
    async def recognize_official(
        self, info: Context, member_id: strawberry.ID, official_on: date
    ) -> PartyMember:
        member = await member_to_change(info, member_id)
        return PartyMember.of(
            await info.context.use_cases.members.recognize_official(member, official_on)
        )

    @strawberry.mutation(
        description="Record a probationary member's admission ceremony [lễ kết nạp]: the 12 "
        "months of probation count from it."
    )
    async def record_admission_ceremony(
        self, info: Context, member_id: strawberry.ID, held_on: date
    ) -> PartyMember:
        member = await member_to_change(info, member_id)
        return PartyMember.of(
            await info.context.use_cases.members.record_admission_ceremony(member, held_on)
        )

    @strawberry.mutation(description="Open an OFFICIAL, TEMPORARY or INTERNAL transfer.")
    async def request_transfer(self, info: Context, input: RequestTransferInput) -> Transfer:
        member = await info.context.access.fetch(
            Operation.RUN_TRANSFER, lambda: info.context.use_cases.members.member(input.member_id)
        )
        transfer = await info.context.use_cases.transfers.request_transfer(
            member=member,
            kind=input.kind,
            reason=input.reason,
            requested_on=input.requested_on,
            to_organisation_id=input.to_organisation_id,
            destination_name=input.destination_name,
            until=input.until,
            note=input.note,
        )
        return Transfer.of(transfer)

    @strawberry.mutation(description="Settle the receiving cell of a transfer.")
    async def set_transfer_destination(
        self, info: Context, id: strawberry.ID, organisation_id: strawberry.ID
    ) -> Transfer:
        transfer = await transfer_to_run(info, id)
        return Transfer.of(
            await info.context.use_cases.transfers.set_destination(transfer, organisation_id)
        )

    @strawberry.mutation(
        description="Record the introduction letter [giấy giới thiệu]; sets reportBy."
    )
    async def issue_introduction(
        self,
        info: Context,
        id: strawberry.ID,
        letter_no: str,
        issued_on: date,
        checklist: TransferChecklistInput | None = None,
    ) -> Transfer:
        transfer = await transfer_to_run(info, id)
        introduced = await info.context.use_cases.transfers.issue_introduction(
            transfer, letter_no, issued_on, checklist.to_domain() if checklist else None
        )
        return Transfer.of(introduced)

    @strawberry.mutation(description="Record what travels with the member.")
    async def record_transfer_checklist(
        self, info: Context, id: strawberry.ID, checklist: TransferChecklistInput
    ) -> Transfer:
        transfer = await transfer_to_run(info, id)
        return Transfer.of(
            await info.context.use_cases.transfers.record_checklist(transfer, checklist.to_domain())
        )

    @strawberry.mutation(description="The receiving cell records the person on its list.")
    async def receive_transfer(
        self, info: Context, id: strawberry.ID, received_on: date
    ) -> Transfer:
        transfer = await info.context.access.fetch(
            Operation.RECEIVE_TRANSFER, lambda: info.context.use_cases.transfers.transfer(id)
        )
        return Transfer.of(await info.context.use_cases.transfers.receive(transfer, received_on))

    @strawberry.mutation(
        description="The receiving side corrects the day a transfer was received, with a "
        "reason: CELL_SECRETARY or WARD_COMMITTEE covering the receiving cell, as for "
        "receiveTransfer. The old date stays in receptionCorrections. INVALID_TRANSITION when "
        "not received; BAD_USER_INPUT without a reason, before the introduction or in the future."
    )
    async def correct_reception(
        self, info: Context, id: strawberry.ID, received_on: date, reason: str
    ) -> Transfer:
        transfer = await info.context.access.fetch(
            Operation.RECEIVE_TRANSFER, lambda: info.context.use_cases.transfers.transfer(id)
        )
        corrected = await info.context.use_cases.transfers.correct_reception(
            transfer, received_on, reason, info.context.actor, info.context.principal.subject
        )
        return Transfer.of(corrected)

    @strawberry.mutation(description="Cancel a transfer not yet received.")
    async def cancel_transfer(self, info: Context, id: strawberry.ID, reason: str) -> Transfer:
        transfer = await transfer_to_run(info, id)
        return Transfer.of(await info.context.use_cases.transfers.cancel(transfer, reason))

    @strawberry.mutation(description="Record why an overdue transfer was not received in time.")
    async def record_overdue_reason(
        self, info: Context, id: strawberry.ID, reason: str
    ) -> Transfer:
        transfer = await transfer_to_run(info, id)
        return Transfer.of(
            await info.context.use_cases.transfers.record_overdue_reason(transfer, reason)
        )

    @strawberry.mutation(description="Put a person in a cell's admission source.")
    async def add_candidate(self, info: Context, input: AddCandidateInput) -> AdmissionCandidate:
        await info.context.access.require(Operation.CHANGE_PERSON, Cell(input.organisation_id))
        candidate = await info.context.use_cases.candidates.add_candidate(
            full_name=input.full_name,
            date_of_birth=input.date_of_birth,
            gender=input.gender,
            organisation_id=input.organisation_id,
            on=input.on,
            residence=residence(input.residence),
            workplace=workplace(input.workplace),
        )
        return AdmissionCandidate.of(candidate)

    @strawberry.mutation(description="Move a candidate to the next stage, or withdraw them.")
    async def advance_candidate(
        self,
        info: Context,
        id: strawberry.ID,
        stage: CandidateStage,  # type: ignore[valid-type]
        on: date,
        note: str | None = None,
    ) -> AdmissionCandidate:
        candidate = await candidate_to_change(info, id)
        return AdmissionCandidate.of(
            await info.context.use_cases.candidates.advance(candidate, stage, on, note)
        )

    @strawberry.mutation(
        description="Assign an OFFICIAL member who works alongside the candidate [cùng công "
        "tác] — of their cell or of another cell of the same grassroots party organisation — "
        "to follow and help them. CELL_SECRETARY or WARD_COMMITTEE over the candidate's cell."
    )
    async def assign_mentor(
        self, info: Context, candidate_id: strawberry.ID, member_id: strawberry.ID
    ) -> AdmissionCandidate:
        use_cases = info.context.use_cases
        candidate = await info.context.access.fetch(
            Operation.ASSIGN_MENTOR, lambda: use_cases.candidates.candidate(candidate_id)
        )
        # a co-worker of another cell, maybe outside the caller's grant: the use case checks
        # they work in the candidate's grassroots organisation and names no one it refuses
        mentor = await use_cases.members.member(member_id)
        return AdmissionCandidate.of(await use_cases.candidates.assign_mentor(candidate, mentor))

    @strawberry.mutation(
        description="Admit a sponsored candidate as a PROBATIONARY member: `admittedOn` is the "
        "admission decision's date; the ceremony when already held, the introducers and the "
        "awareness-class certificate are recorded with it."
    )
    async def admit_candidate(
        self,
        info: Context,
        id: strawberry.ID,
        card_number: str,
        admitted_on: date,
        admission_ceremony_on: date | None = None,
        introducers: list[IntroducerInput] | None = None,
        awareness_certificate: AwarenessCertificateInput | None = None,
    ) -> Admission:
        candidate = await candidate_to_change(info, id)
        # introducers may be of another cell of the ward, outside the caller's grant: the use
        # case checks they work alongside the candidate, as for mentors
        admitted, member = await info.context.use_cases.candidates.admit(
            candidate,
            card_number,
            admitted_on,
            ceremony_on=admission_ceremony_on,
            introducers=[i.to_domain() for i in introducers or []],
            certificate=awareness_certificate.to_domain() if awareness_certificate else None,
        )
        return Admission(candidate=AdmissionCandidate.of(admitted), member=PartyMember.of(member))
