"""The tree a restructuring changes: the organisations a case concerns read as a `Tree`, the
new codes checked free, and the outcome of a completed case applied — new organisations, then
the moves, then the cessations. `RestructuringService` is given one."""

from datetime import date

from organisations import events
from organisations.domain import (
    Conflict,
    DomainError,
    LineageLink,
    NewUnit,
    NotFound,
    Organisation,
    ParentPeriod,
    RestructuringCase,
    RestructuringKind,
)
from organisations.domain.restructuring_plans import Tree
from organisations.service.ports import Change, OrganisationRepository


class RestructuringTree:
    """The tree as a restructuring reads and changes it."""

    def __init__(self, organisations: OrganisationRepository) -> None:
        self.organisations = organisations

    async def apply(self, case: RestructuringCase) -> None:
        """New organisations, then the moves, then the cessations, each skipped when already
        done (a retry after a crash)."""
        assert case.decision is not None and case.outcome is not None
        on = case.decision.effective_on
        for unit in case.new_units:
            await self._form(case, unit, on)
        if case.kind is RestructuringKind.MERGE_INTO and case.receiving_id:
            target = await self.organisation(case.receiving_id)
            before = target.version
            if target.succeed(case.source_ids, on, case.id):
                await self.organisations.save(
                    [Change(target, before, [events.organisation_updated(target)])]
                )
        await self._move(case, on)
        for cessation in case.outcome.cessations:
            organisation = await self.organisation(cessation.organisation_id)
            before = organisation.version
            if organisation.cease(cessation.status, on, cessation.successor_ids, case.id):
                await self.organisations.save(
                    [Change(organisation, before, [events.organisation_updated(organisation)])]
                )

    async def _move(self, case: RestructuringCase, on: date) -> None:
        """Every move of the case and the subtrees under them, read at once and saved in one
        bulk write (a city's merger moves thousands of cells). A move done before a crash is
        not done again, but its subtree is still brought to follow it."""
        moves = case.outcome.moves if case.outcome else []
        if not moves:
            return
        moved_ids = [move.organisation_id for move in moves]
        wanted = [*moved_ids, *(move.to_parent_id for move in moves)]
        read = await self._all_found(wanted)
        for descendant in await self.organisations.descendants(moved_ids):
            read.setdefault(descendant.id, descendant)
        versions = {o.id: o.version for o in read.values()}
        under: dict[str, list[Organisation]] = {}
        for found in read.values():
            for ancestor_id in found.ancestor_ids:
                if ancestor_id != found.id:
                    under.setdefault(ancestor_id, []).append(found)
        changed: dict[str, Organisation] = {}
        for move in moves:
            organisation = read[move.organisation_id]
            if not organisation.moved_by(case.id):
                organisation.move_to(read[move.to_parent_id], on, case.id, move.code)
                changed[organisation.id] = organisation
            for descendant in under.get(organisation.id, []):
                if descendant.move_with_ancestor(organisation):
                    changed[descendant.id] = descendant
        await self.organisations.save(
            [Change(o, versions[o.id], [events.organisation_updated(o)]) for o in changed.values()]
        )

    async def _form(self, case: RestructuringCase, unit: NewUnit, on: date) -> None:
        if await self.organisations.get(unit.id) is not None:
            return
        source = await self.organisation(case.source_ids[0])
        parent = await self.organisation(unit.parent_id)
        organisation = Organisation.register(
            id=unit.id,
            code=unit.code,
            name=unit.name,
            kind=source.kind,
            parent=parent,
            cell_type=source.cell_type,
        )
        organisation.established_on = on
        organisation.parent_history = [ParentPeriod(parent.id, on, case.id)]
        predecessors = [source.id] if case.kind is RestructuringKind.SPLIT else case.source_ids
        organisation.predecessors = [LineageLink(p, on, case.id) for p in predecessors]
        await self.organisations.add(organisation, [events.organisation_registered(organisation)])

    async def read(self, case: RestructuringCase) -> Tree:
        """The organisations the case gives and receives, and the active children of those
        given; NOT_FOUND for one that does not exist."""
        wanted = [*case.source_ids, *case.receiving_ids]
        found = await self._all_found(wanted)
        below = await self.organisations.descendants(case.source_ids)
        children = {
            source: [o for o in below if o.parent_id == source and o.is_active]
            for source in case.source_ids
        }
        return Tree(found, children)

    async def check_codes_free(self, case: RestructuringCase) -> None:
        codes = [u.code for u in case.new_units] + [
            code for source, code in case.new_codes.items() if source in case.source_ids
        ]
        if len(set(codes)) != len(codes):
            raise DomainError("Each new code is given once.", field="code")
        renamed = {code: source for source, code in case.new_codes.items()}
        for code in codes:
            holder = await self.organisations.by_code(code)
            # a new organisation takes a code nobody carries or carried (a source's included:
            # merged, it keeps its own); an organisation handed over may keep its own
            if holder is not None and holder.id != renamed.get(code):
                raise Conflict(
                    f"An organisation with code {code} already exists: give another.",
                    field="code",
                    organisationCode=code,
                )
            if holder is not None and holder.code != code:
                raise Conflict(f"{code} was {holder.name}'s code: give another.", field="code")

    async def _all_found(self, ids: list[str]) -> dict[str, Organisation]:
        """The organisations with these ids, by id; NOT_FOUND for one that does not exist."""
        found = {o.id: o for o in await self.organisations.get_many(ids)}
        for organisation_id in ids:
            if organisation_id not in found:
                raise NotFound(f"No organisation with id {organisation_id}.", id=organisation_id)
        return found

    async def organisation(self, organisation_id: str) -> Organisation:
        """The organisation with this id, or NOT_FOUND."""
        found = await self.organisations.get(organisation_id)
        if found is None:
            raise NotFound(f"No organisation with id {organisation_id}.", id=organisation_id)
        return found
