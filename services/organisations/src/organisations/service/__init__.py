"""Use cases of the organisations service, over repository Protocols."""

from dataclasses import dataclass

from kit.clock import Clock, KeptDay

from organisations.service.directives import DirectiveService
from organisations.service.dissolution import DissolutionService
from organisations.service.dissolution_reads import DissolutionReads
from organisations.service.hierarchy import HierarchyService
from organisations.service.imports import OrganisationImportService
from organisations.service.papers import Papers
from organisations.service.ports import OrganisationFilter
from organisations.service.restructuring import RestructuringService
from organisations.service.restructuring_tree import RestructuringTree


@dataclass(frozen=True)
class UseCases:
    """Every use case of the service, as `main` wires them over one database, and the clock
    `setToday` sets in development."""

    hierarchy: HierarchyService
    directives: DirectiveService
    dissolution: DissolutionService
    dissolution_reads: DissolutionReads
    imports: OrganisationImportService
    restructuring: RestructuringService
    clock: Clock
    kept_day: KeptDay  # the day set in development, kept and told to the other services
    papers: Papers


__all__ = [
    "DirectiveService",
    "DissolutionReads",
    "DissolutionService",
    "HierarchyService",
    "OrganisationFilter",
    "OrganisationImportService",
    "Papers",
    "RestructuringService",
    "RestructuringTree",
    "UseCases",
]
