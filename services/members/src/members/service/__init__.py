"""Use cases of the members service, over repository Protocols."""

from members.service.candidates import CandidateService
from members.service.imports import ImportService
from members.service.members import MemberService
from members.service.transfers import TransferService
from members.service.transfers_in_bulk import TransfersInBulk

__all__ = [
    "CandidateService",
    "ImportService",
    "MemberService",
    "TransferService",
    "TransfersInBulk",
]
