"""The README's guided tour runs, as written, against the demo loaded by `make up`, with the
CITY_COMMITTEE token `make up` prints (Hà Nội's standing committee: since Ba Đình's wards
merged in 2025 the district's no longer reaches its members)."""

import re
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from kit.identity import Role
from kit.testing import eventually

from infra.demo.__main__ import load
from infra.demo.client import DEMO_LOADER, DemoGateway
from infra.demo.members import GIANG_VO_CANDIDATES
from infra.demo.restructuring import NEW_WARDS
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
async def city_committee(suite: Suite, demo_gateway: DemoGateway, client_for: ClientFor) -> Gateway:
    await load(suite.gateway_url, suite.token_for(DEMO_LOADER))
    tokens = {token.role: token for token in await demo_principals(demo_gateway)}
    assert set(tokens) == set(Role), "make up prints a token for every role"
    return client_for(tokens[Role.CITY_COMMITTEE].principal)


async def test_every_query_of_the_readme_tour_answers_without_errors(
    city_committee: Gateway,
) -> None:
    queries = tour_queries()
    assert len(queries) >= 6
    for query in queries:
        body = await city_committee.execute(query)
        assert "errors" not in body, (query, body.get("errors"))
        assert all(value for value in body["data"].values()), query


async def test_the_tour_shows_giang_vo_closed_with_everyone_received(
    city_committee: Gateway,
) -> None:
    data = await city_committee.execute_ok(tour_queries()[1])
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
    city_committee: Gateway,
) -> None:
    """Re-homing keeps the mentors, who still work alongside them in the ward."""
    query = """
    query ($search: String!) {
      candidates(search: $search) { fullName organisation { code } mentors { standing } }
    }"""
    for name, *_ in GIANG_VO_CANDIDATES:
        found = (await city_committee.execute_ok(query, {"search": name}))["candidates"]
        [candidate] = [c for c in found if c["fullName"] == name]
        assert candidate["organisation"]["code"].startswith("HN-BD-GV-TDP"), name
        assert candidate["mentors"] == [{"standing": "OFFICIAL"}], name


# the 2025 story: Ba Đình's wards merged into three under the city committee


def tour_2025(number: int) -> str:
    """The tour's query under its number (8: the tree, 9: the member, 10: the hand-over)."""
    return tour_queries()[number - 1]


def demo_wards(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    # other tests of the run add wards of their own, under codes of their own
    return {e["node"]["code"]: e["node"] for e in page["edges"] if e["node"]["code"][:3] == "HN-"}


async def test_the_tree_before_and_after_shows_fourteen_wards_become_three(
    city_committee: Gateway,
) -> None:
    assert "errors" not in await city_committee.execute(tour_2025(8))
    # the whole list, however many wards the run's other tests added
    data = await city_committee.execute_ok(tour_2025(8).replace("asOf:", "first: 200, asOf:"))
    before = demo_wards(data["before"])
    assert len(before) == 14 and {w["parent"]["code"] for w in before.values()} == {"HN-BD"}
    after = demo_wards(data["after"])
    assert sorted(after) == sorted(NEW_WARDS)
    for code, (_, old_wards) in NEW_WARDS.items():
        assert after[code]["parent"] == {"code": "HN"}
        links = after[code]["predecessors"]
        assert sorted(p["organisation"]["code"] for p in links) == sorted(
            f"HN-BD-{w}" for w in old_wards
        )
        assert {p["on"] for p in links} == {"2025-07-01"}
    assert data["district"] == {"name": "Quận ủy Ba Đình", "status": "ENDED", "successors": []}


async def test_one_member_went_from_the_dissolved_cell_in_2019_into_the_new_ward_in_2025(
    city_committee: Gateway,
) -> None:
    async def merged_in_history() -> dict[str, Any]:
        data = await city_committee.execute_ok(tour_2025(9))
        (edge,) = data["members"]["edges"]
        assert edge["node"]["history"][-1]["kind"] == "MERGED"  # the members service follows
        found: dict[str, Any] = edge["node"]
        return found

    member = await eventually(merged_in_history, timeout=60)
    assert member["fullName"] == "Nguyễn Đức Bình"
    (received,) = [t for t in member["transfers"] if t["state"] == "RECEIVED"]
    cell = member["organisation"]
    assert received["from"] == {"code": "HN-BD-GV-CQ"} and received["to"]["code"] == cell["code"]
    assert cell["code"].startswith("HN-BD-GV-TDP")
    first, moved = cell["parentHistory"]
    assert first["parent"]["code"] == "HN-BD-GV"
    assert moved["since"] == "2025-07-01" and moved["caseId"]
    assert moved["parent"] == {"code": "HN-GIANGVO", "name": "Đảng ủy phường Giảng Võ"}
    assert [a["code"] for a in cell["ancestors"]] == ["HN", "HN-GIANGVO"]
    history = member["history"]
    assert [e["kind"] for e in history] == ["ADMITTED", "TRANSFERRED", "MERGED"]
    transferred, merged = history[1:]
    assert transferred["fromOrganisation"] == {"code": "HN-BD-GV-CQ"}
    assert transferred["toOrganisation"] == {"code": cell["code"]}
    assert merged["on"] == "2025-07-01"
    assert merged["decision"] == {"number": "1503-QĐ/TU", "effectiveOn": "2025-07-01"}


async def test_a_candidate_of_the_dissolved_cell_made_the_same_two_moves(
    city_committee: Gateway,
) -> None:
    async def merged_in_moves() -> dict[str, Any]:
        (candidate,) = (await city_committee.execute_ok(tour_2025(9)))["candidates"]
        assert [m["kind"] for m in candidate["moves"]] == ["TRANSFERRED", "MERGED"]
        found: dict[str, Any] = candidate
        return found

    candidate = await eventually(merged_in_moves, timeout=60)
    assert (candidate["fullName"], candidate["stage"]) == ("Kiều Ngọc Ánh", "SPONSORED")
    rehomed, merged = candidate["moves"]
    assert rehomed["fromOrganisation"] == {"code": "HN-BD-GV-CQ"}
    assert rehomed["toOrganisation"]["code"].startswith("HN-BD-GV-TDP")
    assert (merged["on"], merged["decision"]) == ("2025-07-01", {"number": "1503-QĐ/TU"})
    assert merged["toOrganisation"] == {"code": "HN-GIANGVO"}


async def test_each_old_ward_was_handed_over_with_its_member_list(
    city_committee: Gateway,
) -> None:
    cases = (await city_committee.execute_ok(tour_2025(10)))["restructuringCases"]
    demo = {c["newOrganisations"][0]["code"]: c for c in cases if c["newOrganisations"]}
    demo = {code: case for code, case in demo.items() if code in NEW_WARDS}
    assert sorted(demo) == sorted(NEW_WARDS)
    members = "query ($code: String!) { organisationByCode(code: $code) { memberCount } }"
    for code, case in demo.items():
        assert case["stage"] == "COMPLETED"
        assert case["decision"]["effectiveOn"] == "2025-07-01"
        assert case["acceptance"]["acceptedOn"] == "2025-07-01"
        given = sorted(h["organisation"]["code"] for h in case["handovers"])
        assert given == sorted(f"HN-BD-{w}" for w in NEW_WARDS[code][1])
        now = (await city_committee.execute_ok(members, {"code": code}))["organisationByCode"]
        # every member handed over is under the new ward, none lost and none twice
        assert all(h["memberCount"] > 0 for h in case["handovers"])
        assert now["memberCount"] == sum(h["memberCount"] for h in case["handovers"])
