"""The Ba Đình demo in 2025: the district's fourteen wards merged into three new ward
committees directly under the city committee, from 01/7/2025 (294-QĐ/TW, 31-HD/BTCTW).

One restructuring campaign of the city committee holds three MERGE_NEW cases [hợp nhất], one
per new ward: the city's decision, a hand-over record of the member-list book for each old
ward (its members and candidates counted on the day), and the new ward's acceptance. On
completion the old wards are MERGED, naming their successor; their cells move under the new
ward, and their members and candidates with them (restructuring.completed.v1).

ILLUSTRATIVE: Resolution 1656/NQ-UBTVQH15 divides some old wards between new ones; the spec
files do not hold its mapping, so each old ward here goes whole to one new ward, and the
decision numbers are made up. Ba Đình's district committee ended on 01/7/2025: once its
wards are merged away, a fourth case of the campaign (END [kết thúc hoạt động]) ends it, its
records handed to the city committee; it stays readable, ENDED, with no successor.

Idempotent: the campaign is found by title, each case by its new ward's code, and each step is
taken only from the stage before it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.demo.client import DemoFailed, DemoGateway

CAMPAIGN_TITLE = "Sắp xếp tổ chức đảng phường Ba Đình, Ngọc Hà, Giảng Võ (2025)"
EFFECTIVE_ON = "2025-07-01"
# new ward's code → its name and the old wards (by their 2019 code suffix) merged into it
NEW_WARDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "HN-BADINH": ("Ba Đình", ("PX", "TB", "QT", "NTT", "DB", "DC")),
    "HN-NGOCHA": ("Ngọc Hà", ("NH", "CV", "LG", "VP")),
    "HN-GIANGVO": ("Giảng Võ", ("GV", "KM", "NK", "TC")),
}
DECISIONS = {"HN-BADINH": "1501-QĐ/TU", "HN-NGOCHA": "1502-QĐ/TU", "HN-GIANGVO": "1503-QĐ/TU"}
DISTRICT, DISTRICT_ENDED = "HN-BD", "1504-QĐ/TU"  # the district committee, and its end
CITY_SIGNER = "Bí thư Thành ủy Hà Nội"

BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id status } }"
CAMPAIGNS = """{
  restructuringCampaigns {
    id title cases { id kind stage treeApplied newOrganisations { code } }
  }
}"""
LAUNCH = """mutation ($input: LaunchRestructuringCampaignInput!) {
  launchRestructuringCampaign(input: $input) { id } }"""
CASE = "id stage treeApplied awaitingHandover { id name } handovers { memberCount }"
OPEN = f"""mutation ($input: OpenRestructuringInput!) {{
  openRestructuring(input: $input) {{ {CASE} }} }}"""
DECIDE = f"""mutation ($input: IssueRestructuringDecisionInput!) {{
  issueRestructuringDecision(input: $input) {{ {CASE} }} }}"""
RECORD = f"""mutation ($input: RecordHandoverInput!) {{
  recordHandover(input: $input) {{ {CASE} }} }}"""
ACCEPT = f"""mutation ($input: AcceptRestructuringInput!) {{
  acceptRestructuring(input: $input) {{ {CASE} }} }}"""
COUNTS = """query ($id: ID!) {
  organisation(id: $id) {
    memberCount
    subtree(kind: CELL, first: 200) { edges { node { candidates { id } } } }
  }
}"""


async def organisation_id(gateway: DemoGateway, code: str) -> str:
    found = (await gateway.execute(BY_CODE, {"code": code}))["organisationByCode"]
    return str(found["id"])


async def counts(gateway: DemoGateway, organisation_id: str) -> tuple[int, int]:
    """The members and the candidates on the lists of an organisation's cells."""
    found = (await gateway.execute(COUNTS, {"id": organisation_id}))["organisation"]
    cells = found["subtree"]["edges"]
    return int(found["memberCount"]), sum(len(c["node"]["candidates"]) for c in cells)


async def campaign(gateway: DemoGateway) -> dict[str, Any]:
    found = [
        c
        for c in (await gateway.execute(CAMPAIGNS))["restructuringCampaigns"]
        if c["title"] == CAMPAIGN_TITLE
    ]
    if found:
        existing: dict[str, Any] = found[0]
        return existing
    city = await organisation_id(gateway, "HN")
    fields = {"title": CAMPAIGN_TITLE, "organisationId": city}
    await gateway.execute(LAUNCH, {"input": fields})
    return await campaign(gateway)


async def open_case(gateway: DemoGateway, campaign_id: str, code: str) -> dict[str, Any]:
    name, old_wards = NEW_WARDS[code]
    sources = [await organisation_id(gateway, f"HN-BD-{w}") for w in old_wards]
    unit = {"code": code, "name": f"Đảng ủy phường {name}", "parentId": await city_id(gateway)}
    request = {
        "kind": "MERGE_NEW",
        "sourceIds": sources,
        "newOrganisations": [unit],
        "campaignId": campaign_id,
    }
    opened: dict[str, Any] = (await gateway.execute(OPEN, {"input": request}))["openRestructuring"]
    return opened


