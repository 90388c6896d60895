from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from members.domain import PartyMember
from members.service import CandidateService, MemberService, TransferService

Context = Info[dict[str, Any], None]


def members_of(info: Context) -> MemberService:
    service: MemberService = info.context["members"]
    return service


def transfers_of(info: Context) -> TransferService:
    service: TransferService = info.context["transfers"]
    return service


def candidates_of(info: Context) -> CandidateService:
    service: CandidateService = info.context["candidates"]
    return service


def member_loader(info: Context) -> DataLoader[str, PartyMember]:
    """Members fetched once per request, in one query for all the ids asked for together."""
    loader: DataLoader[str, PartyMember] = info.context["member_loader"]
    return loader
