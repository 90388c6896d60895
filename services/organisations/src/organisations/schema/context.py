"""What each resolver finds in its context: the use cases, the clock and who is asking."""

from typing import Any

from strawberry.types import Info

from organisations.clock import SettableClock
from organisations.service import DirectiveService, DissolutionService, HierarchyService

Context = Info[dict[str, Any], None]


def hierarchy_of(info: Context) -> HierarchyService:
    service: HierarchyService = info.context["hierarchy"]
    return service


def directives_of(info: Context) -> DirectiveService:
    service: DirectiveService = info.context["directives"]
    return service


def dissolution_of(info: Context) -> DissolutionService:
    service: DissolutionService = info.context["dissolution"]
    return service


def clock_of(info: Context) -> SettableClock:
    clock: SettableClock = info.context["clock"]
    return clock


def actor_of(info: Context) -> str:
    actor: str = info.context.get("actor") or "anonymous"
    return actor
