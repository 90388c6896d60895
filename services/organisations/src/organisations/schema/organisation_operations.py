# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""Queries and mutations of organisations: one by id or code, a page of them, one created or
changed."""

from datetime import date
from typing import Annotated

import strawberry

from organisations.authorisation import Operation
from organisations.schema.context import Context
from organisations.schema.organisations import (
    DEFAULT_PAGE,
    CellType,
    Organisation,
    OrganisationConnection,
    OrganisationKind,
    OrganisationStatus,
    organisation_page,
)
from organisations.service import OrganisationFilter
from organisations.service.commands import CreateOrganisation, UpdateOrganisation


@strawberry.input
class CreateOrganisationInput:
    code: str
    name: str
    kind: OrganisationKind  # type: ignore[valid-type]
    parent_id: strawberry.ID | None = None
    cell_type: CellType | None = None  # type: ignore[valid-type]
    coverage: list[str] | None = None

    def command(self) -> CreateOrganisation:
        return CreateOrganisation(
            code=self.code,
            name=self.name,
            kind=self.kind,
            parent_id=self.parent_id,
            cell_type=self.cell_type,
            coverage=self.coverage,
        )


@strawberry.input(description="Only the fields given change; a new parentId moves the subtree")
class UpdateOrganisationInput:
    id: strawberry.ID
    code: str | None = None
    name: str | None = None
    parent_id: strawberry.ID | None = None
    cell_type: CellType | None = None  # type: ignore[valid-type]
    coverage: list[str] | None = None

    def command(self) -> UpdateOrganisation:
        return UpdateOrganisation(
            code=self.code,
            name=self.name,
            parent_id=self.parent_id,
            cell_type=self.cell_type,
            coverage=self.coverage,
        )


@strawberry.type
class OrganisationQuery:
    @strawberry.field(
        description="An organisation. The tree holds no personal data: any authenticated caller "
        "reads it."
    )
    async def organisation(
        self,
        info: Context,
        id: strawberry.ID,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="As it stood on this day: code, parent, status, and its tree"
            ),
        ] = None,
    ) -> Organisation:
        hierarchy = info.context.use_cases.hierarchy
        if as_of is not None:
            return Organisation.of(await hierarchy.organisation_on(id, as_of), as_of)
        return Organisation.of(await hierarchy.organisation(id))

    @strawberry.field(
        description="The organisation with this code, or null; a code given up in a "
        "restructuring still finds its organisation (with `asOf`: the one that carried it that "
        "day, as it stood then); any caller"
    )
    async def organisation_by_code(
        self, info: Context, code: str, as_of: date | None = None
    ) -> Organisation | None:
        hierarchy = info.context.use_cases.hierarchy
        if as_of is not None:
            then = await hierarchy.organisation_by_code_on(code, as_of)
            return Organisation.of(then, as_of) if then else None
        found = await hierarchy.organisation_by_code(code)
        return Organisation.of(found) if found else None

    @strawberry.field(
        description="Organisations ordered by code; `search` matches name or code ignoring "
        'diacritics and case ("giang vo" finds "Giảng Võ"); `asOf`: the tree as it stood on '
        "that day (a 2019 report shows the 2019 tree); any authenticated caller"
    )
    async def organisations(
        self,
        info: Context,
        kind: OrganisationKind | None = None,  # type: ignore[valid-type]
        parent_id: strawberry.ID | None = None,
        status: OrganisationStatus | None = None,  # type: ignore[valid-type]
        search: str | None = None,
        cell_type: CellType | None = None,  # type: ignore[valid-type]
        within_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only organisations in this one's subtree"),
        ] = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="As they stood on this day: under the parent, within the subtree, "
                "of the status and with the code they had then, ordered by that code"
            ),
        ] = None,
    ) -> OrganisationConnection:
        criteria = OrganisationFilter(
            kind=kind,
            cell_type=cell_type,
            status=status,
            parent_id=parent_id,
            within_id=within_id,
            search=search,
        )
        if as_of is not None:
            day = as_of
            page = await info.context.use_cases.hierarchy.organisations_on(
                day, criteria, first, after
            )
            return OrganisationConnection.of(page, lambda o: Organisation.of(o, day))
        return await organisation_page(info, criteria, first, after)


@strawberry.type
class OrganisationMutation:
    @strawberry.mutation(
        description="Register a party organisation under its parent. DISTRICT_STANDING covering "
        "the parent; a root (no parent) needs a whole-tree grant."
    )
    async def create_organisation(
        self, info: Context, input: CreateOrganisationInput
    ) -> Organisation:
        await info.context.access.require(Operation.CHANGE_TREE, input.parent_id)
        hierarchy = info.context.use_cases.hierarchy
        return Organisation.of(await hierarchy.create_organisation(input.command()))

    @strawberry.mutation(
        description="Rename, recode, re-cover or move an organisation. DISTRICT_STANDING "
        "covering the organisation; a move, covering both its old and its new parent."
    )
    async def update_organisation(
        self, info: Context, input: UpdateOrganisationInput
    ) -> Organisation:
        access, change = info.context.access, input.command()
        organisation = await access.organisation_to(Operation.CHANGE_TREE, input.id)
        if change.moves(organisation):
            # a move takes the subtree out of one parent's hands and puts it in another's
            access.require_over(Operation.CHANGE_TREE, organisation.ancestor_ids)
            await access.require(Operation.CHANGE_TREE, change.parent_id)
        hierarchy = info.context.use_cases.hierarchy
        return Organisation.of(await hierarchy.update_organisation(organisation, change))
