"""The Giảng Võ ward as the e2e tests build it through the gateway: Hà Nội › Ba Đình › the ward,
its agency cell `CQ` and residential cells `TDP01`, `TDP02`, … (one per residential group),
under codes unique to the test that builds it."""

import uuid
from typing import Any, Self

from tests.e2e.conftest import Gateway

CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"


class GiangVoTree:
    def __init__(self, gateway: Gateway, residential_cells: int = 2) -> None:
        self.gateway = gateway
        self.residential_cells = residential_cells
        self.tag = uuid.uuid4().hex[:6].upper()
        self.ids: dict[str, str] = {}  # HN, BD, GV, CQ, TDP01… → organisation id

    async def create(self, key: str, **fields: Any) -> str:
        data = await self.gateway.execute_ok(
            CREATE, {"input": {"code": f"{self.tag}-{key}", **fields}}
        )
        self.ids[key] = data["createOrganisation"]["id"]
        return self.ids[key]

    async def build(self) -> Self:
        city = await self.create("HN", name="Thành ủy Hà Nội", kind="CITY_COMMITTEE")
        district = await self.create(
            "BD", name="Quận ủy Ba Đình", kind="DISTRICT_COMMITTEE", parentId=city
        )
        ward = await self.create(
            "GV", name="Đảng ủy phường Giảng Võ", kind="WARD_COMMITTEE", parentId=district
        )
        await self.create(
            "CQ",
            name="Chi bộ cơ quan phường Giảng Võ",
            kind="CELL",
            cellType="AGENCY",
            parentId=ward,
        )
        for n in range(1, self.residential_cells + 1):
            await self.create(
                f"TDP{n:02d}",
                name=f"Chi bộ tổ dân phố số {n}",
                kind="CELL",
                cellType="RESIDENTIAL",
                coverage=[f"TDP {n}"],
                parentId=ward,
            )
        return self
