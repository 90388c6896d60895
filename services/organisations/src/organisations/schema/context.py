"""What each resolver finds in `info.context`: the kit's (the use cases, who is asking, the
access log), the caller's rights (`access`) and the request's loaders of dissolution cases."""

from dataclasses import dataclass
from functools import cached_property

from kit.authorisation import Access
from kit.graphql_context import ServiceContext
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from organisations.authorisation import RULES, Operation
from organisations.domain import DissolutionCase, Stage
from organisations.service import UseCases


@dataclass(frozen=True)
class CampaignCases:
    """A campaign's cases as one `Campaign.cases` field asks for them."""

    campaign_id: str
    stage: Stage | None
    overdue: bool | None


@dataclass(kw_only=True, eq=False)
class OrganisationsContext(ServiceContext[UseCases]):
    @cached_property
    def access(self) -> Access[Operation]:
        """The caller's rights for this request; the use cases still check their subjects'
        organisations themselves, through `RULES`."""
        return Access(self.principal, RULES)

    @cached_property
    def readable_cases(self) -> DataLoader[str, DissolutionCase]:
        """The request's loader of cases by id, each refused unless the caller may read it."""
        service, principal = self.use_cases.dissolution, self.principal

        async def load(ids: list[str]) -> list[DissolutionCase | BaseException]:
            return list(await service.cases_by_id(principal, ids))

        return DataLoader(load_fn=load)

    @cached_property
    def campaign_cases(self) -> DataLoader[CampaignCases, list[DissolutionCase]]:
        """The request's loader of the cases of campaigns the caller may read: those of all
        the campaigns of a list in one query (one per filter asked, when they differ)."""
        service, principal = self.use_cases.dissolution, self.principal

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

        return DataLoader(load_fn=load)


Context = Info[OrganisationsContext, None]
