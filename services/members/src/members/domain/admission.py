"""An admission's two dates and what counts from them, its introducers and the awareness-class
certificate [giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng]. Standard library only.

The decision [quyết định kết nạp] dates the admission: party age counts from it, and so does
the evaluations roster (a member is ranked from the admission decision's period on). The
ceremony [lễ kết nạp] is held within 30 working days of the decision; the 12 months of
probation count from the ceremony (from the decision while no ceremony is recorded, as for
members registered from earlier records); the cell considers recognition as official within
30 working days after the probation ends. Working days: Monday to Friday without Viet Nam's
public holidays (the service's calendar)."""

from dataclasses import dataclass
from datetime import date

from members.domain.calendar import IsHoliday, add_months, add_working_days
from members.domain.errors import DomainError

PROBATION_MONTHS = 12
CEREMONY_WITHIN_WORKING_DAYS = 30
RECOGNITION_WITHIN_WORKING_DAYS = 30
INTRODUCER_MONTHS_TOGETHER = 12
MOST_INTRODUCERS = 2
CEREMONY_RULE = "Điều lệ Đảng art. 4; 294-QĐ/TW: the ceremony within 30 working days"
RECOGNITION_RULE = "Điều lệ Đảng art. 5; 294-QĐ/TW: recognition within 30 working days"
INTRODUCER_RULE = (
    "Điều lệ Đảng art. 4: two official members who have worked with the candidate for at "
    "least a year introduce them"
)


@dataclass(frozen=True)
class Introducer:
    """An official member introducing the candidate [đảng viên giới thiệu], and since when they
    have worked together [cùng công tác]."""

    member_id: str
    worked_together_since: date


@dataclass(frozen=True)
class AwarenessCertificate:
    """The awareness-class certificate the candidate holds [giấy chứng nhận]."""

    number: str
    issued_on: date


def probation_ends(decided_on: date, ceremony_on: date | None = None) -> date:
    """12 months from the ceremony (from the decision while no ceremony is recorded)."""
    return add_months(ceremony_on or decided_on, PROBATION_MONTHS)


@dataclass(frozen=True)
class AdmissionDates:
    """What a ward reads of a member's admission on a given day."""

    decided_on: date
    ceremony_on: date | None
    ceremony_due_by: date
    ceremony_late: bool
    probation_ends_on: date
    recognition_due_by: date
    recognition_overdue: bool

    @classmethod
    def of(
        cls,
        decided_on: date,
        ceremony_on: date | None,
        probationary: bool,
        today: date,
        is_holiday: IsHoliday,
    ) -> "AdmissionDates":
        ceremony_due_by = add_working_days(decided_on, CEREMONY_WITHIN_WORKING_DAYS, is_holiday)
        ends = probation_ends(decided_on, ceremony_on)
        recognition_due_by = add_working_days(ends, RECOGNITION_WITHIN_WORKING_DAYS, is_holiday)
        return cls(
            decided_on=decided_on,
            ceremony_on=ceremony_on,
            ceremony_due_by=ceremony_due_by,
            # held late, or due and still not recorded for a probationary member
            ceremony_late=ceremony_on > ceremony_due_by
            if ceremony_on is not None
            else probationary and today > ceremony_due_by,
            probation_ends_on=ends,
            recognition_due_by=recognition_due_by,
            recognition_overdue=probationary and today > recognition_due_by,
        )


def require_ceremony_on(decided_on: date, ceremony_on: date, today: date) -> None:
    if ceremony_on < decided_on:
        raise DomainError(
            f"The admission ceremony ({ceremony_on.isoformat()}) comes after the admission "
            f"decision ({decided_on.isoformat()}).",
            field="admissionCeremonyOn",
            rule=CEREMONY_RULE,
        )
    if ceremony_on > today:
        raise DomainError(
            f"The admission ceremony ({ceremony_on.isoformat()}) is in the future: it is "
            "recorded once held.",
            field="admissionCeremonyOn",
        )


def require_certificate(certificate: AwarenessCertificate, decided_on: date) -> None:
    if not certificate.number.strip():
        raise DomainError(
            "The awareness-class certificate needs its number.", field="awarenessCertificate"
        )
    if certificate.issued_on > decided_on:
        raise DomainError(
            f"The awareness-class certificate ({certificate.issued_on.isoformat()}) is issued "
            f"before the admission decision ({decided_on.isoformat()}).",
            field="awarenessCertificate",
        )


def require_introducers(introducers: list[Introducer], decided_on: date) -> None:
    """At most two, each named once, each having worked with the candidate a year or more by
    the decision (whether each is an official member alongside the candidate is checked with
    the members themselves: `AdmissionCandidate.require_introducer`)."""
    ids = [i.member_id for i in introducers]
    if len(set(ids)) != len(ids):
        raise DomainError("An introducer is named twice.", field="introducers")
    if len(ids) > MOST_INTRODUCERS:
        raise DomainError(
            f"{len(ids)} introducers: a candidate is introduced by two official members.",
            field="introducers",
            rule=INTRODUCER_RULE,
        )
    for introducer in introducers:
        if add_months(introducer.worked_together_since, INTRODUCER_MONTHS_TOGETHER) > decided_on:
            raise DomainError(
                f"An introducer has worked with the candidate since "
                f"{introducer.worked_together_since.isoformat()}: less than a year by the "
                f"decision ({decided_on.isoformat()}).",
                field="introducers",
                memberId=introducer.member_id,
                rule=INTRODUCER_RULE,
            )
