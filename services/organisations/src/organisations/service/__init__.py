"""Use cases of the organisations service, over repository Protocols."""

from dataclasses import dataclass

from organisations.clock import SettableClock
from organisations.service.directives import DirectiveService
from organisations.service.dissolution import DissolutionService
from organisations.service.hierarchy import HierarchyService
from organisations.service.imports import OrganisationImportService
from organisations.service.ports import OrganisationFilter


@dataclass(frozen=True)
class UseCases:
    """Every use case of the service, as `main` wires them over one database, and the clock
    `setToday` sets in development."""

    hierarchy: HierarchyService
    directives: DirectiveService
    dissolution: DissolutionService
    imports: OrganisationImportService
    clock: SettableClock


__all__ = [
    "DirectiveService",
    "DissolutionService",
    "HierarchyService",
    "OrganisationFilter",
    "OrganisationImportService",
    "UseCases",
]
