"""The restructuring case as a state machine, and the checks of its plan against the tree."""

from datetime import UTC, date, datetime

import pytest
from organisations.domain import (
    Acceptance,
    Action,
    CellType,
    Decision,
    DomainError,
    HandoverRecord,
    InvalidTransition,
    NewUnit,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    RestructuringCase,
    RestructuringKind,
    RestructuringStage,
)
from organisations.domain.restructuring_plans import Tree, check_plan, outcome_of

ACTION = Action("Bí thư Thành ủy", datetime(2025, 7, 2, tzinfo=UTC))
DECISION = Decision("1234-QĐ/TU", date(2025, 6, 20), "Bí thư Thành ủy", date(2025, 7, 1))


def org(id: str, kind: OrganisationKind, parent: Organisation | None = None) -> Organisation:
    cell_type = CellType.RESIDENTIAL if kind is OrganisationKind.CELL else None
    return Organisation.register(
        id=id, code=id.upper(), name=id, kind=kind, parent=parent, cell_type=cell_type
    )


HN = org("hn", OrganisationKind.CITY_COMMITTEE)
BD = org("bd", OrganisationKind.DISTRICT_COMMITTEE, HN)
KM = org("km", OrganisationKind.WARD_COMMITTEE, BD)
GV = org("gv", OrganisationKind.WARD_COMMITTEE, BD)
KM_1 = org("km-1", OrganisationKind.CELL, KM)
HP = org("hp", OrganisationKind.CITY_COMMITTEE)
HP_W = org(
    "hp-w", OrganisationKind.WARD_COMMITTEE, org("hp-d", OrganisationKind.DISTRICT_COMMITTEE, HP)
)
TREE = Tree({o.id: o for o in (HN, BD, KM, GV, KM_1, HP_W)}, {"km": [KM_1], "gv": []})


def hand_over(source: str = "km-1", to: str = "gv") -> RestructuringCase:
    return RestructuringCase(
        "c", RestructuringKind.HAND_OVER, [source], ACTION.at, "Thành ủy", receiving_id=to
    )


def record(organisation_id: str = "km-1") -> HandoverRecord:
    return HandoverRecord(organisation_id, date(2025, 6, 28), "A", "B", 31)


def test_a_hand_over_runs_decision_record_acceptance_to_completed() -> None:
    case = hand_over()
    case.issue_decision(DECISION, ACTION)
    case.record_handover(record(), ACTION)
    assert case.stage is RestructuringStage.HANDED_OVER
    case.accept(Acceptance(date(2025, 7, 1), "B"), outcome_of(case, TREE), ACTION)
    assert case.stage is RestructuringStage.COMPLETED
    assert [e.to_stage for e in case.audit_trail] == [
        RestructuringStage.DECIDED,
        RestructuringStage.HANDED_OVER,
        RestructuringStage.COMPLETED,
    ]
    assert case.outcome is not None and case.outcome.moves[0].to_parent_id == "gv"


def test_steps_out_of_order_are_invalid_transitions() -> None:
    case = hand_over()
    with pytest.raises(InvalidTransition):
        case.record_handover(record(), ACTION)
    with pytest.raises(InvalidTransition):
        case.accept(Acceptance(date(2025, 7, 1), "B"), outcome_of(case, TREE), ACTION)
    case.issue_decision(DECISION, ACTION)
    with pytest.raises(InvalidTransition):
        case.issue_decision(DECISION, ACTION)


def test_a_merge_waits_for_every_hand_over_record_and_one_is_not_recorded_twice() -> None:
    case = RestructuringCase(
        "m", RestructuringKind.MERGE_INTO, ["km", "bd2"], ACTION.at, "x", receiving_id="gv"
    )
    case.issue_decision(DECISION, ACTION)
    case.record_handover(record("km"), ACTION)
    assert case.stage is RestructuringStage.HANDING_OVER and case.awaiting_handover == ["bd2"]
    with pytest.raises(InvalidTransition):
        case.record_handover(record("km"), ACTION)
    with pytest.raises(DomainError):
        case.record_handover(record("someone-else"), ACTION)


def test_a_hand_over_record_is_not_signed_before_the_decision() -> None:
    case = hand_over()
    case.issue_decision(DECISION, ACTION)
    early = HandoverRecord("km-1", date(2025, 6, 1), "A", "B", 3)
    with pytest.raises(DomainError, match="before the decision"):
        case.record_handover(early, ACTION)
    assert case.stage is RestructuringStage.DECIDED


def test_a_hand_over_into_its_own_subtree_is_a_cycle() -> None:
    with pytest.raises(DomainError, match="cycle"):
        check_plan(hand_over("bd", "km"), TREE)


def test_a_hand_over_to_another_citys_committee_is_refused() -> None:
    with pytest.raises(DomainError, match="another city"):
        check_plan(hand_over("km-1", "hp-w"), TREE)


def test_nothing_merges_into_a_merged_organisation() -> None:
    merged = org("nk", OrganisationKind.WARD_COMMITTEE, BD)
    merged.cease(OrganisationStatus.MERGED, date(2025, 7, 1), ["gv"], "earlier")
    tree = Tree({**TREE.organisations, "nk": merged}, TREE.children)
    case = RestructuringCase(
        "m", RestructuringKind.MERGE_INTO, ["km"], ACTION.at, "x", receiving_id="nk"
    )
    with pytest.raises(DomainError, match="MERGED"):
        check_plan(case, tree)


def test_a_merge_into_a_new_ward_moves_the_cells_and_ceases_the_wards() -> None:
    case = RestructuringCase(
        "n",
        RestructuringKind.MERGE_NEW,
        ["km", "gv"],
        ACTION.at,
        "x",
        new_units=[NewUnit("new", "HN-GV", "Giảng Võ", "hn")],
    )
    check_plan(case, TREE)
    outcome = outcome_of(case, TREE)
    assert [(m.organisation_id, m.to_parent_id) for m in outcome.moves] == [("km-1", "new")]
    assert {c.organisation_id for c in outcome.cessations} == {"km", "gv"}
    assert all(c.successor_ids == ["new"] for c in outcome.cessations)


def test_a_moved_organisation_shows_its_old_parent_and_code_before_the_effective_date() -> None:
    cell = org("x-1", OrganisationKind.CELL, KM)
    cell.move_to(GV, date(2025, 7, 1), "c", "GV-1")
    assert cell.parent_on(date(2025, 6, 30)) == "km" and cell.parent_on(date(2025, 7, 1)) == "gv"
    assert cell.code_on(date(2019, 10, 1)) == "X-1" and cell.code_on(date(2025, 7, 1)) == "GV-1"
    assert cell.moved_by("c")
