"""The Ba Đình 2019 demo, organisations part, loaded through the e2e gateway (twice)."""

from typing import Any

from infra.demo import organisations as demo
from infra.demo.client import DemoGateway
from tests.e2e.conftest import Gateway

CAMPAIGN = """
{
  campaigns(directiveNumber: "383-CV/QU") {
    id planDeadline
    directive { number chain { number } }
    districtCommittee { code }
    wardCommittees { name }
    progress { totalCases overdueCases byStage { stage count } }
    cases { cell { code cellType } }
  }
}
"""
COUNTS = """
{
  city: organisationByCode(code: "HN") { subtree(first: 0) { totalCount } }
  giangVo: organisationByCode(code: "HN-BD-GV") {
    children(kind: CELL, cellType: RESIDENTIAL, first: 20) {
      totalCount edges { node { name coverage } }
    }
  }
  directives { number issuedOn otherIssuedDates }
}
"""


def expected_organisations_below_the_city() -> int:
    wards = len(demo.WARDS)
    residential = sum(demo.residential_cell_count(w) for w in demo.WARDS)
    return 1 + wards + wards + residential


async def test_the_demo_shows_the_383_campaign_with_14_cases_and_loading_it_again_adds_nothing(
    gateway: Gateway, demo_gateway: DemoGateway
) -> None:
    await demo.load(demo_gateway)
    first: dict[str, Any] = await gateway.execute_ok(CAMPAIGN)
    counts = await gateway.execute_ok(COUNTS)
    await demo.load(demo_gateway)
    assert await gateway.execute_ok(CAMPAIGN) == first
    assert await gateway.execute_ok(COUNTS) == counts

    [campaign] = first["campaigns"]
    assert campaign["planDeadline"] == "2019-09-15"
    assert campaign["directive"] == {
        "number": "383-CV/QU",
        "chain": [{"number": "14-HD/BTCTU"}, {"number": "109-KH/TU"}, {"number": "38-KL/TW"}],
    }
    assert campaign["districtCommittee"] == {"code": "HN-BD"}
    assert len(campaign["wardCommittees"]) == 14
    assert "Đảng ủy phường Nguyễn Trung Trực" in {w["name"] for w in campaign["wardCommittees"]}
    assert campaign["progress"]["totalCases"] == 14
    assert sorted(c["cell"]["code"] for c in campaign["cases"]) == sorted(
        f"HN-BD-{w}-CQ" for w in demo.WARDS
    )
    assert {c["cell"]["cellType"] for c in campaign["cases"]} == {"AGENCY"}

    assert counts["city"]["subtree"]["totalCount"] == expected_organisations_below_the_city()
    residential = counts["giangVo"]["children"]
    assert residential["totalCount"] == 14
    assert residential["edges"][0]["node"] == {
        "name": "Chi bộ tổ dân phố số 1",
        "coverage": ["TDP 1"],
    }
    guidance = next(d for d in counts["directives"] if d["number"] == "14-HD/BTCTU")
    assert guidance == {
        "number": "14-HD/BTCTU",
        "issuedOn": "2019-09-05",
        "otherIssuedDates": ["2019-08-20"],
    }


async def test_with_the_demo_a_case_without_a_plan_is_overdue_on_16_september_2019(
    gateway: Gateway, demo_gateway: DemoGateway
) -> None:
    await demo.load(demo_gateway)
    progress = """
    {
      campaigns(directiveNumber: "383-CV/QU") {
        progress { overdueCases byStage { stage count } }
      }
    }
    """
    try:
        await gateway.execute_ok('mutation { setToday(today: "2019-09-15") }')
        on_the_day = (await gateway.execute_ok(progress))["campaigns"][0]["progress"]
        await gateway.execute_ok('mutation { setToday(today: "2019-09-16") }')
        day_after = (await gateway.execute_ok(progress))["campaigns"][0]["progress"]
    finally:
        await gateway.execute_ok("mutation { setToday(today: null) }")
    stages = {s["stage"]: s["count"] for s in day_after["byStage"]}
    without_plan = stages["OPENED"] + stages["DISSEMINATED"]
    assert without_plan >= 1
    assert on_the_day["overdueCases"] == 0
    assert day_after["overdueCases"] == without_plan
