"""Rankings across a restructuring, on FerretDB and RabbitMQ: a cell handed over to another
ward and a cell merged into another, told by `restructuring.completed.v1`. Periods that end
before the effective date stay with the old units (their ward's report shows them); the year
of the change is the new units'."""

from typing import Any

from evaluations import events
from kit.testing import ServiceUnderTest, eventually

from services.evaluations.tests.integration.test_ranking import propose

SUMMARY = """query ($o: _Any!, $p: String!) {
  _entities(representations: [$o]) {
    ... on Organisation { evaluationSummary(period: $p) { evaluated proposalsWaiting } }
  }
}"""


async def evaluated(service: ServiceUnderTest, organisation: str, period: str) -> int:
    data = await service.execute_ok(
        SUMMARY, {"o": {"__typename": "Organisation", "id": organisation}, "p": period}
    )
    return int(data["_entities"][0]["evaluationSummary"]["proposalsWaiting"])


def completed(case_id: str, moved: list[dict[str, Any]], ceased: list[dict[str, Any]]) -> dict:
    return {
        "caseId": case_id,
        "kind": "HAND_OVER" if moved else "MERGE_INTO",
        "campaignId": None,
        "sourceIds": [m["organisationId"] for m in moved] or [c["organisationId"] for c in ceased],
        "receivingId": moved[0]["toParentId"] if moved else ceased[0]["successorIds"][0],
        "newOrganisations": [],
        "stage": "COMPLETED",
        "fromStage": "HANDED_OVER",
        "at": "2019-07-01T08:00:00+07:00",
        "actor": "Bí thư Thành ủy",
        "note": None,
        "decision": {
            "number": "1234-QĐ/TU",
            "signedOn": "2019-06-20",
            "signer": "Bí thư",
            "effectiveOn": "2019-07-01",
        },
        "effectiveOn": "2019-07-01",
        "acceptance": {"acceptedOn": "2019-07-01", "signer": "Bí thư", "decisionNumber": None},
        "moved": moved,
        "ceased": ceased,
    }


async def test_a_handed_over_cell_leaves_its_earlier_periods_with_the_old_ward(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, (giving, receiving), (cell, _), (member, theirs) = await scenario.two_wards()
    await propose(service, member, "2019-05", "GOOD")
    for someone in (member, theirs):
        await propose(service, someone, "2019", "GOOD")
    hand_over = completed(
        f"case-{cell}",
        [{"organisationId": cell, "fromParentId": giving, "toParentId": receiving, "code": None}],
        [],
    )
    await service.deliver(events.RESTRUCTURING_COMPLETED, hand_over)
    await service.deliver(
        events.ORGANISATION_UPDATED,
        {
            "organisationId": cell,
            "code": cell.upper(),
            "name": cell,
            "kind": "CELL",
            "cellType": "RESIDENTIAL",
            "parentId": receiving,
            "ancestorIds": [district, receiving],
            "status": "ACTIVE",
            "coverage": [],
            "dissolvedOn": None,
            "version": 2,
        },
    )

    async def the_year_is_the_receiving_wards() -> None:
        assert await evaluated(service, receiving, "2019") == 2  # its own and the cell's

    await eventually(the_year_is_the_receiving_wards)
    assert await evaluated(service, giving, "2019") == 0
    assert await evaluated(service, giving, "2019-05") == 1  # ended before: the old ward's
    assert await evaluated(service, receiving, "2019-05") == 0
    await service.deliver(events.RESTRUCTURING_COMPLETED, hand_over)  # again: nothing changes
    db = service.app.state.runtime.db
    stored = await db["known_organisations"].find_one({"_id": cell})
    assert stored is not None and len(stored["former"]) == 1


async def test_a_merged_cells_members_follow_it_from_the_effective_date(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, _, (_, merged, successor) = await scenario.ward()
    member = await scenario.member(merged)
    await scenario.until_evaluated_by(member, "2019-10", merged)
    await propose(service, member, "2019-05", "GOOD")
    await propose(service, member, "2019", "GOOD")
    merger = completed(
        f"case-{merged}",
        [],
        [{"organisationId": merged, "status": "MERGED", "successorIds": [successor]}],
    )

    await service.deliver(events.RESTRUCTURING_COMPLETED, merger)
    await scenario.until_evaluated_by(member, "2019", successor)

    async def the_years_proposal_followed() -> None:  # the roster moves first, then the proposal
        assert await evaluated(service, successor, "2019") == 1

    await eventually(the_years_proposal_followed)
    await service.deliver(events.RESTRUCTURING_COMPLETED, merger)  # again, under a new id

    assert await scenario.evaluated_by(member, "2019-05") == merged
    assert await evaluated(service, successor, "2019") == 1
    assert await evaluated(service, merged, "2019-05") == 1
    entry = await service.app.state.runtime.db["roster"].find_one({"_id": member})
    assert entry is not None and len(entry["placements"]) == 2
