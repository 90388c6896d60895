"""Admission candidates [đối tượng kết nạp] and their mentors. Standard library only.

SOURCE → AWARENESS_TRAINED → SPONSORED → ADMITTED, or WITHDRAWN before admission.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from members.domain.admission import INTRODUCER_RULE
from members.domain.calendar import whole_months_between
from members.domain.errors import Conflict, DomainError, InvalidTransition
from members.domain.members import Gender, PartyMember, Residence, Standing, Workplace
from members.domain.restructuring import OrganisationChange, followed, has_followed

YOUNGEST_MONTHS, OLDEST_MONTHS = 18 * 12, 60 * 12
AGE_RULE = "Điều lệ Đảng art. 1; 294-QĐ/TW: 18 to 60 years old, counted in months"


class CandidateStage(Enum):
    SOURCE = "SOURCE"
    AWARENESS_TRAINED = "AWARENESS_TRAINED"
    SPONSORED = "SPONSORED"
    ADMITTED = "ADMITTED"
    WITHDRAWN = "WITHDRAWN"


NEXT_STAGE = {
    CandidateStage.SOURCE: CandidateStage.AWARENESS_TRAINED,
    CandidateStage.AWARENESS_TRAINED: CandidateStage.SPONSORED,
    CandidateStage.SPONSORED: CandidateStage.ADMITTED,
}


@dataclass(frozen=True)
class StageChange:
    stage: CandidateStage
    on: date
    note: str | None = None


@dataclass
class AdmissionCandidate:
    id: str
    full_name: str
    date_of_birth: date
    gender: Gender
    organisation_id: str
    stage: CandidateStage
    residence: Residence | None = None
    workplace: Workplace | None = None
    mentor_ids: list[str] = field(default_factory=list)
    history: list[StageChange] = field(default_factory=list)
    member_id: str | None = None
    restructurings: tuple[OrganisationChange, ...] = ()  # in the order they took effect
    version: int = 1

    @property
    def admitted_on(self) -> date | None:
        """The admission decision's date, once admitted."""
        admitted = [c.on for c in self.history if c.stage is CandidateStage.ADMITTED]
        return admitted[-1] if admitted else None

    @classmethod
    def enter_source(
        cls,
        *,
        id: str,
        full_name: str,
        date_of_birth: date,
        gender: Gender,
        organisation_id: str,
        on: date,
        residence: Residence | None = None,
        workplace: Workplace | None = None,
    ) -> "AdmissionCandidate":
        name = " ".join(full_name.split())
        if not name:
            raise DomainError("A candidate needs a full name.", field="fullName")
        if date_of_birth >= on:
            raise DomainError("The date of birth must be in the past.", field="dateOfBirth")
        return cls(
            id=id,
            full_name=name,
            date_of_birth=date_of_birth,
            gender=gender,
            organisation_id=organisation_id,
            stage=CandidateStage.SOURCE,
            residence=residence,
            workplace=workplace,
            history=[StageChange(CandidateStage.SOURCE, on)],
        )

    def require_age_when_considered(self, on: date) -> None:
        months = whole_months_between(self.date_of_birth, on)
        if not YOUNGEST_MONTHS <= months <= OLDEST_MONTHS:
            raise DomainError(
                f"{self.full_name} is {months // 12} years {months % 12} months old on "
                f"{on.isoformat()}: a candidate is considered from 18 to 60 years old "
                "(over 60 needs a higher-level decision).",
                candidateId=self.id,
                rule=AGE_RULE,
            )

    def advanced(
        self, to: CandidateStage, on: date, note: str | None = None
    ) -> "AdmissionCandidate":
        if to is CandidateStage.ADMITTED:
            raise InvalidTransition(
                "A candidate is admitted with admitCandidate, which creates the member.",
                candidateId=self.id,
            )
        if self.stage in (CandidateStage.ADMITTED, CandidateStage.WITHDRAWN):
            raise InvalidTransition(
                f"{self.full_name} is {self.stage.value}: no further stage.",
                candidateId=self.id,
                stage=self.stage.value,
            )
        if to is not CandidateStage.WITHDRAWN and NEXT_STAGE.get(self.stage) is not to:
            raise InvalidTransition(
                f"{self.full_name} is at {self.stage.value}: the next stage is "
                f"{NEXT_STAGE[self.stage].value}, not {to.value}.",
                candidateId=self.id,
                stage=self.stage.value,
            )
        if to is CandidateStage.SPONSORED:
            self.require_age_when_considered(on)
        return replace(
            self,
            stage=to,
            history=[*self.history, StageChange(to, on, note)],
            version=self.version + 1,
        )

    def with_mentor(
        self, mentor: PartyMember, mentor_ward_id: str | None, ward_id: str | None
    ) -> "AdmissionCandidate":
        """An OFFICIAL member who works alongside the candidate [cùng công tác]: of their
        cell, or of another cell of the same grassroots party organisation (`ward_id`: the
        ward committee of the candidate's cell, `mentor_ward_id` of the mentor's). A mentor
        outside the caller's sight is not named in a refusal."""
        if self.stage in (CandidateStage.ADMITTED, CandidateStage.WITHDRAWN):
            raise InvalidTransition(
                f"{self.full_name} is {self.stage.value}: no mentor is assigned now.",
                candidateId=self.id,
            )
        self.require_alongside(mentor, mentor_ward_id, ward_id, "mentor")
        if mentor.id in self.mentor_ids:
            raise Conflict(f"{mentor.full_name} already mentors {self.full_name}.")
        return replace(self, mentor_ids=[*self.mentor_ids, mentor.id], version=self.version + 1)

    def require_alongside(
        self, member: PartyMember, member_ward_id: str | None, ward_id: str | None, as_: str
    ) -> None:
        """An OFFICIAL member of the candidate's cell, or of another cell of the same
        grassroots party organisation: one who works alongside them [cùng công tác]."""
        same_cell = member.organisation_id == self.organisation_id
        if not same_cell and (ward_id is None or member_ward_id != ward_id):
            raise DomainError(
                f"The {as_} is not a member of the candidate's grassroots party organisation: "
                f"a {as_} works alongside the candidate [cùng công tác].",
                memberId=member.id,
                organisationId=self.organisation_id,
            )
        if member.standing is not Standing.OFFICIAL:
            raise DomainError(
                f"The {as_} is a {member.standing.value} member: only OFFICIAL members "
                + (
                    "follow and help [theo dõi, giúp đỡ] a candidate."
                    if as_ == "mentor"
                    else "introduce a candidate [giới thiệu]."
                ),
                memberId=member.id,
                standing=member.standing.value,
                rule="Điều lệ Đảng art. 4 (introducers are official members)",
            )

    def require_introducer(
        self, member: PartyMember, member_ward_id: str | None, ward_id: str | None, on: date
    ) -> None:
        """An official member alongside the candidate, official by the admission decision."""
        self.require_alongside(member, member_ward_id, ward_id, "introducer")
        if member.official_on is not None and member.official_on > on:
            raise DomainError(
                f"The introducer became an official member on {member.official_on.isoformat()}, "
                f"after the admission decision ({on.isoformat()}).",
                memberId=member.id,
                rule=INTRODUCER_RULE,
            )

    def admitted(self, member_id: str, on: date) -> "AdmissionCandidate":
        if self.stage is not CandidateStage.SPONSORED:
            raise InvalidTransition(
                f"{self.full_name} is at {self.stage.value}: a candidate is admitted once "
                "SPONSORED.",
                candidateId=self.id,
                stage=self.stage.value,
            )
        self.require_age_when_considered(on)
        return replace(
            self,
            stage=CandidateStage.ADMITTED,
            member_id=member_id,
            history=[*self.history, StageChange(CandidateStage.ADMITTED, on)],
            version=self.version + 1,
        )

    def rehomed(self, organisation_id: str) -> "AdmissionCandidate":
        """In a new cell, with the mentors who still work alongside them; the receiving cell
        may add its own."""
        return replace(self, organisation_id=organisation_id, version=self.version + 1)

    def followed(
        self, change: OrganisationChange, cell_id: str | None = None
    ) -> "AdmissionCandidate":
        """After their cell, or a committee above it, changed hands (no transfer letter)."""
        return followed(self, change, cell_id)

    def has_followed(self, case_id: str) -> bool:
        return has_followed(self, case_id)
