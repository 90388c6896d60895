# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Organisations in the subgraph: the entity, its tree and its connections."""

from datetime import date
from typing import Annotated

import strawberry
from kit.connections import Connection

from organisations import domain
from organisations.schema.context import Context
from organisations.service import OrganisationFilter

OrganisationKind = strawberry.enum(
    domain.OrganisationKind,
    description="Kind of party organisation [cấp tổ chức đảng]: CITY_COMMITTEE [Thành ủy], "
    "DISTRICT_COMMITTEE [Quận ủy], WARD_COMMITTEE [Đảng ủy phường], CELL [chi bộ]",
)
CellType = strawberry.enum(
    domain.CellType,
    description="AGENCY [chi bộ cơ quan], RESIDENTIAL [chi bộ địa bàn dân cư / tổ dân phố], OTHER",
)
OrganisationStatus = strawberry.enum(
    domain.OrganisationStatus,
    description="ACTIVE [đang hoạt động] | DISSOLVED [đã giải thể] | MERGED [đã hợp nhất, sáp "
    "nhập: see successors] | SPLIT [đã chia tách: see successors] | ENDED [đã kết thúc hoạt "
    "động: no successor]",
)


@strawberry.type(description="A predecessor or successor, from the restructuring's effective date")
class LineageLink:
    on: date
    case_id: strawberry.ID = strawberry.field(description="The restructuring case")
    organisation_id: strawberry.Private[str]

    @strawberry.field
    async def organisation(self, info: Context) -> "Organisation":
        return Organisation.of(
            await info.context.use_cases.hierarchy.organisation(self.organisation_id)
        )

    @classmethod
    def of(cls, link: domain.LineageLink) -> "LineageLink":
        return cls(
            on=link.on, case_id=strawberry.ID(link.case_id), organisation_id=link.organisation_id
        )


@strawberry.type(
    description="A code the organisation carried until a restructuring; it still resolves"
)
class FormerCode:
    code: str
    until: date


@strawberry.type(
    description="Under which parent the organisation stood from `since` (null: its start)"
)
class ParentPeriod:
    since: date | None
    case_id: strawberry.ID | None = strawberry.field(
        description="The restructuring case that moved it there"
    )
    parent_id: strawberry.Private[str | None]

    @strawberry.field
    async def parent(self, info: Context) -> "Organisation | None":
        if self.parent_id is None:
            return None
        return Organisation.of(await info.context.use_cases.hierarchy.organisation(self.parent_id))


DEFAULT_PAGE = 50


