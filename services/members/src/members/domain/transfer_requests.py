"""What a request for a transfer must meet: a reason one may ask for, and a TEMPORARY stay's
length. Standard library only."""

from datetime import date

from members.domain.calendar import add_months
from members.domain.errors import DomainError
from members.domain.organisations import regulation_on
from members.domain.transfers import TransferReason

# sinh hoạt đảng tạm thời (RULES.md): 3 months to under 1 year away; to study, 3 months to 2 years
TEMPORARY_AT_LEAST_MONTHS = 3
TEMPORARY_UNDER_MONTHS = 12
STUDY_AT_MOST_MONTHS = 24


def require_temporary_period(start: date, until: date | None, reason: TransferReason) -> None:
    """A TEMPORARY transfer lasts from 3 months to under 1 year; to study, up to 2 years."""
    if until is None:
        raise DomainError("A TEMPORARY transfer needs its end date.", field="until")
    rule = f"{regulation_on(start)} (sinh hoạt đảng tạm thời)"
    if until < add_months(start, TEMPORARY_AT_LEAST_MONTHS):
        raise DomainError("A TEMPORARY transfer lasts at least 3 months.", field="until", rule=rule)
    if reason is TransferReason.STUDY:
        if until > add_months(start, STUDY_AT_MOST_MONTHS):
            raise DomainError(
                "A TEMPORARY transfer to study lasts from 3 months to 2 years.",
                field="until",
                rule=rule,
            )
    elif until >= add_months(start, TEMPORARY_UNDER_MONTHS):
        raise DomainError(
            "A TEMPORARY transfer lasts from 3 months to under 1 year (to study, up to 2 "
            "years: reason STUDY).",
            field="until",
            rule=rule,
        )


def require_requestable_reason(reason: TransferReason) -> None:
    """CELL_DISSOLVED transfers come from a dissolution decision, never from a request."""
    if reason is TransferReason.CELL_DISSOLVED:
        raise DomainError(
            "Transfers for a dissolved cell are created by its dissolution decision.",
            field="reason",
        )
