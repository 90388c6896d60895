"""Use cases of the organisation hierarchy."""

import uuid
from collections.abc import Collection
from datetime import date

from kit.pages import Page, checked_first, page_after

from organisations import events
from organisations.domain import (
    NotFound,
    Organisation,
    OrganisationKind,
)
from organisations.domain.hierarchy import require_coverage_free
from organisations.service.as_of import as_of, criteria_hold
from organisations.service.commands import CreateOrganisation, UpdateOrganisation
from organisations.service.ports import Change, OrganisationFilter, OrganisationRepository

MAX_PAGE = 200


class HierarchyService:
    def __init__(self, organisations: OrganisationRepository) -> None:
        self.organisations = organisations

    async def organisation(self, organisation_id: str) -> Organisation:
        """The organisation with this id, or NOT_FOUND."""
        found = await self.organisations.get(organisation_id)
        if found is None:
            raise NotFound(f"No organisation with id {organisation_id}.", id=organisation_id)
        return found

    async def organisation_by_code(self, code: str) -> Organisation | None:
        """The organisation with this code, if any."""
        return await self.organisations.by_code(code.strip())

    async def organisations_by_id(self, ids: list[str]) -> list[Organisation]:
        """The organisations with these ids, in the given order (unknown ids left out)."""
        found = {o.id: o for o in await self.organisations.get_many(ids)}
        return [found[i] for i in ids if i in found]

    async def find_organisations(
        self, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]:
        """A page of organisations ordered by code, filtered and searched."""
        checked_first(first, MAX_PAGE)
        if criteria.within_id is not None:
            await self.organisation(criteria.within_id)
        return await self.organisations.page(criteria, first, after)

    async def ancestry(self, organisation_id: str) -> frozenset[str]:
        """The organisation and every one above it; empty for an unknown id."""
        found = await self.organisations.get(organisation_id)
        return found.ancestry if found else frozenset()

    async def ancestries(self, ids: Collection[str]) -> dict[str, frozenset[str]]:
        """The ancestry of each organisation found among `ids`."""
        return {o.id: o.ancestry for o in await self.organisations.get_many(list(set(ids)))}

    async def subtree_ids(self, roots: Collection[str]) -> set[str]:
        """The ids of these organisations and of every one below them."""
        return {*roots, *(o.id for o in await self.organisations.descendants(roots))}

    async def ancestors(self, organisation: Organisation) -> list[Organisation]:
        """The organisations above this one, the root first."""
        return await self.organisations_by_id(organisation.ancestor_ids)

    async def create_organisation(self, command: CreateOrganisation) -> Organisation:
        """Register a party organisation under its parent and tell the other services."""
        parent = await self._parent(command.parent_id) if command.parent_id else None
        organisation = Organisation.register(
            id=str(uuid.uuid4()),
            code=command.code,
            name=command.name,
            kind=command.kind,
            parent=parent,
            cell_type=command.cell_type,
            coverage=command.coverage,
        )
        await self._check_coverage_is_free(organisation)
        await self.organisations.add(organisation, [events.organisation_registered(organisation)])
        return organisation

    async def update_organisation(
        self, organisation: Organisation, change: UpdateOrganisation
    ) -> Organisation:
        """Rename, recode, re-cover or move an organisation (its subtree moves with it), as it
        was read for the caller's check: changed by someone else since, CONFLICT."""
        read_version = organisation.version
        parent = await self._parent(change.parent_id) if change.moves(organisation) else None
        moved_from = organisation.parent_id
        if not organisation.update(
            code=change.code,
            name=change.name,
            cell_type=change.cell_type,
            coverage=change.coverage,
            parent=parent,
        ):
            return organisation
        changes = [Change(organisation, read_version, [events.organisation_updated(organisation)])]
        if organisation.parent_id != moved_from:
            for descendant in await self.organisations.descendants([organisation.id]):
                before = descendant.version
                if descendant.move_with_ancestor(organisation):
                    changes.append(
                        Change(descendant, before, [events.organisation_updated(descendant)])
                    )
        await self.organisations.save(changes)
        return organisation

    async def _parent(self, parent_id: str | None) -> Organisation:
        found = await self.organisations.get(parent_id) if parent_id else None
        if found is None:
            raise NotFound(
                f"No parent organisation with id {parent_id}.", field="parentId", id=parent_id
            )
        return found

    async def dissolve(self, organisation_id: str, on: date) -> Organisation:
        """Mark an organisation DISSOLVED from `on` (a no-op when it already is)."""
        organisation = await self.organisation(organisation_id)
        read_version = organisation.version
        if organisation.dissolve(on):
            await self.organisations.save(
                [Change(organisation, read_version, [events.organisation_updated(organisation)])]
            )
        return organisation

    # the tree as of a date

    async def organisation_on(self, organisation_id: str, day: date) -> Organisation:
        """The organisation as it stood on `day`: its code, parent and status then; NOT_FOUND
        when it was not formed yet."""
        found = as_of(await self.organisation(organisation_id), day)
        if found is None:
            raise NotFound(
                f"Organisation {organisation_id} was formed after {day.isoformat()}.",
                id=organisation_id,
            )
        return found

    async def organisation_by_code_on(self, code: str, day: date) -> Organisation | None:
        """The organisation that carried this code on `day` (an old code included)."""
        found = await self.organisations.by_code(code.strip())
        shown = as_of(found, day) if found else None
        return shown if shown is not None and shown.code == code.strip() else None

    async def ancestors_on(self, organisation: Organisation, day: date) -> list[Organisation]:
        """The organisations above this one on `day`, the root first."""
        chain: list[Organisation] = []
        parent_id = organisation.parent_on(day)
        while parent_id is not None and len(chain) < 8:
            parent = as_of(await self.organisation(parent_id), day)
            if parent is None:
                break
            chain.insert(0, parent)
            parent_id = parent.parent_id
        return chain

    async def children_on(
        self, parent_id: str, day: date, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]:
        """The organisations under `parent_id` on `day`, as they stood then, by code."""
        checked_first(first, MAX_PAGE)
        found = [o for o in await self._under_on(parent_id, day) if criteria_hold(criteria, o)]
        return page_after(found, first, after, lambda o: (o.code, o.id))

    async def subtree_on(
        self, root_id: str, day: date, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]:
        """Every organisation below `root_id` on `day`, at any depth, as they stood then (one
        read per organisation that had children then)."""
        checked_first(first, MAX_PAGE)
        found: list[Organisation] = []
        level = [root_id]
        while level:
            below = [o for parent in level for o in await self._under_on(parent, day)]
            found.extend(below)
            level = [o.id for o in below if o.kind is not OrganisationKind.CELL]
        matching = [o for o in found if criteria_hold(criteria, o)]
        return page_after(matching, first, after, lambda o: (o.code, o.id))

    async def organisations_on(
        self, day: date, criteria: OrganisationFilter, first: int, after: str | None
    ) -> Page[Organisation]:
        """A page of organisations as they stood on `day`, by their code then: under a parent
        or within a subtree as the tree was that day; searched, and of a kind, in the store."""
        if criteria.parent_id is not None:
            await self.organisation(criteria.parent_id)
            return await self.children_on(criteria.parent_id, day, criteria, first, after)
        if criteria.within_id is not None:
            await self.organisation(criteria.within_id)
            return await self.subtree_on(criteria.within_id, day, criteria, first, after)
        checked_first(first, MAX_PAGE)
        then = [as_of(o, day) for o in await self.organisations.ever_matching(criteria)]
        found = [o for o in then if o is not None and criteria_hold(criteria, o)]
        return page_after(found, first, after, lambda o: (o.code, o.id))

    async def _under_on(self, parent_id: str, day: date) -> list[Organisation]:
        then = [as_of(o, day) for o in await self.organisations.ever_under(parent_id)]
        return [o for o in then if o is not None and o.parent_id == parent_id]

    async def _check_coverage_is_free(self, organisation: Organisation) -> None:
        if organisation.coverage and organisation.parent_id is not None:
            others = await self.organisations.covering(
                organisation.parent_id, organisation.coverage
            )
            require_coverage_free(organisation, others)
