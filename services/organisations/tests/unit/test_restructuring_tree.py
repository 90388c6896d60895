"""A completed restructuring applied to the tree: the moves and their subtrees saved at once,
and applied again after a crash without moving anything twice."""

import copy
from datetime import UTC, date, datetime

from organisations.domain import (
    Acceptance,
    Action,
    CellType,
    Decision,
    HandoverRecord,
    Organisation,
    OrganisationKind,
    RestructuringCase,
    RestructuringKind,
)
from organisations.domain.restructuring_plans import outcome_of
from organisations.service.restructuring_tree import RestructuringTree

from services.organisations.tests.unit.fakes import InMemoryOrganisations, Outbox

ACTION = Action("Bí thư Thành ủy", datetime(2025, 7, 2, tzinfo=UTC))
DECISION = Decision("1234-QĐ/TU", date(2025, 6, 20), "Bí thư Thành ủy", date(2025, 7, 1))


def org(id: str, kind: OrganisationKind, parent: Organisation | None = None) -> Organisation:
    cell_type = CellType.RESIDENTIAL if kind is OrganisationKind.CELL else None
    return Organisation.register(
        id=id, code=id.upper(), name=id, kind=kind, parent=parent, cell_type=cell_type
    )


async def a_ward_handed_over_to_the_city() -> tuple[
    InMemoryOrganisations, RestructuringTree, RestructuringCase
]:
    """Ward KM, with two cells, handed over from district BD to city HN, completed."""
    hn = org("hn", OrganisationKind.CITY_COMMITTEE)
    bd = org("bd", OrganisationKind.DISTRICT_COMMITTEE, hn)
    km = org("km", OrganisationKind.WARD_COMMITTEE, bd)
    cells = [org(f"km-{n}", OrganisationKind.CELL, km) for n in (1, 2)]
    organisations = InMemoryOrganisations(Outbox())
    for organisation in (hn, bd, km, *cells):
        await organisations.add(organisation, [])
    tree = RestructuringTree(organisations)
    case = RestructuringCase(
        "c", RestructuringKind.HAND_OVER, ["km"], ACTION.at, "Thành ủy", receiving_id="hn"
    )
    case.issue_decision(DECISION, ACTION)
    case.record_handover(HandoverRecord("km", date(2025, 6, 28), "A", "B", 31), ACTION)
    case.accept(Acceptance(date(2025, 7, 1), "B"), outcome_of(case, await tree.read(case)), ACTION)
    return organisations, tree, case


async def test_a_moved_ward_and_its_cells_are_saved_in_one_write_with_an_event_each() -> None:
    organisations, tree, case = await a_ward_handed_over_to_the_city()
    await tree.apply(case)
    for cell in ("km-1", "km-2"):
        assert organisations.stored[cell].ancestor_ids == ["hn", "km"]
    assert organisations.stored["km"].parent_id == "hn"
    updated = organisations.outbox.of_type("organisation.updated.v1")
    assert sorted(e["subject"] for e in updated) == ["km", "km-1", "km-2"]


async def test_applied_again_after_a_crash_the_subtree_follows_and_nothing_moves_twice() -> None:
    organisations, tree, case = await a_ward_handed_over_to_the_city()
    await tree.apply(case)
    moved = copy.deepcopy(organisations.stored)
    # as if the crash came after the ward's write and before its second cell's
    organisations.stored["km-2"].ancestor_ids = ["hn", "bd", "km"]
    organisations.outbox.events.clear()
    await tree.apply(case)
    assert organisations.stored["km-2"].ancestor_ids == ["hn", "km"]
    assert organisations.stored["km"].parent_history == moved["km"].parent_history
    assert organisations.stored["km-1"].version == moved["km-1"].version
    updated = organisations.outbox.of_type("organisation.updated.v1")
    assert [e["subject"] for e in updated] == ["km-2"]
