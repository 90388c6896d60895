"""Rankings across a restructuring (issue 14, item 4): periods that end before the effective
date stay with the old units; the year of the change is ranked by the new grassroots
organisation, whose EXCELLENT quota counts its own members; a merged cell's members are
evaluated by its successor from the effective date."""

from dataclasses import replace
from datetime import date

from evaluations import events
from evaluations.domain import Period, Placement, Rating, RosterEntry
from evaluations.service import UseCases
from evaluations.service.commands import FinaliseRatings, ProposeRating
from evaluations.service.finalisations import FinalisationOutcome

from services.evaluations.tests.unit.fakes import Fakes, organisation

EFFECTIVE = "2019-07-01"
GV_CELLS = ["gv-agency", "gv-tdp-1", "gv-tdp-2"]


def completed(kind: str, moved: list[tuple[str, str, str]], ceased: dict[str, str]) -> dict:
    return {
        "caseId": f"case-{kind}",
        "kind": kind,
        "effectiveOn": EFFECTIVE,
        "moved": [
            {"organisationId": o, "fromParentId": f, "toParentId": t, "code": None}
            for o, f, t in moved
        ],
        "ceased": [
            {"organisationId": o, "status": "MERGED", "successorIds": [successor]}
            for o, successor in ceased.items()
        ],
    }


async def merge_the_wards(service: UseCases, fakes: Fakes) -> None:
    """Giảng Võ and Kim Mã merge into a new ward under the city; the cells' new parent is
    told by organisation.updated after the completion (the order events may come in)."""
    await service.roster.learn_organisations(
        [organisation("new-ward", "WARD_COMMITTEE", ("ha-noi",))]
    )
    moved = [(c, "giang-vo", "new-ward") for c in GV_CELLS] + [("km-tdp-1", "kim-ma", "new-ward")]
    merger = completed("MERGE_NEW", moved, {"giang-vo": "new-ward", "kim-ma": "new-ward"})
    await service.roster.follow_restructuring(events.completed_restructuring(merger), "e1")
    await service.roster.learn_organisations(
        [
            replace(
                fakes.organisations.organisations[cell],
                parent_id="new-ward",
                ancestor_ids=("ha-noi", "new-ward"),
                version=2,
            )
            for cell in [*GV_CELLS, "km-tdp-1"]
        ]
    )


async def test_a_period_before_the_effective_date_stays_with_the_old_ward(
    service: UseCases, fakes: Fakes
) -> None:
    await merge_the_wards(service, fakes)
    roster = service.roster

    [(before, cells_before)] = await roster.grassroots_of(["km-tdp-1"], date(2019, 6, 30))
    [(after, cells_after)] = await roster.grassroots_of(["km-tdp-1"], date(2019, 12, 31))

    assert (before, cells_before) == ("kim-ma", ["km-tdp-1"])
    assert (after, cells_after) == ("new-ward", sorted([*GV_CELLS, "km-tdp-1"]))
    assert await roster.cells_within("kim-ma", date(2018, 12, 31)) == ["km-tdp-1"]
    assert await roster.cells_within("new-ward", date(2018, 12, 31)) == ["new-ward"]  # none
    assert sorted(await roster.cells_within("new-ward", date(2019, 12, 31))) == sorted(
        [*GV_CELLS, "km-tdp-1"]
    )


async def propose(service: UseCases, member: str, cell: str, year: str, rating: Rating) -> None:
    entry = RosterEntry(member, member, "OTHER", [Placement(cell, None)])
    await service.roster.enrol(entry, 1, f"registered-{member}")
    await service.evaluations.propose_rating(
        ProposeRating(member, year, rating, None, None), "cell secretary"
    )


async def test_the_year_of_the_change_is_ranked_by_the_new_ward_and_its_own_quota(
    service: UseCases, fakes: Fakes
) -> None:
    for year in ("2018", "2019"):
        for n in range(5):
            await propose(service, f"km-good-{n}", "km-tdp-1", year, Rating.GOOD)
            await propose(service, f"gv-good-{n}", "gv-tdp-1", year, Rating.GOOD)
        for n in range(2):
            await propose(service, f"km-excellent-{n}", "km-tdp-1", year, Rating.EXCELLENT)
    await merge_the_wards(service, fakes)
    finalise = service.finalisations.finalise

    old_year = await finalise(FinaliseRatings("kim-ma", "2018"), "Đảng ủy phường Kim Mã")
    new_year = await finalise(FinaliseRatings("new-ward", "2019"), "Đảng ủy phường mới")
    not_the_old_wards = await finalise(FinaliseRatings("kim-ma", "2019"), "Đảng ủy phường Kim Mã")

    def outcomes(results: list) -> list[FinalisationOutcome]:
        return [r.outcome for r in results if r.member_id.startswith("km-excellent")]

    # 2018: Kim Mã's own 5 GOOD allow one EXCELLENT; Giảng Võ's members are not its own
    assert outcomes(old_year) == [FinalisationOutcome.FINALISED, FinalisationOutcome.REFUSED]
    assert {r.member_id.split("-")[0] for r in old_year} == {"km"}
    # 2019: the new ward's 10 GOOD allow two
    assert outcomes(new_year) == [FinalisationOutcome.FINALISED] * 2
    assert len(new_year) == 12 and not_the_old_wards == []
    places = await fakes.excellent_places.of_ward("new-ward", Period.parse("2019"))
    assert places is not None and len(places.excellent) == 2


async def test_a_merged_cells_members_are_evaluated_by_its_successor_from_the_effective_date(
    service: UseCases, fakes: Fakes
) -> None:
    await propose(service, "an", "km-tdp-1", "2019", Rating.GOOD)
    await propose(service, "an", "km-tdp-1", "2019-05", Rating.GOOD)
    merger = completed("MERGE_INTO", [], {"km-tdp-1": "gv-tdp-1"})

    for event_id in ("e1", "e2"):  # a redelivery under a new id moves nobody twice
        await service.roster.follow_restructuring(events.completed_restructuring(merger), event_id)

    entry = await service.roster.entry("an")
    assert entry.cell_for(Period.parse("2019")) == "gv-tdp-1"
    assert entry.cell_for(Period.parse("2019-05")) == "km-tdp-1"  # ended before: stays
    assert len(entry.placements) == 2
    by_period = {str(e.period): e.cell_id for e in fakes.evaluations.evaluations.values()}
    assert by_period == {"2019": "gv-tdp-1", "2019-05": "km-tdp-1"}
