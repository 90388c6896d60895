"""The members subgraph: types, queries and mutations, thin over the service."""

from datetime import date
from typing import Any

import strawberry
from kit.errors import ErrorCodes
from strawberry.types import Info

from members import domain
from members.service import MemberService

Standing = strawberry.enum(
    domain.Standing, description="OFFICIAL [đảng viên chính thức] | PROBATIONARY [dự bị]"
)
Gender = strawberry.enum(domain.Gender)
WorkplaceRole = strawberry.enum(
    domain.WorkplaceRole,
    description="CADRE [cán bộ], CIVIL_SERVANT [công chức], "
    "NON_SPECIALISED [người hoạt động không chuyên trách], OTHER",
)

Context = Info[dict[str, Any], None]


def service_of(info: Context) -> MemberService:
    service: MemberService = info.context["service"]
    return service


@strawberry.type(description="Where a member lives")
class Residence:
    address: str
    residential_group: str = strawberry.field(description="Residential group [tổ dân phố]")


@strawberry.type
class Workplace:
    name: str
    role: WorkplaceRole  # type: ignore[valid-type]


@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID

    @strawberry.field(description="The members whose party activity is in this organisation")
    async def members(self, info: Context) -> list["PartyMember"]:
        return [PartyMember.of(m) for m in await service_of(info).members_of(self.id)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Organisation":
        return cls(id=id)


@strawberry.federation.type(keys=["id"], description="A party member [đảng viên]")
class PartyMember:
    id: strawberry.ID
    card_number: str = strawberry.field(description="Party card number [số thẻ đảng viên]")
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    standing: Standing  # type: ignore[valid-type]
    admitted_on: date
    official_on: date | None
    residence: Residence | None
    workplace: Workplace | None
    organisation_id: strawberry.Private[str]

    @strawberry.field(description="The cell where the member's party activity is")
    def organisation(self) -> Organisation:
        return Organisation(id=strawberry.ID(self.organisation_id))

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "PartyMember":
        return cls.of(await service_of(info).member(id))

    @classmethod
    def of(cls, member: domain.PartyMember) -> "PartyMember":
        return cls(
            id=strawberry.ID(member.id),
            card_number=member.card_number,
            full_name=member.full_name,
            date_of_birth=member.date_of_birth,
            gender=member.gender,
            standing=member.standing,
            admitted_on=member.admitted_on,
            official_on=member.official_on,
            residence=Residence(
                address=member.residence.address,
                residential_group=member.residence.residential_group,
            )
            if member.residence
            else None,
            workplace=Workplace(name=member.workplace.name, role=member.workplace.role)
            if member.workplace
            else None,
            organisation_id=member.organisation_id,
        )


@strawberry.input
class ResidenceInput:
    address: str
    residential_group: str


@strawberry.input
class WorkplaceInput:
    name: str
    role: WorkplaceRole  # type: ignore[valid-type]


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


@strawberry.type
class Query:
    @strawberry.field
    async def member(self, info: Context, id: strawberry.ID) -> PartyMember:
        return PartyMember.of(await service_of(info).member(id))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Put a party member on the list of their cell.")
    async def register_member(self, info: Context, input: RegisterMemberInput) -> PartyMember:
        member = await service_of(info).register_member(
            card_number=input.card_number,
            full_name=input.full_name,
            date_of_birth=input.date_of_birth,
            gender=input.gender,
            standing=input.standing,
            admitted_on=input.admitted_on,
            official_on=input.official_on,
            organisation_id=input.organisation_id,
            residence=domain.Residence(input.residence.address, input.residence.residential_group)
            if input.residence
            else None,
            workplace=domain.Workplace(input.workplace.name, input.workplace.role)
            if input.workplace
            else None,
        )
        return PartyMember.of(member)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Organisation],
    federation_version="2.5",
    extensions=[ErrorCodes],
)
