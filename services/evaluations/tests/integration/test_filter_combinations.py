"""Every list query with every combination of its optional filters, so the session's index
check (conftest.py) sees each query shape the API can send, not only those a test happened
to use."""

from typing import Any

from kit.testing import ServiceUnderTest, ask_every_combination

MEMBER = """
  _entities(representations: [{__typename: "PartyMember", id: $member}]) {
    ... on PartyMember {
"""


async def test_every_list_query_answers_every_combination_of_its_filters(
    scenario: Any, service: ServiceUnderTest
) -> None:
    district, ward, (agency, first, second) = await scenario.ward()
    member = await scenario.member(first)
    await scenario.until_evaluated_by(member, "2019-10", first)
    await scenario.until_known(district, ward, agency, first, second)
    calls = 0
    ward_period = {"organisationId": ("ID!", ward), "period": ("String!", "2019-10")}
    calls += await ask_every_combination(
        service,
        "evaluations",
        {"state": ("EvaluationState", "DRAFT")},
        "{ id }",
        always=ward_period,
    )
    calls += await ask_every_combination(
        service,
        "evaluationConnection",
        {"state": ("EvaluationState", "DRAFT"), "first": ("Int!", 1)},
        "{ totalCount pageInfo { endCursor } }",
        always=ward_period,
    )
    calls += await ask_every_combination(
        service,
        "evaluationDataAccessLog",
        {
            "personId": ("ID", member),
            "subject": ("String", "tester"),
            "since": ("DateTime", "2019-01-01T00:00:00Z"),
            "until": ("DateTime", "2030-01-01T00:00:00Z"),
        },
        "{ at }",
    )
    for field in ("evaluations", "assignments"):
        calls += await ask_every_combination(
            service,
            field,
            {"period": ("String", "2019-10")},
            "{ id }",
            around=(MEMBER, "} }"),
            given={"member": ("ID!", member)},
        )
    assert calls == 2 + 4 + 16 + 2 + 2
