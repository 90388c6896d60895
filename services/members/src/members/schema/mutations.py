# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The members subgraph's one-by-one mutations: thin over the use cases."""

from datetime import date

import strawberry

from members import domain
from members.authorisation import Operation
from members.schema.access import Cell
from members.schema.candidates import AdmissionCandidate
from members.schema.context import (
    Context,
)
from members.schema.enums import (
    CandidateStage,
)
from members.schema.inputs import (
    AddCandidateInput,
    AwarenessCertificateInput,
    IntroducerInput,
    RegisterMemberInput,
    RequestTransferInput,
    TransferChecklistInput,
    UpdateMemberInput,
)
from members.schema.members import (
    PartyMember,
)
from members.schema.transfers import Transfer
from members.service.commands import AdmitCandidate


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


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Put a party member on the list of their cell.")
    async def register_member(self, info: Context, input: RegisterMemberInput) -> PartyMember:
        await info.context.access.require(Operation.CHANGE_PERSON, Cell(input.organisation_id))
        member = await info.context.use_cases.members.register_member(input.command())
        return PartyMember.of(member)

    @strawberry.mutation(description="Correct a member's details, residence or workplace.")
    async def update_member(
        self, info: Context, id: strawberry.ID, input: UpdateMemberInput
    ) -> PartyMember:
        member = await member_to_change(info, id)
        changed = await info.context.use_cases.members.update_member(member, input.command())
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
        candidate = await info.context.use_cases.candidates.add_candidate(input.command())
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
        admission = AdmitCandidate(
            card_number,
            admitted_on,
            ceremony_on=admission_ceremony_on,
            introducers=[i.to_domain() for i in introducers or []],
            certificate=awareness_certificate.to_domain() if awareness_certificate else None,
        )
        admitted, member = await info.context.use_cases.candidates.admit(candidate, admission)
        return Admission(candidate=AdmissionCandidate.of(admitted), member=PartyMember.of(member))
