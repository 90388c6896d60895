"""Every list query with every combination of its optional filters, as the whole tree's
staff and as a ward's committee (whose scope adds its own clause), so the session's index
check (conftest.py) sees each query shape the API can send, not only those a test happened
to use."""

from typing import Any

from kit.identity import Principal
from kit.mongo import Document
from kit.testing import STAFF, ServiceUnderTest, ask_every_combination
from pymongo.asynchronous.database import AsyncDatabase

from services.members.tests.integration.members_support import (
    Ward,
    add_candidate,
    register,
    ward_committee,
)

ORGANISATION = """
  _entities(representations: [{__typename: "Organisation", id: $cell}]) {
    ... on Organisation {
"""
CASE = """
  _entities(representations: [{__typename: "DissolutionCase", id: $case}]) {
    ... on DissolutionCase {
"""


async def test_every_list_query_answers_every_combination_of_its_filters(
    service: ServiceUnderTest, db: AsyncDatabase[Document]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cell = ward.residential["Tổ dân phố 1"]
    await register(service, cell, group="Tổ dân phố 1", standing="PROBATIONARY")
    await add_candidate(service, cell, group="Tổ dân phố 1")
    callers: list[Principal] = [STAFF, ward_committee(ward)]
    calls = 0
    for caller in callers:
        calls += await ask_every_combination(
            service,
            "transfers",
            {
                "state": ("TransferState", "INTRODUCED"),
                "overdue": ("Boolean", True),
                "organisationId": ("ID", cell),
                "overdueReasonRecorded": ("Boolean", False),
            },
            "{ id }",
            principal=caller,
        )
        calls += await ask_every_combination(
            service,
            "incomingTransfers",
            {"state": ("TransferState", "RECEIVED")},
            "{ id }",
            around=(ORGANISATION, "} }"),
            given={"cell": ("ID!", cell)},
            principal=caller,
        )
        calls += await ask_every_combination(
            service,
            "transfers",
            {"state": ("TransferState", "RECEIVED")},
            "{ id }",
            around=(CASE, "} }"),
            given={"case": ("ID!", f"case-{ward.suffix}")},
            principal=caller,
        )
        calls += await ask_every_combination(
            service,
            "members",
            {
                "organisationId": ("ID", cell),
                "standing": ("Standing", "PROBATIONARY"),
                "search": ("String", "nguyen van"),
                "away": ("Boolean", False),
            },
            "{ edges { node { id } } }",
            principal=caller,
        )
        calls += await ask_every_combination(
            service,
            "probationaryMembers",
            {
                "organisationId": ("ID", cell),
                "ceremonyLate": ("Boolean", True),
                "recognitionOverdue": ("Boolean", False),
            },
            "{ id }",
            principal=caller,
        )
        calls += await ask_every_combination(
            service,
            "candidates",
            {"organisationId": ("ID", cell), "search": ("String", "tran thi")},
            "{ id }",
            principal=caller,
        )
    calls += await ask_every_combination(
        service,
        "memberDataAccessLog",
        {
            "personId": ("ID", "member-1"),
            "subject": ("String", "tester"),
            "since": ("DateTime", "2019-01-01T00:00:00Z"),
            "until": ("DateTime", "2030-01-01T00:00:00Z"),
        },
        "{ at }",
    )
    calls += await ask_every_combination(
        service,
        "memberKeys",
        {"cardNumbers": ("[String!]", ["01.00000001"]), "citizenIds": ("[String!]", ["001"])},
        "{ __typename }",
    )
    assert calls == 2 * (16 + 2 + 2 + 16 + 8 + 4) + 16 + 4


COUNT = "query ($away: Boolean) { members(away: $away) { totalCount } }"


async def test_the_members_not_away_and_those_away_count_every_member(
    service: ServiceUnderTest, db: AsyncDatabase[Document]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    for _ in range(3):
        await register(service, ward.residential["Tổ dân phố 1"])

    def total(data: dict[str, Any]) -> int:
        return int(data["members"]["totalCount"])

    every = total(await service.execute_ok(COUNT, {"away": None}))
    here = total(await service.execute_ok(COUNT, {"away": False}))
    away = total(await service.execute_ok(COUNT, {"away": True}))
    assert every >= 3 and here + away == every
