# mypy: disable-error-code="untyped-decorator"
# (strawberry 0.341 with mypy 2.x: its decorators read as untyped; see the lead's report)
"""Bulk import of members and admission candidates: a ward's or district's lists in one call
of up to 5,000 rows, answered row by row."""

from datetime import date

import strawberry
from kit.imports import ImportReport, require_at_most

from members.authorisation import Operation
from members.domain import KnownOrganisation
from members.schema.context import Context
from members.schema.enums import Gender, Standing
from members.schema.inputs import (
    CITIZEN_ID,
    ResidenceInput,
    WorkplaceInput,
    residence,
    workplace,
)
from members.service.import_rows import CandidateRow, MemberRow
from members.service.imports import MayChange


@strawberry.input(description="A party member [đảng viên] of the list, known by card number")
class MemberImportRow:
    row: int
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    standing: Standing  # type: ignore[valid-type]
    admitted_on: date
    official_on: date | None = None
    organisation_code: str = strawberry.field(description="The cell's code [mã chi bộ]")
    residence: ResidenceInput | None = None
    workplace: WorkplaceInput | None = None
    citizen_id: str | None = strawberry.field(default=None, description=CITIZEN_ID)

    def to_row(self) -> MemberRow:
        return MemberRow(
            row=self.row,
            card_number=self.card_number,
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            gender=self.gender,
            standing=self.standing,
            admitted_on=self.admitted_on,
            official_on=self.official_on,
            organisation_code=self.organisation_code,
            residence=residence(self.residence),
            workplace=workplace(self.workplace),
            citizen_id=self.citizen_id,
        )


@strawberry.input
class ImportMembersInput:
    rows: list[MemberImportRow]
    dry_run: bool = strawberry.field(default=False, description="Check everything, write nothing")


@strawberry.input(
    description="A person of a cell's admission source [quần chúng trong nguồn], known by full "
    "name, date of birth and cell"
)
class CandidateImportRow:
    row: int
    full_name: str
    date_of_birth: date
    gender: Gender  # type: ignore[valid-type]
    organisation_code: str
    on: date
    residence: ResidenceInput | None = None
    workplace: WorkplaceInput | None = None

    def to_row(self) -> CandidateRow:
        return CandidateRow(
            row=self.row,
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            gender=self.gender,
            organisation_code=self.organisation_code,
            on=self.on,
            residence=residence(self.residence),
            workplace=workplace(self.workplace),
        )


@strawberry.input
class ImportCandidatesInput:
    rows: list[CandidateImportRow]
    dry_run: bool = strawberry.field(default=False, description="Check everything, write nothing")


def importing(info: Context) -> MayChange:
    """Each row's cell checked against the caller's grants; no importing role: FORBIDDEN."""
    access = info.context.access
    access.require_some_right(Operation.IMPORT_PEOPLE)

    def may_change(cell: KnownOrganisation | None) -> bool:
        return access.covers(Operation.IMPORT_PEOPLE, cell)

    return may_change


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Register a list of up to 5,000 members, or correct those registered (by "
        "card number). WARD_COMMITTEE or DISTRICT_STANDING covering each row's cell."
    )
    async def import_members(self, info: Context, input: ImportMembersInput) -> ImportReport:
        may_change = importing(info)
        require_at_most(len(input.rows))
        rows = [row.to_row() for row in input.rows]
        return ImportReport.of(
            await info.context.use_cases.imports.import_members(rows, may_change, input.dry_run)
        )

    @strawberry.mutation(
        description="Put a list of up to 5,000 people in their cells' admission source (those "
        "there already stay). WARD_COMMITTEE or DISTRICT_STANDING covering each row's cell."
    )
    async def import_candidates(self, info: Context, input: ImportCandidatesInput) -> ImportReport:
        may_change = importing(info)
        require_at_most(len(input.rows))
        rows = [row.to_row() for row in input.rows]
        return ImportReport.of(
            await info.context.use_cases.imports.import_candidates(rows, may_change, input.dry_run)
        )
