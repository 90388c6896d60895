"""Use cases of the members service, over repository Protocols."""

from dataclasses import dataclass

from members.service.candidates import CandidateService
from members.service.imports import ImportService
from members.service.members import MemberService
from members.service.papers import Papers
from members.service.relocation import Relocation
from members.service.restructurings import Restructurings
from members.service.transfers import TransferService
from members.service.transfers_in_bulk import TransfersInBulk


@dataclass(frozen=True)
class UseCases:
    """Every use case of the service, as `main` wires them over one database."""

    members: MemberService
    transfers: TransferService
    transfers_in_bulk: TransfersInBulk
    relocation: Relocation
    candidates: CandidateService
    imports: ImportService
    papers: Papers


__all__ = [
    "CandidateService",
    "ImportService",
    "MemberService",
    "Papers",
    "Relocation",
    "Restructurings",
    "TransferService",
    "TransfersInBulk",
    "UseCases",
]
