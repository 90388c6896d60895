"""A member's history: admission, the transfers that moved them, and the restructurings their
cell followed with the decision, oldest first."""

from dataclasses import replace
from datetime import date

from members import consumed_events
from members.domain import Checklist, TransferKind
from members.domain.history import HistoryKind, history_of
from members.domain.restructuring import ParentChange
from members_factories import cell, member
from test_transfers import internal

COMPLETED = {
    "caseId": "case-2025",
    "kind": "MERGE_NEW",
    "decision": {
        "number": "1234-QĐ/TU",
        "signedOn": "2025-06-20",
        "signer": "Bí thư Thành ủy",
        "effectiveOn": "2025-07-01",
    },
    "moved": [
        {"organisationId": "tdp1", "fromParentId": "ward-gv", "toParentId": "ward-new"},
    ],
    "ceased": [
        {"organisationId": "ward-gv", "status": "MERGED", "successorIds": ["ward-new"]},
        {"organisationId": "split", "status": "SPLIT", "successorIds": ["a", "b"]},
    ],
}


def test_a_completed_restructuring_reads_as_its_parent_changes_and_merges() -> None:
    completed = consumed_events.completed_restructuring(COMPLETED)
    assert completed.decision.effective_on == date(2025, 7, 1)
    assert completed.parent_changes == [ParentChange("tdp1", "ward-gv", "ward-new")]
    assert [(m.cell_id, m.successor_id) for m in completed.cell_merges] == [("ward-gv", "ward-new")]


def test_the_history_shows_the_2019_transfer_then_the_2025_merger_with_its_decision() -> None:
    someone = member(organisation_id="agency")
    received = (
        internal()
        .with_destination(cell("tdp1"))
        .introduced("12-GGT/ĐU", date(2019, 10, 1), lambda _: False, Checklist())
        .received(date(2019, 10, 8))
    )
    completed = consumed_events.completed_restructuring(COMPLETED)
    moved = someone.moved_to("tdp1").followed(
        completed.change_for_parent_change(completed.parent_changes[0])
    )

    history = history_of(moved, [received])

    assert [(e.on, e.kind) for e in history] == [
        (date(2010, 3, 2), HistoryKind.ADMITTED),
        (date(2019, 10, 8), HistoryKind.TRANSFERRED),
        (date(2025, 7, 1), HistoryKind.MERGED),
    ]
    transferred, merged = history[1], history[2]
    assert (transferred.from_organisation_id, transferred.to_organisation_id) == ("agency", "tdp1")
    assert (merged.from_organisation_id, merged.to_organisation_id) == ("ward-gv", "ward-new")
    assert merged.restructuring is not None
    assert merged.restructuring.decision.number == "1234-QĐ/TU"
    assert merged.restructuring.organisation_id == "tdp1"
    assert moved.organisation_id == "tdp1"  # handed on with its cell, still in it


def test_a_merged_cells_member_moves_to_the_successor_and_follows_a_case_once() -> None:
    completed = consumed_events.completed_restructuring(
        {**COMPLETED, "kind": "MERGE_INTO", "moved": []}
    )
    (merge,) = completed.cell_merges
    followed = member(organisation_id="ward-gv").followed(
        completed.change_for_cell_merge(merge), merge.successor_id
    )
    assert followed.organisation_id == "ward-new"
    assert followed.has_followed("case-2025") and not followed.has_followed("another")
    assert [e.kind for e in history_of(followed, [])][-1] is HistoryKind.MERGED


def test_a_temporary_stay_or_an_open_transfer_is_not_in_the_history() -> None:
    someone = member()
    introduced = (
        internal()
        .with_destination(cell("tdp1"))
        .introduced("12-GGT/ĐU", date(2019, 10, 1), lambda _: False, Checklist())
    )
    temporary = replace(introduced.received(date(2019, 10, 8)), kind=TransferKind.TEMPORARY)
    assert [e.kind for e in history_of(someone, [introduced, temporary])] == [HistoryKind.ADMITTED]
