"""The Ba Đình 2019 demo, organisations part: the hierarchy, the directives and the campaign.

Stable codes (the members and evaluations demos find cells by these):
    HN                      Thành ủy Hà Nội (CITY_COMMITTEE)
    HN-BD                   Quận ủy Ba Đình (DISTRICT_COMMITTEE)
    HN-BD-<W>               Đảng ủy phường … (WARD_COMMITTEE), <W> one of
                            CV Cống Vị, DB Điện Biên, DC Đội Cấn, GV Giảng Võ, KM Kim Mã,
                            LG Liễu Giai, NH Ngọc Hà, NK Ngọc Khánh, NTT Nguyễn Trung Trực,
                            PX Phúc Xá, QT Quán Thánh, TC Thành Công, TB Trúc Bạch, VP Vĩnh Phúc
    HN-BD-<W>-CQ            Chi bộ cơ quan phường … (CELL, AGENCY) — dissolved by the campaign
    HN-BD-<W>-TDP<NN>       Chi bộ tổ dân phố số N (CELL, RESIDENTIAL), covering ["TDP N"];
                            N = 1…14 in Giảng Võ, 1…5 in the other wards
Directives: 38-KL/TW → 109-KH/TU → 14-HD/BTCTU (05/9/2019, also dated 20/8/2019 by the
source) → 383-CV/QU. Campaign: 383-CV/QU at HN-BD over the 14 wards, plan deadline
2019-09-15: 14 dissolution cases, one per agency cell.

Idempotent: everything is looked up (by code, by number, by directive) before it is created.
"""

from typing import Any

from infra.demo.client import DemoGateway

CITY = ("HN", "Thành ủy Hà Nội")
DISTRICT = ("HN-BD", "Quận ủy Ba Đình")
WARDS = {
    "CV": "Cống Vị",
    "DB": "Điện Biên",
    "DC": "Đội Cấn",
    "GV": "Giảng Võ",
    "KM": "Kim Mã",
    "LG": "Liễu Giai",
    "NH": "Ngọc Hà",
    "NK": "Ngọc Khánh",
    "NTT": "Nguyễn Trung Trực",
    "PX": "Phúc Xá",
    "QT": "Quán Thánh",
    "TC": "Thành Công",
    "TB": "Trúc Bạch",
    "VP": "Vĩnh Phúc",
}
RESIDENTIAL_CELLS = {"GV": 14}
DEFAULT_RESIDENTIAL_CELLS = 5
PLAN_DEADLINE = "2019-09-15"
CAMPAIGN_DIRECTIVE = "383-CV/QU"

DIRECTIVES: list[dict[str, Any]] = [
    {
        "number": "38-KL/TW",
        "issuer": "Bộ Chính trị",
        "issuedOn": "2018-11-13",
        "title": "Kết luận số 38-KL/TW ngày 13/11/2018 của Bộ Chính trị",
        "basedOn": [],
    },
    {
        "number": "109-KH/TU",
        "issuer": "Ban Thường vụ Thành ủy Hà Nội",
        "issuerCode": "HN",
        "issuedOn": "2018-11-29",
        "title": "Kế hoạch số 109-KH/TU ngày 29/11/2018 của Ban Thường vụ Thành ủy Hà Nội",
        "basedOn": ["38-KL/TW"],
    },
    {
        "number": "14-HD/BTCTU",
        "issuer": "Ban Tổ chức Thành ủy Hà Nội",
        "issuedOn": "2019-09-05",
        "otherIssuedDates": ["2019-08-20"],
        "title": "Hướng dẫn giải thể chi bộ cơ quan xã, phường, thị trấn",
        "basedOn": ["109-KH/TU"],
    },
    {
        "number": "383-CV/QU",
        "issuer": "Ban Thường vụ Quận ủy Ba Đình",
        "issuerCode": "HN-BD",
        "issuedOn": "2019-09-05",
        "title": "Triển khai thực hiện Hướng dẫn số 14-HD/BTCTU của Ban Tổ chức Thành ủy về "
        "hướng dẫn giải thể chi bộ cơ quan xã, phường, thị trấn",
        "basedOn": ["14-HD/BTCTU"],
    },
]

BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id } }"
CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
DIRECTIVES_QUERY = "{ directives { number } }"
ISSUE = "mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { id } }"
CAMPAIGNS = """
query ($district: ID!, $number: String!) {
  campaigns(districtCommitteeId: $district, directiveNumber: $number) { id }
}
"""
LAUNCH = "mutation ($input: LaunchCampaignInput!) { launchCampaign(input: $input) { id } }"


def residential_cell_count(ward: str) -> int:
    return RESIDENTIAL_CELLS.get(ward, DEFAULT_RESIDENTIAL_CELLS)


async def ensure_organisation(gateway: DemoGateway, **fields: Any) -> str:
    found = (await gateway.execute(BY_CODE, {"code": fields["code"]}))["organisationByCode"]
    if found:
        return str(found["id"])
    return str((await gateway.execute(CREATE, {"input": fields}))["createOrganisation"]["id"])


async def load_hierarchy(gateway: DemoGateway) -> dict[str, str]:
    """Create what is missing of the tree; the ids of every organisation by code."""
    code, name = CITY
    ids = {code: await ensure_organisation(gateway, code=code, name=name, kind="CITY_COMMITTEE")}
    code, name = DISTRICT
    ids[code] = await ensure_organisation(
        gateway, code=code, name=name, kind="DISTRICT_COMMITTEE", parentId=ids["HN"]
    )
    for ward, ward_name in WARDS.items():
        ward_code = f"HN-BD-{ward}"
        ids[ward_code] = await ensure_organisation(
            gateway,
            code=ward_code,
            name=f"Đảng ủy phường {ward_name}",
            kind="WARD_COMMITTEE",
            parentId=ids["HN-BD"],
        )
        ids[f"{ward_code}-CQ"] = await ensure_organisation(
            gateway,
            code=f"{ward_code}-CQ",
            name=f"Chi bộ cơ quan phường {ward_name}",
            kind="CELL",
            cellType="AGENCY",
            parentId=ids[ward_code],
        )
        for n in range(1, residential_cell_count(ward) + 1):
            cell_code = f"{ward_code}-TDP{n:02}"
            ids[cell_code] = await ensure_organisation(
                gateway,
                code=cell_code,
                name=f"Chi bộ tổ dân phố số {n}",
                kind="CELL",
                cellType="RESIDENTIAL",
                coverage=[f"TDP {n}"],
                parentId=ids[ward_code],
            )
    return ids


async def load_directives(gateway: DemoGateway, ids: dict[str, str]) -> None:
    recorded = {d["number"] for d in (await gateway.execute(DIRECTIVES_QUERY))["directives"]}
    for directive in DIRECTIVES:
        if directive["number"] in recorded:
            continue
        fields = {k: v for k, v in directive.items() if k != "issuerCode"}
        if "issuerCode" in directive:
            fields["issuerOrganisationId"] = ids[directive["issuerCode"]]
        await gateway.execute(ISSUE, {"input": fields})


async def load_campaign(gateway: DemoGateway, ids: dict[str, str]) -> None:
    variables = {"district": ids["HN-BD"], "number": CAMPAIGN_DIRECTIVE}
    if (await gateway.execute(CAMPAIGNS, variables))["campaigns"]:
        return
    await gateway.execute(
        LAUNCH,
        {
            "input": {
                "directiveNumber": CAMPAIGN_DIRECTIVE,
                "districtCommitteeId": ids["HN-BD"],
                "wardCommitteeIds": [ids[f"HN-BD-{ward}"] for ward in WARDS],
                "planDeadline": PLAN_DEADLINE,
            }
        },
    )


async def load(gateway: DemoGateway) -> None:
    ids = await load_hierarchy(gateway)
    await load_directives(gateway, ids)
    await load_campaign(gateway, ids)
