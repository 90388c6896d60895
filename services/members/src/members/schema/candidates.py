# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""An admission candidate and the stages they reached."""

from datetime import date

import strawberry

from members import domain
from members.authorisation import Operation
from members.domain.restructuring import OrganisationChange
from members.schema.context import (
    Context,
)
from members.schema.enums import CandidateStage, Gender
from members.schema.members import (
    HistoryRef,
    OrganisationRef,
    PartyMember,
    Residence,
    Workplace,
)


@strawberry.type(description="A stage a candidate reached, and when")
class CandidateStageChange:
    stage: CandidateStage  # type: ignore[valid-type]
    on: date
    note: str | None


@strawberry.federation.type(
    keys=["id"], description="An admission candidate [đối tượng kết nạp / quần chúng trong nguồn]"
)
class AdmissionCandidate:
    id: strawberry.ID
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    stage: CandidateStage  # type: ignore[valid-type]
    residence: Residence | None
    workplace: Workplace | None
    history: list[CandidateStageChange]
    organisation_id: strawberry.Private[str]
    mentor_ids: strawberry.Private[list[str]]
    member_id: strawberry.Private[str | None]
    restructurings: strawberry.Private[tuple[OrganisationChange, ...]]

    @strawberry.field(description="The cell the candidate is followed by")
    def organisation(self) -> OrganisationRef:
        from members.schema.entities import Organisation  # it builds on this module's types

        return Organisation(id=strawberry.ID(self.organisation_id))

    @strawberry.field(description="OFFICIAL members who follow and help [theo dõi, giúp đỡ]")
    async def mentors(self, info: Context) -> list[PartyMember]:
        mentors = await info.context.member_loader.load_many(self.mentor_ids)
        visible = await info.context.access.keep(Operation.READ_PERSON, mentors)
        return [PartyMember.of(mentor) for mentor in visible]

    @strawberry.field(
        description="Where the candidate has been followed, oldest first: each re-homing "
        "received (the candidates of a dissolved cell) and each restructuring their cell "
        "followed, with its decision (no transfer letter)"
    )
    async def moves(self, info: Context) -> list[HistoryRef]:
        from members.schema.history import person_moves  # it builds on this module's types

        return await person_moves(info, self.id, self.restructurings)

    @strawberry.field(description="The PROBATIONARY member the candidate became when admitted")
    async def member(self, info: Context) -> PartyMember | None:
        member_id = self.member_id
        if member_id is None:
            return None
        member = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.member_loader.load(member_id)
        )
        return PartyMember.of(member)

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "AdmissionCandidate":
        candidate = await info.context.access.fetch(
            Operation.READ_PERSON, lambda: info.context.candidate_loader.load(id)
        )
        return cls.of(candidate)

    @classmethod
    def of(cls, candidate: domain.AdmissionCandidate) -> "AdmissionCandidate":
        return cls(
            id=strawberry.ID(candidate.id),
            full_name=candidate.full_name,
            date_of_birth=candidate.date_of_birth,
            gender=candidate.gender,
            stage=candidate.stage,
            residence=Residence.of(candidate.residence),
            workplace=Workplace.of(candidate.workplace),
            history=[
                CandidateStageChange(stage=h.stage, on=h.on, note=h.note) for h in candidate.history
            ],
            organisation_id=candidate.organisation_id,
            mentor_ids=list(candidate.mentor_ids),
            member_id=candidate.member_id,
            restructurings=candidate.restructurings,
        )
