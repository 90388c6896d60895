"""The README's guided tour runs, as written, against the demo loaded by `make up`, with the
DISTRICT_STANDING token `make up` prints (Ba Đình's standing committee)."""

import re
from pathlib import Path

import pytest
import pytest_asyncio
from kit.identity import Role

from infra.demo.__main__ import load
from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.demo.members import GIANG_VO_CANDIDATES
from infra.demo.tokens import demo_principals
from infra.local.suite import Suite
from tests.e2e.conftest import ClientFor, Gateway

README = Path(__file__).resolve().parents[2] / "README.md"
# run alone, the tour loads the whole demo first (the other e2e tests load most of it before)
pytestmark = pytest.mark.timeout(1200)


def tour_queries() -> list[str]:
    tour = README.read_text().split("## A guided tour of the demo", 1)[1]
    return re.findall(r"```graphql\n(.*?)```", tour, flags=re.DOTALL)


@pytest_asyncio.fixture(loop_scope="session")
async def district_standing(
    suite: Suite, demo_gateway: DemoGateway, client_for: ClientFor
) -> Gateway:
    await load(suite.gateway_url, suite.token_for(DEMO_LOADER))
    tokens = {token.role: token for token in await demo_principals(demo_gateway)}
    assert set(tokens) == set(Role), "make up prints a token for every role"
    return client_for(tokens[Role.DISTRICT_STANDING].principal)


async def test_every_query_of_the_readme_tour_answers_without_errors(
    district_standing: Gateway,
) -> None:
    queries = tour_queries()
    assert len(queries) >= 6
    for query in queries:
        body = await district_standing.execute(query)
        assert "errors" not in body, (query, body.get("errors"))
        assert all(value for value in body["data"].values()), query


async def test_the_tour_shows_giang_vo_closed_with_everyone_received(
    district_standing: Gateway,
) -> None:
    data = await district_standing.execute_ok(tour_queries()[1])
    # other tests of this run close cases of their own
    (case,) = [c for c in data["dissolutionCases"] if c["cell"]["code"] == "HN-BD-GV-CQ"]
    assert case["cell"] == {
        "code": "HN-BD-GV-CQ",
        "name": "Chi bộ cơ quan phường Giảng Võ",
        "status": "DISSOLVED",
        "dissolvedOn": "2019-10-01",
    }
    assert case["transferProgress"]["total"] == case["transferProgress"]["received"] == 23
    assert [entry["toStage"] for entry in case["auditTrail"]][-1] == "CLOSED"


async def test_giang_vos_three_candidates_keep_their_mentors_in_their_new_cells(
    district_standing: Gateway,
) -> None:
    """Re-homing keeps the mentors, who still work alongside them in the ward."""
    query = """
    query ($search: String!) {
      candidates(search: $search) { fullName organisation { code } mentors { standing } }
    }"""
    for name, *_ in GIANG_VO_CANDIDATES:
        found = (await district_standing.execute_ok(query, {"search": name}))["candidates"]
        [candidate] = [c for c in found if c["fullName"] == name]
        assert candidate["organisation"]["code"].startswith("HN-BD-GV-TDP"), name
        assert candidate["mentors"] == [{"standing": "OFFICIAL"}], name
