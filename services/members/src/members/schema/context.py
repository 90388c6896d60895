from typing import Any

from strawberry.types import Info

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
