"""Bulk import of an organisation tree: each row checked by the rules createOrganisation and
updateOrganisation apply, parents before their children (a parent may be a row of the same
call), the new and changed ones written in bulk with their events."""

import copy
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kit.imports import (
    ImportOutcome,
    RowOutcome,
    RowOutcomes,
    forbidden,
    refused,
    require_at_most,
)

from organisations import events
from organisations.domain import (
    CellType,
    Conflict,
    DomainError,
    NotFound,
    Organisation,
    OrganisationKind,
)
from organisations.domain.hierarchy import require_coverage_free
from organisations.service.ports import Change, Event, OrganisationImports


@dataclass(frozen=True)
class OrganisationRow:
    row: int
    code: str
    name: str
    kind: OrganisationKind
    cell_type: CellType | None = None
    parent_code: str | None = None
    coverage: list[str] | None = None


MayChange = Callable[[Organisation | None], bool]
"""Whether the caller may change the tree under this organisation, or this organisation itself
(None: a root, which only a whole-tree grant may register)."""


class OrganisationImportService:
    def __init__(self, store: OrganisationImports) -> None:
        self.store = store

    async def import_organisations(
        self, rows: Sequence[OrganisationRow], may_change: MayChange, dry_run: bool = False
    ) -> RowOutcomes:
        """Register the organisations of a list under their parents, or correct the name,
        cell type and coverage of those registered (by code); each row answered CREATED,
        UPDATED, UNCHANGED or REJECTED with the reason. With `dry_run`, nothing written."""
        require_at_most(len(rows))
        codes = {row.code.strip() for row in rows} | {
            row.parent_code.strip() for row in rows if row.parent_code
        }
        known = {o.code: o for o in await self.store.by_codes(sorted(codes))}
        stored = set(known)
        groups = sorted({group for row in rows for group in row.coverage or []})
        covering = await self.store.covering(sorted({o.id for o in known.values()}), groups)
        plan = Plan(may_change, known, covering)
        for row in sorted(rows, key=lambda row: row.kind.rank):  # parents first
            key = row.code.strip()
            if key in plan.seen:
                twice = Conflict(f"{key} is also on row {plan.seen[key]} of this import.")
                plan.outcomes.rows.append(refused(row.row, key, twice, "code"))
                continue
            plan.seen[key] = row.row
            try:
                if key in stored:
                    plan.correct(row, known[key])
                else:
                    plan.register(row)
            except DomainError as error:
                plan.outcomes.rows.append(refused(row.row, key, error, field_of(error)))
            except Refused as refusal:
                plan.outcomes.rows.append(forbidden(row.row, key, refusal.field))
        if dry_run or not (plan.new or plan.changed):
            return plan.outcomes
        missed = await self.store.write(plan.new, plan.changed)
        return plan.outcomes.refusing(missed, "was registered or changed meanwhile", "code")


class Refused(Exception):
    def __init__(self, field: str) -> None:
        self.field = field


def field_of(error: DomainError) -> str | None:
    """The row's field a domain error is about: parents are named by their code there."""
    named = error.details.get("field")
    return "parentCode" if named == "parentId" else named if isinstance(named, str) else None


class Plan:
    """One import's decisions, row by row, over what is known so far (rows before included)."""

    def __init__(
        self, may_change: MayChange, known: dict[str, Organisation], covering: list[Organisation]
    ) -> None:
        self._may = may_change
        self.known = known
        self.covering = {o.id: o for o in covering}
        self.seen: dict[str, int] = {}
        self.outcomes = RowOutcomes()
        self.new: list[tuple[Organisation, Event]] = []
        self.changed: list[Change] = []

    def _parent(self, row: OrganisationRow) -> Organisation | None:
        if not row.parent_code:
            if not self._may(None):  # a root: only a whole-tree grant
                raise Refused("parentCode")
            return None
        parent = self.known.get(row.parent_code.strip())
        if not self._may(parent):
            raise Refused("parentCode")
        if parent is None:
            raise NotFound(
                f"No organisation with code {row.parent_code.strip()}.", field="parentCode"
            )
        return parent

    def register(self, row: OrganisationRow) -> None:
        parent = self._parent(row)
        organisation = Organisation.register(
            id=str(uuid.uuid4()),
            code=row.code,
            name=row.name,
            kind=row.kind,
            parent=parent,
            cell_type=row.cell_type,
            coverage=row.coverage,
        )
        require_coverage_free(organisation, self.covering.values())
        self._keep(organisation)
        self.new.append((organisation, events.organisation_registered(organisation)))
        self.outcomes.rows.append(
            RowOutcome(row.row, organisation.code, ImportOutcome.CREATED, organisation.id)
        )

    def correct(self, row: OrganisationRow, stored: Organisation) -> None:
        if not self._may(stored):
            raise Refused("code")
        parent_code = row.parent_code.strip() if row.parent_code else None
        parent = self.known.get(parent_code) if parent_code else None
        if (parent.id if parent else None) != stored.parent_id:
            raise Conflict(
                f"{stored.name} is under another parent: an organisation moves with "
                "updateOrganisation, which moves its subtree.",
                field="parentCode",
            )
        if row.kind is not stored.kind:
            raise Conflict(f"{stored.name} is a {stored.kind.value}.", field="kind")
        organisation = copy.deepcopy(stored)
        if not organisation.update(
            name=row.name, cell_type=row.cell_type, coverage=row.coverage or []
        ):
            self.outcomes.rows.append(
                RowOutcome(row.row, stored.code, ImportOutcome.UNCHANGED, stored.id)
            )
            return
        require_coverage_free(organisation, self.covering.values())
        self._keep(organisation)
        self.changed.append(
            Change(organisation, stored.version, [events.organisation_updated(organisation)])
        )
        self.outcomes.rows.append(
            RowOutcome(row.row, organisation.code, ImportOutcome.UPDATED, organisation.id)
        )

    def _keep(self, organisation: Organisation) -> None:
        """Rows after this one see it: as a parent, and by the groups it covers."""
        self.known[organisation.code] = organisation
        if organisation.coverage:
            self.covering[organisation.id] = organisation
