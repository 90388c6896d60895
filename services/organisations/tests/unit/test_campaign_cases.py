"""`Campaign.cases` of a list of campaigns: the cases each campaign's own query gives the caller,
found for all the campaigns in one query."""

from typing import Any

import pytest
from kit.identity import Principal, Role
from organisations.domain import DissolutionCase
from organisations.schema import schema

from services.organisations.tests.unit.fakes import Services, request_context
from services.organisations.tests.unit.two_districts import WHOLE_TREE, acting, two_districts

CAMPAIGNS = "{ campaigns { id cases { id stage } } }"
CASES_OF = "query ($id: ID!) { dissolutionCases(campaignId: $id) { id stage } }"


async def execute(services: Services, principal: Principal, query: str, **variables: Any) -> Any:
    context = request_context(services, principal)
    result = await schema.execute(query, variables, context_value=context)
    assert result.errors is None, result.errors
    return result.data


@pytest.mark.parametrize(("reader", "cases_seen"), [("whole tree", [1, 1]), ("GV", [0, 1])])
async def test_the_cases_of_a_list_of_campaigns_are_each_campaigns_own_found_in_one_query(
    services: Services, monkeypatch: pytest.MonkeyPatch, reader: str, cases_seen: list[int]
) -> None:
    ids = await two_districts(services)  # a campaign in each district, over one ward each
    principal = WHOLE_TREE if reader == "whole tree" else acting(Role.WARD_COMMITTEE, ids[reader])
    each_own = {
        campaign.id: (await execute(services, principal, CASES_OF, id=campaign.id))[
            "dissolutionCases"
        ]
        for campaign in await services.dissolution_reads.all_campaigns()
    }
    queries: list[dict[str, Any]] = []
    find = services.cases.find

    async def counted_find(**criteria: Any) -> list[DissolutionCase]:
        queries.append(criteria)
        return await find(**criteria)

    monkeypatch.setattr(services.cases, "find", counted_find)
    data = await execute(services, principal, CAMPAIGNS)

    assert {c["id"]: c["cases"] for c in data["campaigns"]} == each_own
    assert sorted(len(cases) for cases in each_own.values()) == cases_seen
    assert [sorted(q["campaign_ids"]) for q in queries] == [sorted(each_own)]