async def city_id(gateway: DemoGateway) -> str:
    return await organisation_id(gateway, "HN")


@dataclass(frozen=True)
class Papers:
    """Who signs a case's papers: the city's decision, each organisation's hand-over record
    (`giver`: its signer, from the organisation), and the receiving side's acceptance."""

    decision_number: str
    giver: Callable[[dict[str, Any]], str]
    receiver: str
    with_people: bool = True  # the records count the people on the book (none for an END)


def ward_papers(code: str) -> Papers:
    name, _ = NEW_WARDS[code]
    return Papers(
        DECISIONS[code], lambda ward: f"Bí thư {ward['name']}", f"Bí thư Đảng ủy phường {name}"
    )


END_PAPERS = Papers(
    DISTRICT_ENDED, lambda _: "Bí thư Quận ủy Ba Đình", CITY_SIGNER, with_people=False
)


async def walk(gateway: DemoGateway, case: dict[str, Any], papers: Papers) -> dict[str, Any]:
    """The case from where it stands to COMPLETED, its outcome in the tree."""
    if case["stage"] == "OPENED":
        decision = {
            "caseId": case["id"],
            "decisionNumber": papers.decision_number,
            "signedOn": "2025-06-27",
            "signer": CITY_SIGNER,
            "effectiveOn": EFFECTIVE_ON,
        }
        case = (await gateway.execute(DECIDE, {"input": decision}))["issueRestructuringDecision"]
    for given in case.get("awaitingHandover") or []:
        members, candidates = await counts(gateway, given["id"]) if papers.with_people else (0, 0)
        record = {
            "caseId": case["id"],
            "organisationId": given["id"],
            "signedOn": "2025-06-30",
            "giverSigner": papers.giver(given),
            "receiverSigner": papers.receiver,
            "memberCount": members,
            "candidateCount": candidates,
        }
        case = (await gateway.execute(RECORD, {"input": record}))["recordHandover"]
    if case["stage"] == "HANDED_OVER":
        acceptance = {"caseId": case["id"], "acceptedOn": EFFECTIVE_ON, "signer": papers.receiver}
        try:
            await gateway.execute(ACCEPT, {"input": acceptance})
        except DemoFailed as error:  # the tree changes on: the case says when it is done
            if "timed out" not in str(error):
                raise
    case_id = case["id"]
    return await gateway.eventually(lambda: applied(gateway, case_id), timeout=300)


async def members_followed(gateway: DemoGateway, code: str, handed_over: int) -> None:
    """Wait until the members service has moved everyone handed over under the new ward."""
    new_ward = await organisation_id(gateway, code)

    async def moved() -> bool:
        return (await counts(gateway, new_ward))[0] == handed_over

    await gateway.eventually(moved, timeout=300)


async def load(gateway: DemoGateway) -> None:
    plan = await campaign(gateway)
    cases = {c["newOrganisations"][0]["code"]: c for c in plan["cases"] if c["newOrganisations"]}
    for code in NEW_WARDS:
        case = cases.get(code) or await open_case(gateway, plan["id"], code)
        if not case.get("treeApplied"):
            case = await walk(gateway, await refreshed(gateway, case["id"]), ward_papers(code))
            handed_over = sum(h["memberCount"] for h in case["handovers"])
            await members_followed(gateway, code, handed_over)
    ending = [c for c in plan["cases"] if c["kind"] == "END"]
    case = ending[0] if ending else await open_end(gateway, plan["id"])
    if not case.get("treeApplied"):  # the district, its wards merged away, hands its records
        await walk(gateway, await refreshed(gateway, case["id"]), END_PAPERS)


async def open_end(gateway: DemoGateway, campaign_id: str) -> dict[str, Any]:
    """The district committee's end, its records going to the city committee."""
    request = {
        "kind": "END",
        "sourceIds": [await organisation_id(gateway, DISTRICT)],
        "receivingId": await city_id(gateway),
        "campaignId": campaign_id,
    }
    opened: dict[str, Any] = (await gateway.execute(OPEN, {"input": request}))["openRestructuring"]
    return opened


async def refreshed(gateway: DemoGateway, case_id: str) -> dict[str, Any]:
    query = f"query ($id: ID!) {{ restructuringCase(id: $id) {{ {CASE} }} }}"
    found: dict[str, Any] = (await gateway.execute(query, {"id": case_id}))["restructuringCase"]
    return found


async def applied(gateway: DemoGateway, case_id: str) -> dict[str, Any]:
    """The case once COMPLETED with its outcome in the tree, else nothing (moving a ward's
    cells under the new ward may outlast the gateway's wait for the acceptance)."""
    case = await refreshed(gateway, case_id)
    return case if case["stage"] == "COMPLETED" and case["treeApplied"] else {}
