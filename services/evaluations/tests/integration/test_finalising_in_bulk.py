"""A ward's ratings for a year finalised in one call: the rules of one finalisation, the
EXCELLENT quota counted as the batch goes, each rating answered on its own, told once."""

import asyncio
from typing import Any

from kit.identity import Role
from kit.testing import FINDS, ServiceUnderTest, eventually

from services.evaluations.tests.integration.support import acting_as
from services.evaluations.tests.integration.test_ranking import assess, propose

FINALISE_ALL = """
mutation($input: FinaliseRatingsInput!) {
  finaliseRatings(input: $input) {
    finalised alreadyFinalised refused
    items { memberId outcome evaluation { state finalRating } error { code message field } }
  }
}"""
FINALISED = "partyorg.evaluations.evaluation.finalised.v1"


def outcomes(answer: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {
        item["memberId"]: (item["outcome"], item["error"]["code"] if item["error"] else None)
        for item in answer["items"]
    }


async def test_a_wards_proposals_are_finalised_at_once_within_the_excellent_quota(
    scenario: Any, service: ServiceUnderTest, published: Any
) -> None:
    _, ward, (agency, first, second) = await scenario.ward()
    await scenario.until_known(ward, agency, first, second)
    cells = [(first, second)[n % 2] for n in range(14)]
    members = [await scenario.member(cell, "OTHER") for cell in cells]
    for member, cell in zip(members, cells, strict=True):
        await scenario.until_evaluated_by(member, "2019", cell)
    good, excellent = members[:10], members[10:13]
    # proposed EXCELLENT before the GOODs: one by one in that order the quota would refuse them
    for member in excellent:
        await propose(service, member, "2019", "EXCELLENT")
    for member in good:
        await propose(service, member, "2019", "GOOD")
    # a cadre ranked EXCELLENT without EXCELLENT job results: refused by its own rule
    cadre = await scenario.member(first, "CADRE")
    await scenario.until_evaluated_by(cadre, "2019", first)
    await assess(service, cadre, "2019", "GOOD")
    await propose(service, cadre, "2019", "EXCELLENT")
    everything = {"input": {"organisationId": ward, "period": "2019", "by": "Đảng ủy phường"}}

    first_run = (await service.execute_ok(FINALISE_ALL, everything))["finaliseRatings"]

    results = outcomes(first_run)
    assert (first_run["finalised"], first_run["refused"]) == (12, 2)
    assert {results[m] for m in good} == {("FINALISED", None)}
    # the batch's GOODs first, then its EXCELLENTs in id order: 10 GOOD make room for 2
    kept, over = sorted(excellent)[:2], sorted(excellent)[2]
    assert [results[m] for m in kept] == [("FINALISED", None)] * 2
    assert results[over] == ("REFUSED", "POLICY_VIOLATION")
    assert results[cadre] == ("REFUSED", "POLICY_VIOLATION")
    assert members[13] not in results  # a DRAFT: nothing proposed to finalise
    refused = next(i for i in first_run["items"] if i["memberId"] == over)
    assert "EXCELLENT may not exceed 1/5 of GOOD" in refused["error"]["message"]

    again = (await service.execute_ok(FINALISE_ALL, everything))["finaliseRatings"]
    assert (again["finalised"], again["alreadyFinalised"], again["refused"]) == (0, 0, 2)
    named = {
        "input": {
            "organisationId": ward,
            "period": "2019",
            "ratings": [
                {"memberId": good[0], "rating": "GOOD"},
                {"memberId": good[1], "rating": "COMPLETED"},
                {"memberId": members[13], "rating": "GOOD"},
                {"memberId": "no-such-member", "rating": "GOOD"},
            ],
        }
    }
    by_name = outcomes((await service.execute_ok(FINALISE_ALL, named))["finaliseRatings"])
    assert by_name == {
        good[0]: ("ALREADY_FINALISED", None),
        good[1]: ("REFUSED", "INVALID_TRANSITION"),
        members[13]: ("REFUSED", "INVALID_TRANSITION"),  # a DRAFT, never proposed
        "no-such-member": ("REFUSED", "NOT_FOUND"),
    }

    async def told_once_each() -> None:
        told = [e["data"]["memberId"] for e in published.of_type(FINALISED)]
        assert sorted(m for m in told if m in members) == sorted(good + kept)

    await eventually(told_once_each, timeout=30)
    await asyncio.sleep(1)  # anything told twice would have come by now
    await told_once_each()


async def test_only_a_ward_committee_over_the_cells_finalises_them(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, (ward, other_ward), (first, elsewhere), (member, _) = await scenario.two_wards()
    await scenario.until_evaluated_by(member, "2019", first)
    await propose(service, member, "2019", "GOOD")
    whole_ward = {"input": {"organisationId": ward, "period": "2019"}}
    secretary = acting_as(Role.CELL_SECRETARY, first)
    other_committee = acting_as(Role.WARD_COMMITTEE, other_ward)

    for outsider in (secretary, other_committee):
        body = await service.execute(FINALISE_ALL, whole_ward, principal=outsider)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    named = {"input": {**whole_ward["input"], "ratings": [{"memberId": member, "rating": "GOOD"}]}}
    their_cell = {"input": {**named["input"], "organisationId": elsewhere}}
    answer = await service.execute_ok(FINALISE_ALL, their_cell, principal=other_committee)
    assert outcomes(answer["finaliseRatings"]) == {member: ("REFUSED", "FORBIDDEN")}

    mine = acting_as(Role.WARD_COMMITTEE, ward)
    done = await service.execute_ok(FINALISE_ALL, named, principal=mine)
    assert outcomes(done["finaliseRatings"]) == {member: ("FINALISED", None)}


ANSWERED_IN_FULL = """
mutation($first: FinaliseRatingsInput!, $second: FinaliseRatingsInput!) {
  first: finaliseRatings(input: $first) { items { memberId evaluation { ...read } } }
  second: finaliseRatings(input: $second) { items { memberId evaluation { ...read } } }
}
fragment read on Evaluation {
  state policyFindings { rule } assignments { id } workplaceAssessments { rating }
  supervisionFeedback { id } hostCellFeedback { id }
}"""


async def test_a_finalisations_answer_reads_each_kind_of_record_once_for_its_items(
    scenario: Any, service: ServiceUnderTest
) -> None:
    _, ward, (agency, first, second) = await scenario.ward()
    await scenario.until_known(ward, agency, first, second)
    members = [await scenario.member((first, second)[n % 2], "OTHER") for n in range(8)]
    for n, member in enumerate(members):
        await scenario.until_evaluated_by(member, "2019", (first, second)[n % 2])
        await propose(service, member, "2019", "GOOD")
    halves = [
        {
            "organisationId": ward,
            "period": "2019",
            "ratings": [{"memberId": m, "rating": "GOOD"} for m in half],
        }
        for half in (members[:4], members[4:])
    ]

    FINDS.watch(service.settings.database_name)
    answer = await service.execute_ok(ANSWERED_IN_FULL, {"first": halves[0], "second": halves[1]})
    FINDS.stop()

    for key, half in (("first", members[:4]), ("second", members[4:])):
        items = answer[key]["items"]
        assert sorted(i["memberId"] for i in items) == sorted(half)
        assert {i["evaluation"]["state"] for i in items} == {"FINALISED"}
    # each mutation's answer reads each kind of record in one go for its four items (not once
    # an item), after its own writes: the second answer reads afresh
    for collection in ("assignments", "supervision_feedback", "host_feedback"):
        assert FINDS.sent("find", collection) == 2, (collection, FINDS.commands)
    # and job results once more each, for the rules the finalisation itself checks
    assert FINDS.sent("find", "workplace_assessments") == 2 * 2
