"""What each resolver finds in its context: the use cases, the clock, who is asking (the
principal the gateway vouched for) and the personal-data access log."""

from dataclasses import dataclass
from typing import Any

from kit.access_log import AccessLog
from kit.clock import Clock, KeptDay
from kit.identity import Principal
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from organisations.domain import DissolutionCase, Stage
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


def clock_of(info: Context) -> Clock:
    clock: Clock = info.context["clock"]
    return clock


def kept_day_of(info: Context) -> KeptDay:
    kept_day: KeptDay = info.context["kept_day"]
    return kept_day


def principal_of(info: Context) -> Principal:
    principal: Principal = info.context["principal"]
    return principal


def access_log_of(info: Context) -> AccessLog:
    access_log: AccessLog = info.context["access_log"]
    return access_log


def readable_cases(info: Context) -> DataLoader[str, DissolutionCase]:
    """The request's loader of cases by id, each refused unless the caller may read it."""
    loader: DataLoader[str, DissolutionCase] | None = info.context.get("readable_cases")
    if loader is None:
        service, principal = dissolution_of(info), principal_of(info)

        async def load(ids: list[str]) -> list[DissolutionCase | BaseException]:
            return list(await service.cases_by_id(principal, ids))

        loader = DataLoader(load_fn=load)
        info.context["readable_cases"] = loader
    return loader


@dataclass(frozen=True)
class CampaignCases:
    """A campaign's cases as one `Campaign.cases` field asks for them."""

    campaign_id: str
    stage: Stage | None
    overdue: bool | None


def campaign_cases(info: Context) -> DataLoader[CampaignCases, list[DissolutionCase]]:
    """The request's loader of the cases of campaigns the caller may read: those of all the
    campaigns of a list in one query (one per filter asked, when they differ)."""
    loader: DataLoader[CampaignCases, list[DissolutionCase]] | None = info.context.get(
        "campaign_cases"
    )
    if loader is None:
        service, principal = dissolution_of(info), principal_of(info)

        async def load(asked: list[CampaignCases]) -> list[list[DissolutionCase]]:
            found: dict[CampaignCases, list[DissolutionCase]] = {}
            for stage, overdue in dict.fromkeys((a.stage, a.overdue) for a in asked):
                ids = [a.campaign_id for a in asked if (a.stage, a.overdue) == (stage, overdue)]
                cases = await service.cases_of_campaigns(
                    principal, ids, stage=stage, overdue=overdue
                )
                found |= {
                    CampaignCases(i, stage, overdue): c for i, c in zip(ids, cases, strict=True)
                }
            return [found[a] for a in asked]

        loader = DataLoader(load_fn=load)
        info.context["campaign_cases"] = loader
    return loader