# the description is the one members and evaluations give the entity too; who reads the tree
# is said on the queries
@strawberry.federation.type(keys=["id"], description="A party organisation [tổ chức đảng]")
class Organisation:
    id: strawberry.ID
    code: str = strawberry.field(description="Unique code, e.g. HN-BD-GV-CQ")
    name: str
    kind: OrganisationKind  # type: ignore[valid-type]
    cell_type: CellType | None  # type: ignore[valid-type]
    status: OrganisationStatus  # type: ignore[valid-type]
    coverage: list[str] = strawberry.field(
        description="Residential groups [tổ dân phố] a residential cell covers"
    )
    dissolved_on: date | None
    version: int = strawberry.field(description="Increases by one with every change")
    established_on: date | None = strawberry.field(
        description="Formed by a restructuring on this day (null: before partyorg kept dates)"
    )
    ceased_on: date | None = strawberry.field(description="Merged or split from this day")
    former_codes: list[FormerCode] = strawberry.field(
        description="Codes it carried before a restructuring; organisationByCode still finds them"
    )
    as_of: date | None = strawberry.field(
        description="The day this organisation is shown as of (null: today); its parent, "
        "ancestors and children are shown as of the same day"
    )
    parent_id: strawberry.Private[str | None]
    ancestor_ids: strawberry.Private[list[str]]
    organisation: strawberry.Private[domain.Organisation]

    @strawberry.field
    async def parent(self, info: Context) -> "Organisation | None":
        if self.parent_id is None:
            return None
        hierarchy = info.context.use_cases.hierarchy
        if self.as_of is not None:
            return Organisation.of(
                await hierarchy.organisation_on(self.parent_id, self.as_of), self.as_of
            )
        return Organisation.of(await hierarchy.organisation(self.parent_id))

    @strawberry.field(description="The organisations above this one, the root first")
    async def ancestors(self, info: Context) -> list["Organisation"]:
        hierarchy = info.context.use_cases.hierarchy
        if self.as_of is not None:
            then = await hierarchy.ancestors_on(self.organisation, self.as_of)
            return [Organisation.of(o, self.as_of) for o in then]
        found = await hierarchy.organisations_by_id(self.ancestor_ids)
        return [Organisation.of(o) for o in found]

    @strawberry.field(
        description="The organisations directly under this one; `asOf`: those under it on that "
        "day, as they were (a 2019 report shows the 2019 tree)"
    )
    async def children(
        self,
        info: Context,
        kind: OrganisationKind | None = None,  # type: ignore[valid-type]
        cell_type: CellType | None = None,  # type: ignore[valid-type]
        status: OrganisationStatus | None = None,  # type: ignore[valid-type]
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        as_of: date | None = None,
    ) -> "OrganisationConnection":
        criteria = OrganisationFilter(
            kind=kind, cell_type=cell_type, status=status, parent_id=str(self.id)
        )
        day = as_of or self.as_of
        if day is not None:
            page = await info.context.use_cases.hierarchy.children_on(
                str(self.id), day, criteria, first, after
            )
            return OrganisationConnection.of(page, lambda o: Organisation.of(o, day))
        return await organisation_page(info, criteria, first, after)

    @strawberry.field(description="Under which parents it stood, and from when")
    def parent_history(self) -> list[ParentPeriod]:
        return [
            ParentPeriod(
                since=p.since,
                case_id=strawberry.ID(p.case_id) if p.case_id else None,
                parent_id=p.parent_id,
            )
            for p in self.organisation.parent_history
        ]

    @strawberry.field(description="The organisations it was formed from or took over")
    def predecessors(self) -> list[LineageLink]:
        return [LineageLink.of(link) for link in self.organisation.predecessors]

    @strawberry.field(description="The organisations it merged into or was split among")
    def successors(self) -> list[LineageLink]:
        return [LineageLink.of(link) for link in self.organisation.successors]

    @strawberry.field(description="Every organisation below this one, at any depth")
    async def subtree(
        self,
        info: Context,
        kind: OrganisationKind | None = None,  # type: ignore[valid-type]
        cell_type: CellType | None = None,  # type: ignore[valid-type]
        status: OrganisationStatus | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        as_of: Annotated[
            date | None,
            strawberry.argument(description="As it stood on this day"),
        ] = None,
    ) -> "OrganisationConnection":
        criteria = OrganisationFilter(
            kind=kind, cell_type=cell_type, status=status, within_id=str(self.id), search=search
        )
        day = as_of or self.as_of
        if day is not None:
            page = await info.context.use_cases.hierarchy.subtree_on(
                str(self.id), day, criteria, first, after
            )
            return OrganisationConnection.of(page, lambda o: Organisation.of(o, day))
        return await organisation_page(info, criteria, first, after)

    @classmethod
    async def resolve_reference(cls, info: Context, id: strawberry.ID) -> "Organisation":
        return cls.of(await info.context.use_cases.hierarchy.organisation(id))

    @classmethod
    def of(cls, organisation: domain.Organisation, as_of: date | None = None) -> "Organisation":
        return cls(
            id=strawberry.ID(organisation.id),
            code=organisation.code,
            name=organisation.name,
            kind=organisation.kind,
            cell_type=organisation.cell_type,
            status=organisation.status,
            coverage=organisation.coverage,
            dissolved_on=organisation.dissolved_on,
            version=organisation.version,
            established_on=organisation.established_on,
            ceased_on=organisation.ceased_on,
            former_codes=[
                FormerCode(code=f.code, until=f.until) for f in organisation.former_codes
            ],
            as_of=as_of,
            parent_id=organisation.parent_id,
            ancestor_ids=organisation.ancestor_ids,
            organisation=organisation,
        )


@strawberry.type(description="A page of organisations, ordered by code")
class OrganisationConnection(Connection[Organisation]):
    pass


async def organisation_page(
    info: Context, criteria: OrganisationFilter, first: int, after: str | None
) -> OrganisationConnection:
    page = await info.context.use_cases.hierarchy.find_organisations(criteria, first, after)
    return OrganisationConnection.of(page, Organisation.of)
