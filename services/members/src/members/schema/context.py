"""What each resolver finds in `info.context`: the kit's (the use cases, who is asking, the
access log), the request's loaders and the caller's rights."""

from dataclasses import dataclass
from functools import cached_property

from kit.graphql_context import ServiceContext
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from members.domain import AdmissionCandidate, PartyMember, Transfer
from members.schema.access import Access
from members.service import UseCases


@dataclass(kw_only=True, eq=False)
class MembersContext(ServiceContext[UseCases]):
    @cached_property
    def member_loader(self) -> DataLoader[str, PartyMember]:
        """Members fetched once per request, in one query for all the ids asked for together."""
        return DataLoader(load_fn=self.use_cases.members.members_by_id)

    @cached_property
    def transfer_loader(self) -> DataLoader[str, Transfer]:
        return DataLoader(load_fn=self.use_cases.transfers.transfers_by_id)

    @cached_property
    def candidate_loader(self) -> DataLoader[str, AdmissionCandidate]:
        return DataLoader(load_fn=self.use_cases.candidates.candidates_by_id)

    @cached_property
    def access(self) -> Access:
        """The caller's rights for this request (made once, on first use)."""
        return Access(self.principal, self.use_cases.members)


Context = Info[MembersContext, None]
