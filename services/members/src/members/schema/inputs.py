# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""The inputs of the members subgraph's mutations, each turned into the domain's values."""

from datetime import date

import strawberry

from members import domain
from members.schema.enums import (
    Gender,
    Standing,
    TransferKind,
    TransferReason,
    WorkplaceRole,
)
from members.service.commands import AddCandidate, CorrectMember, RegisterMember

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

    def command(self) -> RegisterMember:
        return RegisterMember(
            card_number=self.card_number,
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            gender=self.gender,
            standing=self.standing,
            admitted_on=self.admitted_on,
            organisation_id=self.organisation_id,
            official_on=self.official_on,
            residence=residence(self.residence),
            workplace=workplace(self.workplace),
            admission_ceremony_on=self.admission_ceremony_on,
            citizen_id=self.citizen_id,
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

    def command(self) -> CorrectMember:
        return CorrectMember(
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            gender=self.gender,
            admitted_on=self.admitted_on,
            official_on=self.official_on,
            residence=residence(self.residence),
            workplace=workplace(self.workplace),
            citizen_id=self.citizen_id,
        )


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

    def command(self) -> AddCandidate:
        return AddCandidate(
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            gender=self.gender,
            organisation_id=self.organisation_id,
            on=self.on,
            residence=residence(self.residence),
            workplace=workplace(self.workplace),
        )
