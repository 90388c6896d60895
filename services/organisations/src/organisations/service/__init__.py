"""Use cases of the organisations service, over repository Protocols."""

from organisations.service.directives import DirectiveService
from organisations.service.dissolution import DissolutionService
from organisations.service.hierarchy import HierarchyService
from organisations.service.ports import OrganisationFilter

__all__ = [
    "DirectiveService",
    "DissolutionService",
    "HierarchyService",
    "OrganisationFilter",
]
