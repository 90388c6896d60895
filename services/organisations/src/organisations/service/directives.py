"""Use cases of directives [văn bản]."""

import uuid

from organisations import events
from organisations.domain import Directive, DirectiveNumber, NotFound
from organisations.service.commands import IssueDirective
from organisations.service.hierarchy import HierarchyService
from organisations.service.ports import DirectiveRepository

_IDS = uuid.UUID("0b7c6a3e-2f1d-4c5b-8e9a-7d6c5b4a3f21")


class DirectiveService:
    def __init__(self, directives: DirectiveRepository, hierarchy: HierarchyService) -> None:
        self.directives = directives
        self.hierarchy = hierarchy

    async def directive(self, number: str) -> Directive:
        """The directive with this number in any spelling (QĐ or QD, any case), or NOT_FOUND."""
        found = await self.directives.by_number_key(DirectiveNumber.parse(number).key)
        if found is None:
            raise NotFound(f"No directive numbered {number}.", number=number)
        return found

    async def directive_by_id(self, directive_id: str) -> Directive:
        found = await self.directives.get(directive_id)
        if found is None:
            raise NotFound(f"No directive with id {directive_id}.", id=directive_id)
        return found

    async def all_directives(self) -> list[Directive]:
        """Every directive, by issue date."""
        return sorted(await self.directives.all(), key=lambda d: (d.issued_on, str(d.number)))

    async def based_on(self, directive: Directive) -> list[Directive]:
        found = {d.id: d for d in await self.directives.get_many(directive.based_on_ids)}
        return [found[i] for i in directive.based_on_ids if i in found]

    async def chain(self, directive: Directive) -> list[Directive]:
        """Every directive this one rests on, directly or not, nearest first."""
        seen: dict[str, Directive] = {}
        frontier = [directive]
        while frontier:
            found = [d for parent in frontier for d in await self.based_on(parent)]
            frontier = [d for d in found if d.id not in seen and d.id != directive.id]
            seen.update((d.id, d) for d in frontier)
        return list(seen.values())

    async def issue_directive(self, command: IssueDirective) -> Directive:
        """Record a directive with its number, issuer, date, title and the ones it is based on."""
        parsed = DirectiveNumber.parse(command.number)
        if command.issuer_organisation_id is not None:
            await self.hierarchy.organisation(command.issuer_organisation_id)
        parents = [await self._based_on(n) for n in command.based_on]
        directive = Directive.issue(
            id=str(uuid.uuid5(_IDS, parsed.key)),
            number=parsed,
            issuer=command.issuer,
            issued_on=command.issued_on,
            title=command.title,
            issuer_organisation_id=command.issuer_organisation_id,
            based_on=parents,
            other_issued_dates=list(command.other_issued_dates),
        )
        await self.directives.add(directive, [events.directive_issued(directive)])
        return directive

    async def _based_on(self, number: str) -> Directive:
        found = await self.directives.by_number_key(DirectiveNumber.parse(number).key)
        if found is None:
            raise NotFound(
                f"basedOn names {number}, which is not recorded: issue it first.",
                field="basedOn",
                number=number,
            )
        return found
