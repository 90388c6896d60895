"""What each resolver finds in `info.context`: the kit's (the use cases, who is asking, the
access log), the caller's rights (`access`) and the request's loaders of dissolution cases."""

from dataclasses import dataclass
from functools import cached_property

from kit.errors import Forbidden
from kit.graphql_context import ServiceContext
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from organisations.authorisation import Operation
from organisations.domain import DissolutionCase, NotFound, Stage
from organisations.schema.access import Access
from organisations.service import UseCases

READ = Operation.READ_CASES


def _cell_of(case: DissolutionCase) -> tuple[str]:
    return (case.cell_id,)


def _refusal(access: Access, case_id: str) -> Exception:
    """An id that names no readable case: NOT_FOUND to a whole-tree grant, FORBIDDEN to the
    rest, as `Access.fetch` answers."""
    if access.everywhere(READ):
        return NotFound(f"No dissolution case with id {case_id}.", id=case_id)
    return Forbidden()


@dataclass(frozen=True)
class CampaignCases:
    """A campaign's cases as one `Campaign.cases` field asks for them."""

    campaign_id: str
    stage: Stage | None
    overdue: bool | None


@dataclass(kw_only=True, eq=False)
class OrganisationsContext(ServiceContext[UseCases]):
    @cached_property
    def access(self) -> Access:
        """The caller's rights for this request (made once, on first use)."""
        return Access(self.principal, self.use_cases.hierarchy)

    @cached_property
    def readable_cases(self) -> DataLoader[str, DissolutionCase]:
        """The request's loader of cases by id, each refused unless the caller may read it."""
        service, access = self.use_cases.dissolution_reads, self.access

        async def load(ids: list[str]) -> list[DissolutionCase | BaseException]:
            found = await service.cases_by_id(ids)
            readable = await access.keep(READ, [c for c in found if c is not None], _cell_of)
            kept = {c.id for c in readable}
            return [
                c if c is not None and c.id in kept else _refusal(access, i)
                for i, c in zip(ids, found, strict=True)
            ]

        return DataLoader(load_fn=load)

    @cached_property
    def campaign_cases(self) -> DataLoader[CampaignCases, list[DissolutionCase]]:
        """The request's loader of the cases of campaigns the caller may read: those of all
        the campaigns of a list in one query (one per filter asked, when they differ)."""
        service, access = self.use_cases.dissolution_reads, self.access

        async def load(asked: list[CampaignCases]) -> list[list[DissolutionCase]]:
            found: dict[CampaignCases, list[DissolutionCase]] = {}
            if access.subtrees(READ) == frozenset():
                return [[] for _ in asked]
            for stage, overdue in dict.fromkeys((a.stage, a.overdue) for a in asked):
                ids = [a.campaign_id for a in asked if (a.stage, a.overdue) == (stage, overdue)]
                cases = await service.cases_of_campaigns(ids, stage=stage, overdue=overdue)
                kept = {
                    c.id for c in await access.keep(READ, [c for of in cases for c in of], _cell_of)
                }
                found |= {
                    CampaignCases(i, stage, overdue): [c for c in of if c.id in kept]
                    for i, of in zip(ids, cases, strict=True)
                }
            return [found[a] for a in asked]

        return DataLoader(load_fn=load)


Context = Info[OrganisationsContext, None]
