"""The steps of the city's merger through the gateway, as the city committee's staff would
take them: one campaign, a MERGE_NEW case per new unit, its decision, a hand-over record per
predecessor, the acceptance; then waiting until the other services have followed."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bench.arrivals import Registered, on_the_roster
from bench.restructuring.before import Merger
from bench.scale.hanoi import CITY_CODE
from bench.scale.run import until
from infra.demo.client import DemoFailed, DemoGateway

CASES_AT_ONCE = 4
LOADING_SECONDS = 3 * 3600.0  # the city: 500,000 members through the evaluations consumer
EFFECTIVE_ON = "2025-07-01"
BY_CODE = "query ($code: String!) { organisationByCode(code: $code) { id } }"
LAUNCH = """mutation ($input: LaunchRestructuringCampaignInput!) {
  launchRestructuringCampaign(input: $input) { id } }"""
OPEN = """mutation ($input: OpenRestructuringInput!) {
  openRestructuring(input: $input) { id newOrganisations { id } } }"""
DECIDE = """mutation ($input: IssueRestructuringDecisionInput!) {
  issueRestructuringDecision(input: $input) { stage } }"""
RECORD = """mutation ($input: RecordHandoverInput!) { recordHandover(input: $input) { stage } }"""
ACCEPT = """mutation ($input: AcceptRestructuringInput!) {
  acceptRestructuring(input: $input) { stage treeApplied } }"""
APPLIED = "query ($id: ID!) { restructuringCase(id: $id) { treeApplied } }"
COUNTS = """query ($id: ID!) {
  organisation(id: $id) {
    memberCount
    subtree(kind: CELL, first: 200) { edges { node { candidates { id } } } }
  }
}"""


MEMBER_COUNT = "query ($id: ID!) { organisation(id: $id) { memberCount } }"


class CityMerger:
    def __init__(
        self, gateway: DemoGateway, members: Any, evaluations: Any, merging: Sequence[Merger]
    ) -> None:
        self.gateway, self.evaluations, self.merging = gateway, evaluations, merging
        self.members = members  # the members service's database
        self.ids: dict[str, str] = {}  # by code
        self.cases: dict[str, str] = {}  # unit code → case id
        self.handed_over: dict[str, int] = {}  # unit code → members in its hand-over records
        self.timed_out = 0  # acceptances the gateway gave up waiting for

    def steps(self) -> list[Callable[[], Awaitable[None]]]:
        return [self.decide, self.hand_over, self.accept, self.members_followed, self.placed]

    async def id_of(self, code: str) -> str:
        if code not in self.ids:
            found = (await self.gateway.execute(BY_CODE, {"code": code}))["organisationByCode"]
            self.ids[code] = str(found["id"])
        return self.ids[code]

    async def counts(self, code: str) -> tuple[int, int]:
        found = await self.gateway.execute(COUNTS, {"id": await self.id_of(code)})
        unit = found["organisation"]
        cells = unit["subtree"]["edges"]
        return int(unit["memberCount"]), sum(len(c["node"]["candidates"]) for c in cells)

    async def each(self, step: Callable[[Merger], Awaitable[None]]) -> None:
        turns = asyncio.Semaphore(CASES_AT_ONCE)

        async def take(merger: Merger) -> None:
            async with turns:
                await step(merger)

        await asyncio.gather(*(take(m) for m in self.merging))

    async def wait_until_loaded(self, registered: Registered, members: int) -> None:
        """Until the members loaded are published and each is on the evaluations roster
        (looked up by id: at a city's size a count reads 500,000 entries, bench/arrivals)."""
        ids = await registered.until(members, LOADING_SECONDS)
        await on_the_roster(self.evaluations["roster"], ids, LOADING_SECONDS)

    async def decide(self) -> None:
        city = await self.id_of(CITY_CODE)
        fields = {"title": "Sắp xếp đơn vị hành chính cấp xã 2025", "organisationId": city}
        campaign = await self.gateway.execute(LAUNCH, {"input": fields})
        campaign_id = campaign["launchRestructuringCampaign"]["id"]

        async def decide(merger: Merger) -> None:
            unit = {"code": merger.unit.code, "name": merger.name, "parentId": city}
            request = {
                "kind": "MERGE_NEW",
                "sourceIds": [await self.id_of(s) for s in merger.sources],
                "newOrganisations": [unit],
                "campaignId": campaign_id,
            }
            opened = (await self.gateway.execute(OPEN, {"input": request}))["openRestructuring"]
            self.cases[merger.unit.code] = opened["id"]
            self.ids[merger.unit.code] = opened["newOrganisations"][0]["id"]
            decision = {
                "caseId": opened["id"],
                "decisionNumber": f"{merger.unit.number}-QĐ/TU",
                "signedOn": "2025-06-27",
                "signer": "Bí thư Thành ủy",
                "effectiveOn": EFFECTIVE_ON,
            }
            await self.gateway.execute(DECIDE, {"input": decision})

        await self.each(decide)

    async def hand_over(self) -> None:
        async def hand_over(merger: Merger) -> None:
            self.handed_over[merger.unit.code] = 0
            for source in merger.sources:
                members, candidates = await self.counts(source)
                record = {
                    "caseId": self.cases[merger.unit.code],
                    "organisationId": await self.id_of(source),
                    "signedOn": "2025-06-30",
                    "giverSigner": f"Bí thư {source}",
                    "receiverSigner": f"Bí thư {merger.name}",
                    "memberCount": members,
                    "candidateCount": candidates,
                }
                await self.gateway.execute(RECORD, {"input": record})
                self.handed_over[merger.unit.code] += members

        await self.each(hand_over)

    async def accept(self) -> None:
        """Each case accepted and its outcome in the tree (the acceptance moves every cell of
        the predecessors, which may outlast the gateway's wait: the case then says when)."""

        async def accept(merger: Merger) -> None:
            case_id = self.cases[merger.unit.code]
            fields = {"caseId": case_id, "acceptedOn": EFFECTIVE_ON, "signer": "Bí thư"}
            try:
                await self.gateway.execute(ACCEPT, {"input": fields})
            except DemoFailed as error:
                if "timed out" not in str(error):
                    raise
                self.timed_out += 1

            async def applied() -> bool:
                case = await self.gateway.execute(APPLIED, {"id": case_id})
                return bool(case["restructuringCase"]["treeApplied"])

            await until(applied, f"the tree shows case {case_id}")

        await self.each(accept)

    async def members_followed(self) -> None:
        """Until the members service has everyone handed over under the new unit: its member
        count (kept once their documents are written, each with the case noted as applied in
        the same write; account_for_everyone reads the notes, untimed). The count alone: the
        candidates of the unit's cells, counted with it when handed over, are a read per cell,
        and polled four times a second they were read again and again beside the following
        (3,472 reads in a district's 35 s)."""
        for merger in self.merging:
            code = merger.unit.code

            async def moved(code: str = code) -> bool:
                found = await self.gateway.execute(MEMBER_COUNT, {"id": await self.id_of(code)})
                return int(found["organisation"]["memberCount"]) == self.handed_over[code]

            await until(moved, f"members follow into {code}")

    async def placed(self) -> None:
        """Then until the evaluations service has each of the unit's cells under it (its
        roster is by cell)."""
        known = self.evaluations["known_organisations"]
        for merger in self.merging:
            unit_id, cells = self.ids[merger.unit.code], merger.cells

            async def known_below(unit_id: str = unit_id, cells: int = cells) -> bool:
                below = {"ancestor_ids": unit_id, "kind": "CELL"}
                return bool(await known.count_documents(below) == cells)

            await until(known_below, f"evaluations places {cells} cells in {merger.unit.code}")

    async def account_for_everyone(self, members: int) -> None:
        """Every member loaded is under a new unit, none under a predecessor, and each handed
        over has the case in their history (the case kept as applied: its member.updated
        written) — read once, every member's notes (a count of one case reads them all)."""
        under_new = sum([(await self.counts(m.unit.code))[0] for m in self.merging])
        left = sum([(await self.counts(s))[0] for m in self.merging for s in m.sources])
        if under_new != members or left:
            raise AssertionError(f"{members} loaded, {under_new} under the new units, {left} left")
        noted: Counter[str] = Counter()
        async for member in self.members["members"].find({}, {"applied_transfers": 1}):
            noted.update(member.get("applied_transfers") or [])
        for merger in self.merging:
            case, code = self.cases[merger.unit.code], merger.unit.code
            if noted[f"restructuring:{case}"] != self.handed_over[code]:
                raise AssertionError(
                    f"{code}: {self.handed_over[code]} handed over, "
                    f"{noted[f'restructuring:{case}']} note case {case}"
                )
