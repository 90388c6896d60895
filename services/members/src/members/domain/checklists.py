"""What travels with a member on a transfer [hồ sơ chuyển sinh hoạt đảng]. Standard library
only."""

import re
from dataclasses import dataclass

from members.domain.errors import DomainError


@dataclass(frozen=True)
class Checklist:
    """What travels with the member (RULES.md: transfers of party activity)."""

    introduction_letter: bool = False
    member_record_sheet: bool = False
    sealed_member_file: bool = False
    party_card_or_admission_file: bool = False
    last_self_review: bool = False
    dues_paid_through: str | None = None

    def missing(self) -> list[str]:
        items = {
            "introductionLetter": self.introduction_letter,
            "memberRecordSheet": self.member_record_sheet,
            "sealedMemberFile": self.sealed_member_file,
            "partyCardOrAdmissionFile": self.party_card_or_admission_file,
            "lastSelfReview": self.last_self_review,
            "duesPaidThrough": self.dues_paid_through is not None,
        }
        return [name for name, present in items.items() if not present]


def require_month(value: str | None) -> None:
    if value is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise DomainError(
            "Party dues are recorded as paid through a month written YYYY-MM.",
            field="duesPaidThrough",
        )
