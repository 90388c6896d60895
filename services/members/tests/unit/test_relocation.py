from datetime import date

from members.domain import DissolutionCase, PersonKind, TransferState
from members.domain.relocation import (
    proposed_placements,
    relocation_transfer_id,
    relocation_transfers,
)
from members_factories import WARD, candidate, cell, member

CASE = DissolutionCase(id="case-gv", cell_id="agency", ward_committee_id=WARD, decided=True)
TDP1 = cell("tdp1", coverage=["Tổ dân phố 1"])
TDP2 = cell("tdp2", coverage=["To dan pho 2", "Tổ dân phố 3"])


def test_each_person_is_proposed_the_residential_cell_covering_their_group() -> None:
    placements = proposed_placements(
        [
            member("a", group="Tổ dân phố 1"),
            member("b", group="tổ dân phố 3"),
            member("c", group="Tổ 99"),
        ],
        [candidate("k", group="Tổ dân phố 2")],
        [TDP1, TDP2],
    )
    assert [(p.person_id, p.cell.id if p.cell else None) for p in placements] == [
        ("a", "tdp1"),
        ("b", "tdp2"),
        ("c", None),
        ("k", "tdp2"),
    ]


def test_the_plan_override_wins_over_the_proposal_and_unplaced_people_need_a_destination() -> None:
    placements = proposed_placements(
        [member("a", group="Tổ dân phố 1"), member("c", group=None)], [], [TDP1, TDP2]
    )
    transfers = relocation_transfers(
        CASE, placements, {"a": "tdp2"}, {"tdp1": TDP1, "tdp2": TDP2}, date(2019, 9, 25)
    )
    assert [(t.to_organisation_id, t.state) for t in transfers] == [
        ("tdp2", TransferState.AWAITING_INTRODUCTION),
        (None, TransferState.NEEDS_DESTINATION),
    ]


def test_an_override_outside_the_ward_is_not_applied_and_says_why() -> None:
    elsewhere = cell("kim-ma-tdp", parent="ward-kim-ma", ancestor_ids=["ward-kim-ma"])
    placements = proposed_placements([member("a", group="Tổ dân phố 1")], [], [TDP1])
    [transfer] = relocation_transfers(
        CASE, placements, {"a": "kim-ma-tdp"}, {"kim-ma-tdp": elsewhere}, date(2019, 9, 25)
    )
    assert transfer.state is TransferState.NEEDS_DESTINATION
    assert transfer.note is not None and "outside the ward" in transfer.note


def test_transfer_ids_are_the_same_for_the_same_case_and_person() -> None:
    placements = proposed_placements([member("a")], [candidate("k")], [TDP1, TDP2])
    first = relocation_transfers(CASE, placements, {}, {}, date(2019, 9, 25))
    again = relocation_transfers(CASE, placements, {}, {}, date(2019, 9, 25))
    assert [t.id for t in first] == [t.id for t in again]
    assert first[0].id == relocation_transfer_id("case-gv", "a")
    assert [t.person_kind for t in first] == [PersonKind.MEMBER, PersonKind.CANDIDATE]
