# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""Bulk import of an organisation tree: up to 5,000 rows in one call, answered row by row."""

import strawberry
from kit.imports import ImportReport, require_at_most

from organisations.authorisation import Operation
from organisations.schema.context import Context
from organisations.schema.organisations import CellType, OrganisationKind
from organisations.service.imports import MayChange, OrganisationRow


@strawberry.input(description="A party organisation of the list, known by its code")
class OrganisationImportRow:
    row: int
    code: str
    name: str
    kind: OrganisationKind  # type: ignore[valid-type]
    cell_type: CellType | None = None  # type: ignore[valid-type]
    parent_code: str | None = strawberry.field(
        default=None, description="The parent's code: stored, or a row of the same call"
    )
    coverage: list[str] | None = strawberry.field(
        default=None, description="The residential groups [tổ dân phố] a residential cell covers"
    )

    def to_row(self) -> OrganisationRow:
        return OrganisationRow(
            row=self.row,
            code=self.code,
            name=self.name,
            kind=self.kind,
            cell_type=self.cell_type,
            parent_code=self.parent_code,
            coverage=self.coverage,
        )


@strawberry.input
class ImportOrganisationsInput:
    rows: list[OrganisationImportRow]
    dry_run: bool = strawberry.field(default=False, description="Check everything, write nothing")


def changing_the_tree(info: Context) -> MayChange:
    """Each row checked as createOrganisation (its parent) or updateOrganisation (itself)
    would be; no role that changes the tree: FORBIDDEN."""
    access = info.context.access
    access.require_some_right(Operation.CHANGE_TREE)
    return lambda organisation: access.covers(Operation.CHANGE_TREE, organisation)


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Register an organisation tree of up to 5,000 rows, parents first, or "
        "correct the name, cell type and coverage of those registered (by code). "
        "DISTRICT_STANDING covering each row's parent."
    )
    async def import_organisations(
        self, info: Context, input: ImportOrganisationsInput
    ) -> ImportReport:
        require_at_most(len(input.rows))
        may_change = changing_the_tree(info)
        rows = [row.to_row() for row in input.rows]
        report = await info.context.use_cases.imports.import_organisations(
            rows, may_change, input.dry_run
        )
        return ImportReport.of(report)
