from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from members.authorisation import Access
from members.domain import AdmissionCandidate, PartyMember, Transfer
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


def transfer_loader(info: Context) -> DataLoader[str, Transfer]:
    loader: DataLoader[str, Transfer] = info.context["transfer_loader"]
    return loader


def candidate_loader(info: Context) -> DataLoader[str, AdmissionCandidate]:
    loader: DataLoader[str, AdmissionCandidate] = info.context["candidate_loader"]
    return loader


def access_of(info: Context) -> Access:
    """The caller's rights for this request (made once, on first use)."""
    access: Access | None = info.context.get("access")
    if access is None:
        access = Access(info.context["principal"], members_of(info))
        info.context["access"] = access
    return access
