"""The evaluations service running in-process against real FerretDB and RabbitMQ."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import pytest_asyncio
from evaluations.config import Settings
from evaluations.main import create_app
from kit.pseudonyms import DEVELOPMENT_SECRET, KeyDigests
from kit.testing import ServiceUnderTest, eventually, isolated, serve


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def service() -> AsyncIterator[ServiceUnderTest]:
    async with serve(create_app, isolated(Settings)) as running:
        yield running


class Published:
    """Every event the service publishes on its exchange, as a city system would see them."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == event_type]


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def published(service: ServiceUnderTest) -> AsyncIterator[Published]:
    seen = Published()
    connection = await aio_pika.connect(service.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            service.settings.event_exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, routing_key="partyorg.evaluations.#")

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                seen.events.append(json.loads(message.body))

        await queue.consume(collect)
        yield seen


ORGANISATION_REGISTERED = "partyorg.organisations.organisation.registered.v1"
MEMBER_REGISTERED = "partyorg.members.member.registered.v1"
TRANSFER_RECEIVED = "partyorg.members.transfer.received.v1"


DIGESTS = KeyDigests(DEVELOPMENT_SECRET)  # the tests' services run with the development secret


class Scenario:
    """Tells the service, through real events, of organisations, members and transfers."""

    def __init__(self, service: ServiceUnderTest) -> None:
        self.service = service
        self.ancestors: dict[str, list[str]] = {}

    async def organisation(
        self, kind: str, parent: str | None = None, cell_type: str | None = None
    ) -> str:
        organisation_id = f"{kind.lower()}-{uuid.uuid4().hex[:8]}"
        ancestors = [*self.ancestors[parent], parent] if parent else []
        self.ancestors[organisation_id] = ancestors
        await self.service.deliver(
            ORGANISATION_REGISTERED,
            {
                "organisationId": organisation_id,
                "code": organisation_id.upper(),
                "name": organisation_id,
                "kind": kind,
                "cellType": cell_type,
                "parentId": parent,
                "ancestorIds": ancestors,
                "status": "ACTIVE",
                "coverage": [],
                "dissolvedOn": None,
                "version": 1,
            },
        )
        return organisation_id

    async def ward(self, cells: int = 2, district: str | None = None) -> tuple[str, str, list[str]]:
        """A district (new unless given), its ward, the ward's agency cell first and then
        residential cells."""
        district = district or await self.organisation("DISTRICT_COMMITTEE")
        ward = await self.organisation("WARD_COMMITTEE", district)
        agency = await self.organisation("CELL", ward, "AGENCY")
        residential = [await self.organisation("CELL", ward, "RESIDENTIAL") for _ in range(cells)]
        return district, ward, [agency, *residential]

    async def two_wards(self) -> tuple[str, list[str], list[str], list[str]]:
        """Two wards of one district with a cadre in a residential cell of each, once the
        read model knows the tree: the district, the wards, the cells, the members."""
        district, ours, (_, our_cell, _) = await self.ward()
        _, theirs, (_, their_cell, _) = await self.ward(district=district)
        cells = [our_cell, their_cell]
        members = [await self.member(cell) for cell in cells]
        for member, cell in zip(members, cells, strict=True):
            await self.until_evaluated_by(member, "2019-10", cell)
        await self.until_known(district, ours, theirs, *cells)
        return district, [ours, theirs], cells, members

    async def member(
        self,
        cell: str,
        role: str | None = "CADRE",
        card_number: str | None = None,
        citizen_id: str | None = None,
    ) -> str:
        """A member registered in the cell; with the digests of the keys given, as the
        members service sends them."""
        member_id = f"member-{uuid.uuid4().hex[:8]}"
        await self.service.deliver(
            MEMBER_REGISTERED,
            {
                "memberId": member_id,
                "fullName": f"Nguyễn Văn {member_id[-4:]}",
                "standing": "OFFICIAL",
                "organisationId": cell,
                "workplaceRole": role,
                "keyDigests": DIGESTS.of_keys(card_number or f"01.{member_id}", citizen_id),
                "admittedOn": "2005-03-02",
                "version": 1,
            },
        )
        return member_id

    async def transfer(
        self,
        member_id: str,
        from_cell: str,
        to_cell: str,
        received_on: str,
        event_id: str | None = None,
    ) -> str:
        return await self.service.deliver(
            TRANSFER_RECEIVED,
            {
                "transferId": f"transfer-{member_id}-{to_cell}",
                "memberId": member_id,
                "kind": "INTERNAL",
                "fromOrganisationId": from_cell,
                "toOrganisationId": to_cell,
                "destinationName": None,
                "receivedOn": received_on,
                "caseId": None,
            },
            id=event_id,
        )

    async def evaluated_by(self, member_id: str, period: str) -> str | None:
        data = await self.service.execute_ok(
            """query($m: _Any!, $p: String!) {
                 _entities(representations: [$m]) {
                   ... on PartyMember { evaluatedBy(period: $p) { id } }
                 }
               }""",
            {"m": {"__typename": "PartyMember", "id": member_id}, "p": period},
        )
        cell = data["_entities"][0]["evaluatedBy"]
        return cell["id"] if cell else None

    async def until_evaluated_by(self, member_id: str, period: str, cell: str) -> None:
        async def check() -> None:
            assert await self.evaluated_by(member_id, period) == cell

        await eventually(check)

    async def until_known(self, *organisation_ids: str) -> None:
        """Wait until the organisations read model holds them."""
        db = self.service.app.state.runtime.db

        async def check() -> None:
            found = await db["known_organisations"].count_documents(
                {"_id": {"$in": list(organisation_ids)}}
            )
            assert found == len(organisation_ids)

        await eventually(check)


@pytest_asyncio.fixture(loop_scope="session")
async def scenario(service: ServiceUnderTest) -> Scenario:
    return Scenario(service)
