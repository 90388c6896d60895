"""A member's history: the dated changes of where their party activity is — admission,
transfers received, and the restructurings their cell followed; and a candidate's moves, the
same without the admission. Standard library only."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from members.domain.members import PartyMember
from members.domain.restructuring import OrganisationChange
from members.domain.transfers import Transfer, TransferKind, TransferState


class HistoryKind(Enum):
    ADMITTED = "ADMITTED"
    TRANSFERRED = "TRANSFERRED"
    HANDED_OVER = "HANDED_OVER"  # chuyển giao tổ chức
    MERGED = "MERGED"  # hợp nhất, sáp nhập
    SPLIT = "SPLIT"  # chia tách


RESTRUCTURED = {
    "HAND_OVER": HistoryKind.HANDED_OVER,
    "MERGE_NEW": HistoryKind.MERGED,
    "MERGE_INTO": HistoryKind.MERGED,
    "SPLIT": HistoryKind.SPLIT,
}


@dataclass(frozen=True)
class HistoryEntry:
    on: date
    kind: HistoryKind
    from_organisation_id: str | None = None
    to_organisation_id: str | None = None
    restructuring: OrganisationChange | None = None
    transfer: Transfer | None = None


def history_of(member: PartyMember, transfers: Sequence[Transfer]) -> list[HistoryEntry]:
    """Oldest first: the admission, each transfer that moved the member (a TEMPORARY stay
    leaves them on their cell's list), each restructuring from its effective date."""
    admission = HistoryEntry(member.admitted_on, HistoryKind.ADMITTED)
    return sorted(
        [admission, *moves_of(member.id, member.restructurings, transfers)],
        key=lambda entry: entry.on,
    )


def moves_of(
    person_id: str, restructurings: Sequence[OrganisationChange], transfers: Sequence[Transfer]
) -> list[HistoryEntry]:
    """Oldest first, where a person's cell changed: each transfer received that moved them (a
    candidate's re-homing too), each restructuring from its effective date."""
    entries = [
        HistoryEntry(
            t.received_on,
            HistoryKind.TRANSFERRED,
            t.from_organisation_id,
            t.to_organisation_id,
            transfer=t,
        )
        for t in transfers
        if t.person_id == person_id
        and t.state is TransferState.RECEIVED
        and t.kind is not TransferKind.TEMPORARY
        and t.received_on is not None
    ]
    entries.extend(
        HistoryEntry(
            change.on,
            RESTRUCTURED[change.kind],
            change.from_organisation_id,
            change.to_organisation_id,
            restructuring=change,
        )
        for change in restructurings
    )
    return sorted(entries, key=lambda entry: entry.on)
