"""A small Ba Đình tree built through the subgraph, and a tap on the test exchange."""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aio_pika
from kit.settings import ServiceSettings
from kit.testing import ServiceUnderTest

CREATE = """
mutation ($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id code version }
}
"""
ISSUE = """
mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { id number } }
"""
LAUNCH = """
mutation ($input: LaunchCampaignInput!) {
  launchCampaign(input: $input) { id cases { id stage cell { code } } }
}
"""


@dataclass
class EventTap:
    """Every event published on the test exchange, in arrival order."""

    received: list[dict[str, Any]] = field(default_factory=list)

    def of_type(self, suffix: str, subject: str | None = None) -> list[dict[str, Any]]:
        return [
            e
            for e in self.received
            if e["type"].endswith(suffix) and (subject is None or e.get("subject") == subject)
        ]


@contextlib.asynccontextmanager
async def tap(settings: ServiceSettings) -> AsyncIterator[EventTap]:
    found = EventTap()
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            settings.event_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="#")

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            found.received.append(json.loads(message.body))
            await message.ack()

        await queue.consume(on_message)
        yield found
        await asyncio.sleep(0)


@dataclass
class BaDinh:
    """A city, a district, wards with an agency cell and residential cells; unique codes."""

    service: ServiceUnderTest
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6].upper())
    ids: dict[str, str] = field(default_factory=dict)
    directive_number: str = ""

    async def create(self, key: str, **fields: Any) -> str:
        data = await self.service.execute_ok(CREATE, {"input": fields})
        self.ids[key] = data["createOrganisation"]["id"]
        return self.ids[key]

    def code(self, key: str) -> str:
        return f"{self.tag}-{key}"

    async def build(self, wards: dict[str, str], residential_cells: int = 2) -> "BaDinh":
        city = await self.create(
            "HN", code=self.code("HN"), name="Thành ủy Hà Nội", kind="CITY_COMMITTEE"
        )
        district = await self.create(
            "BD",
            code=self.code("BD"),
            name="Quận ủy Ba Đình",
            kind="DISTRICT_COMMITTEE",
            parentId=city,
        )
        for key, name in wards.items():
            ward = await self.create(
                key,
                code=self.code(key),
                name=f"Đảng ủy phường {name}",
                kind="WARD_COMMITTEE",
                parentId=district,
            )
            await self.create(
                f"{key}-CQ",
                code=self.code(f"{key}-CQ"),
                name=f"Chi bộ cơ quan phường {name}",
                kind="CELL",
                cellType="AGENCY",
                parentId=ward,
            )
            for n in range(1, residential_cells + 1):
                await self.create(
                    f"{key}-TDP{n:02}",
                    code=self.code(f"{key}-TDP{n:02}"),
                    name=f"Chi bộ tổ dân phố số {n}",
                    kind="CELL",
                    cellType="RESIDENTIAL",
                    coverage=[f"TDP {n}"],
                    parentId=ward,
                )
        return self

    async def directive_383(self) -> str:
        number = f"{int(self.tag, 16)}-CV/QU"
        self.directive_number = number
        await self.service.execute_ok(
            ISSUE,
            {
                "input": {
                    "number": number,
                    "issuer": "Ban Thường vụ Quận ủy Ba Đình",
                    "issuedOn": "2019-09-05",
                    "title": "Thực hiện Hướng dẫn 14-HD/BTCTU",
                    "issuerOrganisationId": self.ids["BD"],
                }
            },
        )
        return number

    async def launch(self, wards: list[str], deadline: str = "2019-09-15") -> dict[str, Any]:
        number = await self.directive_383()
        data = await self.service.execute_ok(
            LAUNCH,
            {
                "input": {
                    "directiveNumber": number,
                    "districtCommitteeId": self.ids["BD"],
                    "wardCommitteeIds": [self.ids[w] for w in wards],
                    "planDeadline": deadline,
                }
            },
        )
        campaign: dict[str, Any] = data["launchCampaign"]
        return campaign


CASE_FIELDS = """
  id stage overdue allowedSteps cellDissolved
  plan { number placements { personId destinationCell { code } } }
  returnedPlans { reasons plan { number } }
  decision { number effectiveOn }
  auditTrail { step fromStage toStage actor subject note at }
"""
STEPS = {
    "recordDissemination": "RecordDisseminationInput",
    "submitPlan": "SubmitPlanInput",
    "approvePlan": "ApprovePlanInput",
    "returnPlan": "ReturnPlanInput",
    "issueDissolutionDecision": "IssueDissolutionDecisionInput",
    "recordAnnouncement": "RecordAnnouncementInput",
}


def step_mutation(name: str) -> str:
    return f"mutation ($input: {STEPS[name]}!) {{ {name}(input: $input) {{ {CASE_FIELDS} }} }}"


async def take_step(
    service: ServiceUnderTest, name: str, case_id: str, **fields: Any
) -> dict[str, Any]:
    """The whole response: data, or errors."""
    return await service.execute(step_mutation(name), {"input": {"caseId": case_id, **fields}})


async def take_step_ok(
    service: ServiceUnderTest, name: str, case_id: str, **fields: Any
) -> dict[str, Any]:
    body = await take_step(service, name, case_id, **fields)
    assert not body.get("errors"), body["errors"]
    case: dict[str, Any] = body["data"][name]
    return case


DISSEMINATION = {"heldOn": "2019-09-09", "attendeeCount": 20, "documents": ["38-KL/TW"]}
DECISION = {
    "decisionNumber": "120-QĐ/ĐU",
    "signedOn": "2019-09-25",
    "signer": "Bí thư Đảng ủy phường",
    "effectiveOn": "2019-10-01",
}
