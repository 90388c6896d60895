"""A list of evaluations reads its nested fields for the whole list at once (schema/loaders.py):
what it shows must be what the one-by-one reads of the service show."""

import asyncio
from datetime import date
from typing import Any

from evaluations.domain import Policy, Rating
from evaluations.main import use_cases
from evaluations.repository import MongoRepositories
from evaluations.schema.loaders import Loaders
from evaluations.service import UseCases
from evaluations.service.commands import AssignTask, FinaliseRating, ProposeRating
from evaluations.service.workplace import AssessmentSubmission
from kit.testing import ServiceUnderTest

PERIOD = "2019"
LIST = """
query ($ward: ID!) {
  evaluations(organisationId: $ward, period: "2019") {
    id state
    policyFindings { rule blocking }
    assignments { id }
    workplaceAssessments { id }
    supervisionFeedback { id }
  }
}"""


def use_cases_of(service: ServiceUnderTest) -> UseCases:
    """The use cases over the running service's own database, called directly."""
    repositories = MongoRepositories(service.app.state.runtime.db)
    return use_cases(repositories, Policy(service.settings.policy_options))  # type: ignore[attr-defined]


class Ward:
    """Members of a ward's cells on the roster (told by events), and their records for 2019
    written through the use cases."""

    def __init__(self, scenario: Any, use_cases: UseCases) -> None:
        self.scenario = scenario
        self.use_cases = use_cases

    async def members(self, *placed: tuple[str, str | None]) -> list[str]:
        """One member per (cell, workplace role), once the roster holds them all."""
        members = [await self.scenario.member(cell, role) for cell, role in placed]
        for member_id, (cell, _) in zip(members, placed, strict=True):
            await self.scenario.until_evaluated_by(member_id, PERIOD, cell)
        return members

    async def assess(self, member_id: str, *ratings: str) -> None:
        for n, rating in enumerate(ratings):
            item = AssessmentSubmission(
                f"{member_id}-{n}", member_id, PERIOD, "PEOPLES_COMMITTEE_CHAIR", "UBND", rating
            )
            await self.use_cases.workplace.submit("ubnd", [item])

    async def propose(self, member_id: str, rating: Rating) -> None:
        await self.use_cases.evaluations.propose_rating(
            ProposeRating(member_id, PERIOD, rating, None, None), "chi bộ"
        )

    async def finalise(self, member_id: str, rating: Rating) -> None:
        await self.propose(member_id, rating)
        await self.use_cases.finalisations.finalise_rating(
            FinaliseRating(f"{member_id}:{PERIOD}", rating, None, {}), "đảng ủy"
        )


async def a_varied_ward(scenario: Any, use_cases: UseCases) -> str:
    """DRAFT, PROPOSED and FINALISED evaluations in three cells of one ward (10 GOOD: room for
    2 EXCELLENT), cadres with and without job results (one with two, the newer counting),
    tasks and supervision feedback; and a neighbouring ward's GOOD, which must not count."""
    district, ward_id, (agency, first, second) = await scenario.ward()
    _, _, (elsewhere, *_) = await scenario.ward(district=district)
    ward = Ward(scenario, use_cases)
    cells = [agency, first, second]
    good = await ward.members(*[(cells[n % 3], "OTHER") for n in range(10)])
    (
        excellent,
        cadre,
        proposed,
        hopeful,
        unassessed,
        drafted,
        neighbour,
        next_door,
        far,
    ) = await ward.members(
        (second, "OTHER"),
        (agency, "CADRE"),
        (first, "CADRE"),
        (agency, "OTHER"),
        (second, "CADRE"),
        (first, "OTHER"),
        (first, "OTHER"),
        (second, "OTHER"),
        (elsewhere, "OTHER"),
    )
    await scenario.until_known(ward_id, agency, first, second, elsewhere)
    for member_id in good:
        await ward.finalise(member_id, Rating.GOOD)
    await ward.finalise(excellent, Rating.EXCELLENT)
    await ward.assess(cadre, "GOOD", "EXCELLENT")
    await ward.finalise(cadre, Rating.EXCELLENT)
    await ward.finalise(far, Rating.GOOD)
    await ward.assess(proposed, "GOOD")
    await ward.propose(proposed, Rating.EXCELLENT)
    await ward.propose(hopeful, Rating.EXCELLENT)
    for member_id, day in [(proposed, 3), (proposed, 1), (drafted, 2)]:
        await use_cases.assignments.assign_task(
            AssignTask(member_id, PERIOD, f"Nhiệm vụ {day}", date(2019, 3, day))
        )
    for member_id, by in [(proposed, drafted), (proposed, neighbour), (unassessed, next_door)]:
        await use_cases.supervision.add_supervision_feedback(member_id, by, PERIOD, "Gương mẫu")
    return ward_id


async def test_the_batched_policy_findings_of_a_ward_are_those_found_one_by_one(
    scenario: Any, service: ServiceUnderTest
) -> None:
    use_cases = use_cases_of(service)
    ward = await a_varied_ward(scenario, use_cases)
    listed = await use_cases.evaluations.evaluations_in(ward, PERIOD, None)

    one_by_one = [await use_cases.findings.policy_findings(e) for e in listed]
    loaders = Loaders(use_cases)
    batched = await asyncio.gather(*(loaders.policy_findings(e) for e in listed))

    assert batched == one_by_one
    assert {e.state.value for e in listed} == {"DRAFT", "PROPOSED", "FINALISED"}
    assert {f.rule for found in one_by_one for f in found} >= {
        "EXCELLENT_QUOTA",
        "CADRE_EXCELLENT_NEEDS_WORKPLACE_EXCELLENT",
        "WORKPLACE_RESULTS_EXPECTED",
    }


async def test_a_lists_nested_fields_show_each_evaluations_own_records_in_their_order(
    scenario: Any, service: ServiceUnderTest
) -> None:
    use_cases = use_cases_of(service)
    ward = await a_varied_ward(scenario, use_cases)

    shown = (await service.execute_ok(LIST, {"ward": ward}))["evaluations"]

    expected: list[dict[str, Any]] = []
    for e in await use_cases.evaluations.evaluations_in(ward, PERIOD, None):
        findings = await use_cases.findings.policy_findings(e)
        assignments = await use_cases.assignments.assignments_of(e.member_id, PERIOD)
        assessed = await use_cases.workplace.of_member(e.member_id, PERIOD)
        feedback = await use_cases.supervision.feedback_of(e.member_id, e.period)
        expected.append(
            {
                "id": e.id,
                "state": e.state.value,
                "policyFindings": [{"rule": f.rule, "blocking": f.blocking} for f in findings],
                "assignments": [{"id": a.id} for a in assignments],
                "workplaceAssessments": [{"id": a.id} for a in assessed],
                "supervisionFeedback": [{"id": f.id} for f in feedback],
            }
        )
    assert shown == expected
    assert sum(len(e["assignments"]) for e in shown) == 3
    assert sum(len(e["supervisionFeedback"]) for e in shown) == 3
