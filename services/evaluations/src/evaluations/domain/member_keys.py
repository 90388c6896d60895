"""How a job result names its member: by partyorg's id, or by a key the sender holds — the
party card number [số thẻ đảng viên] or the citizen ID [số định danh cá nhân, CCCD]."""

from dataclasses import dataclass
from enum import Enum

from evaluations.domain.errors import DomainError

CITIZEN_ID_DIGITS = 12


class KeyField(Enum):
    MEMBER_ID = "memberId"
    CARD_NUMBER = "cardNumber"
    CITIZEN_ID = "citizenId"


@dataclass(frozen=True)
class MemberKey:
    field: KeyField
    value: str

    @property
    def is_members_id(self) -> bool:
        return self.field is KeyField.MEMBER_ID


def member_key(member_id: str | None, card_number: str | None, citizen_id: str | None) -> MemberKey:
    """The one key an item names its member by; a citizen ID is exactly 12 digits."""
    given = [
        MemberKey(field, value.strip())
        for field, value in (
            (KeyField.MEMBER_ID, member_id),
            (KeyField.CARD_NUMBER, card_number),
            (KeyField.CITIZEN_ID, citizen_id),
        )
        if value is not None and value.strip()
    ]
    if len(given) != 1:
        raise DomainError(
            "Name the member by exactly one of memberId, cardNumber or citizenId.",
            field=given[1].field.value if len(given) > 1 else KeyField.MEMBER_ID.value,
        )
    key = given[0]
    digits = key.value
    if key.field is KeyField.CITIZEN_ID and not (
        len(digits) == CITIZEN_ID_DIGITS and digits.isascii() and digits.isdigit()
    ):
        raise DomainError("A citizen ID is exactly 12 digits.", field=KeyField.CITIZEN_ID.value)
    return key
