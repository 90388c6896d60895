"""The Ba Đình 2019 demo, members part, loaded twice through the e2e gateway."""

from collections import Counter
from typing import Any

from infra.demo import members as demo
from infra.demo import organisations
from infra.demo.client import DemoGateway
from tests.e2e.conftest import Gateway

CELL = """
query ($code: String!) {
  organisationByCode(code: $code) {
    id status memberCount
    members { cardNumber workplace { role } residence { residentialGroup } }
    candidates { fullName stage mentors { standing } }
  }
}
"""
ALL = "query { members(first: 0) { totalCount } }"
PROBATION = """
query ($card: String!) {
  memberByCard(cardNumber: $card) { admittedOn admissionCeremonyOn ceremonyLate probationEndsOn }
}
"""
CASES = "query { dissolutionCases { id cell { code } } }"
PLACEMENTS = """
query ($id: ID!) {
  dissolutionCase(id: $id) { proposedPlacements { personKind cell { code } } }
}
"""


async def cell(gateway: Gateway, code: str) -> dict[str, Any]:
    found: dict[str, Any] = (await gateway.execute_ok(CELL, {"code": code}))["organisationByCode"]
    return found


def test_giang_vos_20_members_and_3_candidates_live_across_its_14_residential_groups() -> None:
    ward_index = list(organisations.WARDS).index("GV") + 1
    members = list(demo.agency_members("GV", ward_index))
    groups = [m["residence"]["residentialGroup"] for m in members] + [
        f"TDP {c[3]}" for c in demo.GIANG_VO_CANDIDATES
    ]
    assert (len(members), len(demo.GIANG_VO_CANDIDATES)) == (20, 3)
    assert set(groups) == {f"TDP {n}" for n in range(1, 15)}
    assert Counter(m["standing"] for m in members) == {"OFFICIAL": 18, "PROBATIONARY": 2}
    assert {m["workplace"]["role"] for m in members} == {
        "CADRE",
        "CIVIL_SERVANT",
        "NON_SPECIALISED",
    }


async def test_the_demo_staffs_every_cell_and_loading_it_again_adds_nothing(
    gateway: Gateway, demo_gateway: DemoGateway
) -> None:
    await organisations.load(demo_gateway)
    await demo.load(demo_gateway)
    first = await gateway.execute_ok(ALL)
    await demo.load(demo_gateway)
    assert await gateway.execute_ok(ALL) == first

    ward_index = list(organisations.WARDS).index("GV") + 1
    for probationer in demo.agency_members("GV", ward_index):
        if probationer["standing"] == "PROBATIONARY":
            shown = await gateway.execute_ok(PROBATION, {"card": probationer["cardNumber"]})
            assert shown["memberByCard"] == {
                "admittedOn": "2019-01-15",
                "admissionCeremonyOn": "2019-02-01",
                "ceremonyLate": False,
                "probationEndsOn": "2020-02-01",
            }

    kim_ma = await cell(gateway, "HN-BD-KM-CQ")
    assert kim_ma["memberCount"] == demo.OTHER_AGENCY_MEMBERS
    assert {m["workplace"]["role"] for m in kim_ma["members"]} <= {
        "CADRE",
        "CIVIL_SERVANT",
        "NON_SPECIALISED",
    }
    tdp = await cell(gateway, "HN-BD-KM-TDP03")
    assert tdp["memberCount"] >= demo.RESIDENTIAL_MEMBERS
    assert {m["residence"]["residentialGroup"] for m in tdp["members"]} == {"TDP 3"}

    giang_vo = await cell(gateway, "HN-BD-GV-CQ")
    if giang_vo["status"] == "ACTIVE":  # unless another test of this run dissolved it already
        assert giang_vo["memberCount"] >= demo.GIANG_VO_MEMBERS
        assert [c["stage"] for c in giang_vo["candidates"]] == [
            "SOURCE",
            "AWARENESS_TRAINED",
            "SPONSORED",
        ] or len(giang_vo["candidates"]) == 3
        assert all(c["mentors"] == [{"standing": "OFFICIAL"}] for c in giang_vo["candidates"])
        cases = (await gateway.execute_ok(CASES))["dissolutionCases"]
        [case] = [c for c in cases if c["cell"]["code"] == "HN-BD-GV-CQ"]
        proposed = await gateway.execute_ok(PLACEMENTS, {"id": case["id"]})
        placements = proposed["dissolutionCase"]["proposedPlacements"]
        placed = {p["cell"]["code"] for p in placements if p["cell"]}
        assert len(placed) == 14
