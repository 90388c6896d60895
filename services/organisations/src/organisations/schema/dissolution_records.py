# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""What a dissolution case records in the subgraph: its stages and steps, each step's record
(the conferences, the plan and its placements, the decision), the audit trail, corrections."""

from datetime import date, datetime

import strawberry

from organisations import domain
from organisations.schema.context import Context
from organisations.schema.organisations import Organisation

CaseStage = strawberry.enum(
    domain.Stage,
    description="OPENED [mở hồ sơ], DISSEMINATED [đã quán triệt], PLAN_SUBMITTED [đã trình "
    "phương án], PLAN_APPROVED [Ban Thường vụ Quận ủy cho ý kiến đồng ý], DECISION_ISSUED [đã "
    "ban hành quyết định giải thể], ANNOUNCED [đã công bố quyết định], CLOSED [đã chuyển sinh "
    "hoạt hết]",
)
CaseStep = strawberry.enum(domain.Step, description="A step of the dissolution case")
PersonKind = strawberry.enum(
    domain.PersonKind, description="MEMBER [đảng viên] | CANDIDATE [đối tượng kết nạp]"
)


async def organisation(info: Context, organisation_id: str) -> Organisation:
    return Organisation.of(await info.context.use_cases.hierarchy.organisation(organisation_id))


@strawberry.type(description="The dissemination conference [hội nghị quán triệt]")
class Dissemination:
    held_on: date
    attendee_count: int
    documents: list[str]


@strawberry.type(
    description="Which residential cell receives one member or candidate. Who moves where is "
    "personal data: every read is written to the personal-data access log."
)
class Placement:
    person_id: strawberry.ID
    person_kind: PersonKind  # type: ignore[valid-type]
    destination_cell_id: strawberry.ID
    cell_id: strawberry.Private[str]  # the dissolving cell the person belongs to

    @strawberry.field
    async def destination_cell(self, info: Context) -> Organisation:
        return await organisation(info, self.destination_cell_id)

    @classmethod
    def of(cls, placement: domain.Placement, cell_id: str) -> "Placement":
        return cls(
            person_id=strawberry.ID(placement.person_id),
            person_kind=placement.person_kind,
            destination_cell_id=strawberry.ID(placement.destination_cell_id),
            cell_id=cell_id,
        )


@strawberry.type(description="The dissolution plan [phương án giải thể]; placements are overrides")
class Plan:
    number: str
    date: date
    placements: list[Placement]

    @classmethod
    def of(cls, plan: domain.Plan, cell_id: str) -> "Plan":
        return cls(
            number=plan.number,
            date=plan.dated_on,
            placements=[Placement.of(p, cell_id) for p in plan.placements],
        )


@strawberry.type(description="A plan the district returned for resubmission")
class ReturnedPlan:
    plan: Plan
    returned_on: date
    reasons: str


@strawberry.type(description="The district standing committee's approval")
class Approval:
    approved_on: date
    opinion: str | None


@strawberry.type(description="The dissolution decision [quyết định giải thể]")
class Decision:
    number: str
    signed_on: date
    signer: str
    effective_on: date


@strawberry.type(description="The conference announcing the decision")
class Announcement:
    held_on: date


@strawberry.type(description="What the members service reported once everyone was received")
class Relocation:
    members: int
    candidates: int
    completed_on: date


@strawberry.type(description="One step taken on a case: who, when, from and to which stage, why")
class AuditEntry:
    step: CaseStep  # type: ignore[valid-type]
    from_stage: CaseStage  # type: ignore[valid-type]
    to_stage: CaseStage  # type: ignore[valid-type]
    actor: str = strawberry.field(description="Who took it: their display name")
    subject: str | None = strawberry.field(
        description="Who took it: the subject of their identity, which tells apart two people "
        'of one name ("system" for a step the service took on an event; null for steps '
        "recorded before subjects were kept)"
    )
    at: datetime
    note: str | None


@strawberry.type(
    description="One field of a recorded step corrected: its old and new value, who, when, why"
)
class CaseCorrection:
    step: CaseStep  # type: ignore[valid-type]
    field: str = strawberry.field(description="The field as the step's input names it")
    old_value: str | None
    new_value: str | None
    reason: str
    actor: str
    subject: str | None
    at: datetime

    @classmethod
    def of(cls, c: domain.CaseCorrection) -> "CaseCorrection":
        return cls(
            step=c.step,
            field=c.field,
            old_value=c.old_value,
            new_value=c.new_value,
            reason=c.reason,
            actor=c.actor,
            subject=c.subject,
            at=c.at,
        )
