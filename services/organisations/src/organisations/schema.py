"""The organisations subgraph: types, queries and mutations, thin over the service."""

from datetime import date
from typing import Annotated, Any

import strawberry
from kit.errors import ErrorCodes
from strawberry.types import Info

from organisations import domain
from organisations.service import OrganisationService

OrganisationKind = strawberry.enum(
    domain.OrganisationKind,
    description="Kind of party organisation [cấp tổ chức đảng]",
)
CellType = strawberry.enum(
    domain.CellType,
    description="AGENCY [chi bộ cơ quan], RESIDENTIAL [chi bộ địa bàn dân cư / tổ dân phố], OTHER",
)
OrganisationStatus = strawberry.enum(domain.OrganisationStatus)


def service_of(info: Info[dict[str, Any], None]) -> OrganisationService:
    service: OrganisationService = info.context["service"]
    return service


@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID
    code: str
    name: str
    kind: OrganisationKind  # type: ignore[valid-type]
    cell_type: CellType | None  # type: ignore[valid-type]
    status: OrganisationStatus  # type: ignore[valid-type]
    coverage: list[str] = strawberry.field(
        description="Residential groups [tổ dân phố] a residential cell covers"
    )
    dissolved_on: date | None
    parent_id: strawberry.Private[str | None]

    @strawberry.field
    async def parent(self, info: Info[dict[str, Any], None]) -> "Organisation | None":
        if self.parent_id is None:
            return None
        return Organisation.of(await service_of(info).organisation(self.parent_id))

    @classmethod
    async def resolve_reference(
        cls, info: Info[dict[str, Any], None], id: strawberry.ID
    ) -> "Organisation":
        return cls.of(await service_of(info).organisation(id))

    @classmethod
    def of(cls, organisation: domain.Organisation) -> "Organisation":
        return cls(
            id=strawberry.ID(organisation.id),
            code=organisation.code,
            name=organisation.name,
            kind=organisation.kind,
            cell_type=organisation.cell_type,
            status=organisation.status,
            coverage=organisation.coverage,
            dissolved_on=organisation.dissolved_on,
            parent_id=organisation.parent_id,
        )


@strawberry.input
class CreateOrganisationInput:
    code: str
    name: str
    kind: OrganisationKind  # type: ignore[valid-type]
    parent_id: strawberry.ID | None = None
    cell_type: CellType | None = None  # type: ignore[valid-type]
    coverage: list[str] | None = None


@strawberry.type
class Query:
    @strawberry.field
    async def organisation(
        self, info: Info[dict[str, Any], None], id: strawberry.ID
    ) -> Organisation:
        return Organisation.of(await service_of(info).organisation(id))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a party organisation under its parent.")
    async def create_organisation(
        self,
        info: Info[dict[str, Any], None],
        input: Annotated[CreateOrganisationInput, strawberry.argument()],
    ) -> Organisation:
        organisation = await service_of(info).create_organisation(
            code=input.code,
            name=input.name,
            kind=input.kind,
            parent_id=input.parent_id,
            cell_type=input.cell_type,
            coverage=input.coverage,
        )
        return Organisation.of(organisation)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    federation_version="2.5",
    extensions=[ErrorCodes],
)
