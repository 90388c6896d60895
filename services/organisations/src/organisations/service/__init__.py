"""Use cases of the organisations service, over repository Protocols."""

from dataclasses import dataclass

from kit.clock import Clock, KeptDay

from organisations.service.directives import DirectiveService
from organisations.service.dissolution import DissolutionService
from organisations.service.hierarchy import HierarchyService
from organisations.service.imports import OrganisationImportService
from organisations.service.papers import Papers
from organisations.service.ports import OrganisationFilter
from organisations.service.restructuring import RestructuringService


@dataclass(frozen=True)
class UseCases:
    """Every use case of the service, as `main` wires them over one database, and the clock
    `setToday` sets in development."""

    hierarchy: HierarchyService
    directives: DirectiveService
    dissolution: DissolutionService
    imports: OrganisationImportService
    restructuring: RestructuringService
    clock: Clock
    kept_day: KeptDay  # the day set in development, kept and told to the other services
    papers: Papers


__all__ = [
    "DirectiveService",
    "DissolutionService",
    "HierarchyService",
    "OrganisationFilter",
    "OrganisationImportService",
    "Papers",
    "RestructuringService",
    "UseCases",
]
